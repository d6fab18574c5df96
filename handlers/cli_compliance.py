"""`cpd compliance [--school ID]`: who holds the statutory training their roles require.

Asks the running service (`GET /compliance`), so the answer is judged by the policy sets it
has loaded, as of today at the school. With a key (`--key` or CPD_API_KEY): one with
`read:reports`, or made --as a head teacher or CPD lead for their school's list.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, TextIO

LISTED, UNREACHABLE, REFUSED = 0, 2, 3


def default_url() -> str:
    return f"http://127.0.0.1:{os.environ.get('CPD_PORT', '8000')}"


def add_compliance_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "compliance", help="statutory training: who is expired, expiring, valid or missing"
    )
    parser.add_argument("--school", help="one school's list (default: every school you read)")
    parser.add_argument("--url", help="the service (default http://127.0.0.1:$CPD_PORT, 8000)")
    parser.add_argument("--key", help="an API key, when the service needs one (CPD_API_KEY)")


def show_compliance(
    school: str | None,
    url: str | None,
    key: str | None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """0 listed; 2 the service could not be reached; 3 it refused (the reason printed)."""
    out, err = out or sys.stdout, err or sys.stderr
    query = f"?{urllib.parse.urlencode({'school_id': school})}" if school else ""
    request = urllib.request.Request(f"{url or default_url()}/compliance{query}")
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
