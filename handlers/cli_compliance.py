"""`cpd compliance [--school ID]`: who holds the statutory training their roles require.

Asks the running service (`GET /compliance`), so the answer is judged by the policy sets it
has loaded, as of today at the school. With a key (`--key` or CPD_API_KEY): one with
`read:reports`, or made --as a head teacher or CPD lead for their school's list.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, TextIO

import click

from handlers.cli_shared import api_key, default_url, service_options

LISTED, UNREACHABLE, REFUSED = 0, 2, 3


@click.command(help="statutory training: who is expired, expiring, valid or missing")
@click.option("--school", help="one school's list (default: every school you read)")
@service_options
def compliance(school: str | None, url: str | None, key: str | None) -> None:
    code = show_compliance(school, url or default_url(), api_key(key))
    click.get_current_context().exit(code)


def show_compliance(
    school: str | None,
    url: str,
    key: str | None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """0 listed; 2 the service could not be reached; 3 it refused (the reason printed)."""
    out, err = out or sys.stdout, err or sys.stderr
    query = f"?{urllib.parse.urlencode({'school_id': school})}" if school else ""
    request = urllib.request.Request(f"{url}/compliance{query}")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            report = json.loads(answer.read())
    except urllib.error.HTTPError as refusal:
        detail = _detail(refusal.read())
        print(f"cpd compliance: {refusal.code} {detail}", file=err)
        return REFUSED
    except (urllib.error.URLError, OSError) as error:
        print(f"cpd compliance: cannot reach the service: {error}", file=err)
        return UNREACHABLE
    _table(report, out)
    return LISTED


def _table(report: dict[str, Any], out: TextIO) -> None:
    items = report["items"]
    print(f"Statutory training on {report['on']}", file=out)
    if not items:
        print("nobody must hold statutory training here", file=out)
        return
    print(
        f"{'school':<14} {'staff':<12} {'name':<24} {'kind':<16} {'status':<9} valid until",
        file=out,
    )
    for row in items:
        print(
            f"{row['school_id']:<14} {row['staff_id']:<12} {row['name'][:24]:<24}"
            f" {row['kind']:<16} {row['status']:<9} {row['valid_until'] or '-'}",
            file=out,
        )
    counts = ", ".join(f"{n} {status}" for status, n in report["summary"].items())
    print(counts, file=out)


def _detail(body: bytes) -> str:
    try:
        return str(json.loads(body).get("detail") or "")
    except (ValueError, AttributeError):
        return body.decode("utf-8", "replace")[:200]
