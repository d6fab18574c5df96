"""`cpd budget set SCHOOL --year 2026-27 --amount 12000 [--category courses=8000 ...]` and
`cpd budget show SCHOOL [--year 2026-27]`, against the running service over HTTP.

`set` posts `budget.set` to `POST /events?wait=true`, so a budget set from the command line is
queued, role-checked, applied once and kept in the ledger like one from a finance system;
`show` reads `GET /budgets/{school}`, which knows each school's policy set (when its year
starts). Both take `--url` and `--key` (CPD_API_KEY) as `cpd directory import` does.
Exit codes: 0 done, 1 refused by the service, 2 bad arguments, 3 the service unreachable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from decimal import Decimal
from typing import Any, TextIO
from urllib.parse import quote, urlencode

from pydantic import ValidationError

from handlers.cli_directory import default_url
from schemas.budgets import BUDGET_SET, BudgetSet

DONE, REFUSED, BAD_ARGUMENTS, UNREACHABLE = 0, 1, 2, 3
CLI_SOURCE = "urn:cpd-workflow:cli"
DEFAULT_ACTOR = "cpd-cli"


def add_budget_parser(commands: Any) -> None:
    budget = commands.add_parser("budget", help="a school's CPD budget for a financial year")
    actions = budget.add_subparsers(dest="budget_command", required=True)
    set_ = actions.add_parser("set", help="set a school's budget (posts budget.set)")
    set_.add_argument("school", help="the school id")
    set_.add_argument("--year", required=True, help="the financial year, e.g. 2026-27")
    set_.add_argument("--amount", required=True, help="in pounds, e.g. 12000 or 12000.50")
    set_.add_argument(
        "--category",
        action="append",
        default=[],
        metavar="NAME=AMOUNT",
        help="how it divides, e.g. courses=8000 (repeat for each)",
    )
    set_.add_argument(
        "--actor",
        default=DEFAULT_ACTOR,
        help="who sets it: your staff id (a head teacher, CPD lead or executive lead), or a"
        f" system's name (default {DEFAULT_ACTOR})",
    )
    show = actions.add_parser("show", help="a school's budget, committed, spent and ledger")
    show.add_argument("school", help="the school id")
    show.add_argument("--year", help="e.g. 2026-27 (default: the school's current year)")
    show.add_argument("--json", action="store_true", help="the service's answer as it is")
    for parser in (set_, show):
        parser.add_argument("--url", help="the service (default http://127.0.0.1:$CPD_PORT)")
        parser.add_argument("--key", help="an API key, when the service needs one (CPD_API_KEY)")


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    url = (args.url or default_url()).rstrip("/")
    key = args.key or os.environ.get("CPD_API_KEY") or None
    try:
        if args.budget_command == "set":
            return _set(args, url, key, out, err)
        return _show(args, url, key, out, err)
    except (urllib.error.URLError, OSError) as error:
        print(f"cpd budget: the service at {url} cannot be reached: {error}", file=err)
        return UNREACHABLE


def _set(args: argparse.Namespace, url: str, key: str | None, out: TextIO, err: TextIO) -> int:
    data: dict[str, Any] = {
        "school_id": args.school,
        "financial_year": args.year,
        "amount_gbp": args.amount,
    }
    try:
        if args.category:
            data["categories"] = dict(_category(c) for c in args.category)
        data = BudgetSet.model_validate(data).model_dump(mode="json", exclude_none=True)
    except ValueError as error:  # ValidationError too: the same checks the service makes
        print(f"cpd budget set: {_problems(error)}", file=err)
        return BAD_ARGUMENTS
    event = {
        "specversion": "1.0",
        "id": f"cli-{uuid.uuid4()}",
        "source": CLI_SOURCE,
        "type": BUDGET_SET,
        "subject": args.school,
        "actor": args.actor,
        "data": data,
    }
    status, body = _call(f"{url}/events?wait=true", key, event)
    if status == 202:
        print(
            f"budget.set {event['id']} accepted, still queued (GET /events/{event['id']})", file=out
        )
        return DONE
    if status != 200:
        return _refused("cpd budget set", status, body, err)
    parts = ", ".join(
        f"{name} {_gbp(amount)}" for name, amount in data.get("categories", {}).items()
    )
    also = f" ({parts})" if parts else ""
    print(f"{args.school} {args.year}: budget set to {_gbp(data['amount_gbp'])}{also}", file=out)
    return DONE


def _show(args: argparse.Namespace, url: str, key: str | None, out: TextIO, err: TextIO) -> int:
    query = f"?{urlencode({'year': args.year})}" if args.year else ""
    status, body = _call(f"{url}/budgets/{quote(args.school, safe='')}{query}", key)
    if status != 200:
        return _refused("cpd budget show", status, body, err)
    if args.json:
        print(json.dumps(body, indent=2), file=out)
    else:
        _print_budget(body, out)
    return DONE


def _print_budget(b: dict[str, Any], out: TextIO) -> None:
    print(f"{b['school_id']} {b['financial_year']} ({b['starts_on']} to {b['ends_on']})", file=out)
    if b["budget_gbp"] is None:
        print("  budget     none set: approvals are not held to one", file=out)
    else:
        parts = ", ".join(f"{n} {_gbp(a)}" for n, a in (b["categories"] or {}).items())
        print(f"  budget    {_gbp(b['budget_gbp']):>12}{f'  ({parts})' if parts else ''}", file=out)
    print(f"  committed {_gbp(b['committed_gbp']):>12}", file=out)
    print(f"  spent     {_gbp(b['spent_gbp']):>12}", file=out)
    remaining = "-" if b["remaining_gbp"] is None else _gbp(b["remaining_gbp"])
    print(f"  remaining {remaining:>12}", file=out)
    print("ledger" if b["ledger"] else "ledger: nothing yet", file=out)
    for r in b["ledger"]:
        at = r["at"][:16].replace("T", " ")
        print(
            f"  {at}  {r['kind']:<10} {_gbp(r['amount_gbp']):>12}  {r['request_id'] or '-':<14}"
            f" {r['cause']}  {r['actor']}",
            file=out,
        )
    for o in b["overrides"]:
        print(
            f"override: {o['request_id']} {o['cause']} by {o['actor']} at {o['at'][:16]}:"
            f' "{o["override_reason"]}" (budget {_gbp(o["budget_gbp"])}, committed'
            f" {_gbp(o['committed_gbp'])}, spent {_gbp(o['spent_gbp'])}, this request"
            f" {_gbp(o['request_gbp'])})",
            file=out,
        )


def _call(url: str, key: str | None, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    headers = {"Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, payload, headers, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as answer:  # 4xx, 5xx: the problem body says why
        text = answer.read()
        try:
            return answer.code, json.loads(text)
        except ValueError:
            return answer.code, {"detail": text.decode(errors="replace")[:300]}


def _refused(command: str, status: int, body: Any, err: TextIO) -> int:
    body = body if isinstance(body, dict) else {}
    code = body.get("error") or status
    print(f"{command}: refused ({status} {code}): {body.get('detail', body)}", file=err)
    for problem in body.get("problems") or []:
        where = ".".join(str(part) for part in problem.get("loc", []))
        print(f"  {where}: {problem.get('msg')}", file=err)
    return REFUSED


def _category(text: str) -> tuple[str, str]:
    name, sep, amount = text.partition("=")
    if not sep or not name or not amount:
        raise ValueError(f"--category {text!r}: write it as NAME=AMOUNT, e.g. courses=8000")
    return name.strip(), amount.strip()


def _problems(error: ValueError) -> str:
    if not isinstance(error, ValidationError):
        return str(error)
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'budget'}: {e['msg']}" for e in error.errors()
    )


def _gbp(amount: str | Decimal) -> str:
    value = Decimal(str(amount))
    return f"£{value:,.2f}" if value >= 0 else f"-£{-value:,.2f}"
