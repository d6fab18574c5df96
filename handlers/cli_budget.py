"""`cpd budget set SCHOOL --year 2026-27 --amount 12000 [--category courses=8000 ...]` and
`cpd budget show SCHOOL [--year 2026-27]`, against the running service over HTTP.

`set` posts `budget.set` to `POST /events?wait=true`, so a budget set from the command line is
queued, role-checked, applied once and kept in the ledger like one from a finance system;
`show` reads `GET /budgets/{school}`, which knows each school's policy set (when its year
starts). Both take `--url` and `--key` (CPD_API_KEY) as `cpd directory import` does.
Exit codes: 0 done, 1 refused by the service, 2 bad arguments, 3 the service unreachable.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO
from urllib.parse import quote, urlencode

import click
from pydantic import ValidationError

from handlers.cli_shared import api_key, call_service, default_url, service_options
from schemas.budgets import BUDGET_SET, BudgetSet

DONE, REFUSED, BAD_ARGUMENTS, UNREACHABLE = 0, 1, 2, 3
CLI_SOURCE = "urn:cpd-workflow:cli"
DEFAULT_ACTOR = "cpd-cli"


@click.group(help="a school's CPD budget for a financial year")
def budget() -> None:
    pass


@budget.command("set", help="set school SCHOOL's budget (posts budget.set)")
@click.argument("school")
@click.option("--year", required=True, help="the financial year, e.g. 2026-27")
@click.option("--amount", required=True, help="in pounds, e.g. 12000 or 12000.50")
@click.option(
    "--category",
    "categories",
    multiple=True,
    metavar="NAME=AMOUNT",
    help="how it divides, e.g. courses=8000 (repeat for each)",
)
@click.option(
    "--actor",
    default=DEFAULT_ACTOR,
    help="who sets it: your staff id (a head teacher, CPD lead or executive lead), or a"
    f" system's name (default {DEFAULT_ACTOR})",
)
@service_options
def set_command(
    school: str,
    year: str,
    amount: str,
    categories: tuple[str, ...],
    actor: str,
    url: str | None,
    key: str | None,
) -> None:
    order = BudgetOrder(school, year, amount, categories, actor)
    _finish(url, key, lambda base, key: _set(order, base, key, sys.stdout, sys.stderr))


@budget.command("show", help="school SCHOOL's budget, committed, spent and ledger")
@click.argument("school")
@click.option("--year", help="e.g. 2026-27 (default: the school's current year)")
@click.option("--json", "as_json", is_flag=True, help="the service's answer as it is")
@service_options
def show_command(
    school: str, year: str | None, as_json: bool, url: str | None, key: str | None
) -> None:
    _finish(url, key, lambda base, key: _show(school, year, as_json, base, key, sys.stdout))


@dataclass(frozen=True)
class BudgetOrder:
    school: str
    year: str
    amount: str
    categories: tuple[str, ...]
    actor: str


def _finish(url: str | None, key: str | None, call: Callable[[str, str | None], int]) -> None:
    base = (url or default_url()).rstrip("/")
    try:
        code = call(base, api_key(key))
    except (urllib.error.URLError, OSError) as error:
        print(f"cpd budget: the service at {base} cannot be reached: {error}", file=sys.stderr)
        code = UNREACHABLE
    click.get_current_context().exit(code)


def _set(order: BudgetOrder, url: str, key: str | None, out: TextIO, err: TextIO) -> int:
    data: dict[str, Any] = {
        "school_id": order.school,
        "financial_year": order.year,
        "amount_gbp": order.amount,
    }
    try:
        if order.categories:
            data["categories"] = dict(_category(c) for c in order.categories)
        data = BudgetSet.model_validate(data).model_dump(mode="json", exclude_none=True)
    except ValueError as error:  # ValidationError too: the same checks the service makes
        print(f"cpd budget set: {_problems(error)}", file=err)
        return BAD_ARGUMENTS
    event = {
        "specversion": "1.0",
        "id": f"cli-{uuid.uuid4()}",
        "source": CLI_SOURCE,
        "type": BUDGET_SET,
        "subject": order.school,
        "actor": order.actor,
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
    print(f"{order.school} {order.year}: budget set to {_gbp(data['amount_gbp'])}{also}", file=out)
    return DONE


def _show(
    school: str, year: str | None, as_json: bool, url: str, key: str | None, out: TextIO
) -> int:
    query = f"?{urlencode({'year': year})}" if year else ""
    status, body = _call(f"{url}/budgets/{quote(school, safe='')}{query}", key)
    if status != 200:
        return _refused("cpd budget show", status, body, sys.stderr)
    if as_json:
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
    payload = json.dumps(body).encode() if body is not None else None
    return call_service(url, key, payload, post=body is not None, timeout=30)


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
