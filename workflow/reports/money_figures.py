"""Pure figures of money: what a period's requests hold (the school's share of cost and
cover, from the ledger), in all and by SIP priority and activity type.

A request counts under every priority it names, in full: a request for SIP-1 and SIP-2
shows under both, so the priority rows may add up to more than the total. Requests
rejected or withdrawn are not counted (they hold nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from schemas.inbound import ActivityType
from workflow.policy.sections import FinancialYear
from workflow.reports.money_rows import NOTHING, Holding
from workflow.reports.request_rows import CLOSED_UNAPPROVED, RequestRow

NO_PRIORITY = "(none)"
NO_PRIORITY_TITLE = "Not linked to a SIP priority"
NOT_IN_SIP = "(not in the current SIP)"


@dataclass(frozen=True)
class SpendLine:
    key: str  # a priority's code, or an activity type
    title: str
    requests: int
    committed: Decimal
    spent: Decimal


def period_holding(rows: Sequence[RequestRow], holdings: Mapping[str, Holding]) -> Holding:
    held = [holdings.get(r.request_id, NOTHING) for r in rows]
    return Holding(
        sum((h.committed for h in held), Decimal("0.00")),
        sum((h.spent for h in held), Decimal("0.00")),
    )


def by_year(
    rows: Sequence[RequestRow],
    holdings: Mapping[str, Holding],
    year_of: Callable[[date], FinancialYear],
) -> dict[str, Holding]:
    """What the requests hold, by the financial year their activity starts in."""
    labels: dict[date, str] = {}  # a year is worked out once per start date, not per row
    years: dict[str, list[RequestRow]] = {}
    for row in rows:
        if row.start_date not in labels:
            labels[row.start_date] = year_of(row.start_date).label
        years.setdefault(labels[row.start_date], []).append(row)
    return {label: period_holding(held, holdings) for label, held in years.items()}


def by_priority(
    rows: Sequence[RequestRow], holdings: Mapping[str, Holding], sip: Mapping[str, str] | None
) -> list[SpendLine]:
    """The SIP's priorities in its order, then codes the SIP no longer lists, then none."""
    counted = [r for r in rows if r.state not in CLOSED_UNAPPROVED]
    titles = dict(sip or {})
    named = [p for r in counted for p in r.priorities]
    codes = list(titles) + sorted({p for p in named if p not in titles})
    under: dict[str, list[RequestRow]] = {code: [] for code in codes}
    for row in counted:
        for code in dict.fromkeys(row.priorities):  # a code named twice counts once
            under[code].append(row)
    lines = [_line(code, titles.get(code, NOT_IN_SIP), under[code], holdings) for code in codes]
    unlinked = [r for r in counted if not r.priorities]
    return [*lines, _line(NO_PRIORITY, NO_PRIORITY_TITLE, unlinked, holdings)]


def by_activity(rows: Sequence[RequestRow], holdings: Mapping[str, Holding]) -> list[SpendLine]:
    """Each activity type any counted request is of, in the order the contract lists them."""
    counted = [r for r in rows if r.state not in CLOSED_UNAPPROVED]
    of_kind: dict[str, list[RequestRow]] = {}
    for row in counted:
        of_kind.setdefault(row.activity_type, []).append(row)
    return [
        _line(kind.value, kind.value.replace("_", " "), of_kind[kind.value], holdings)
        for kind in ActivityType
        if kind.value in of_kind
    ]


def _line(
    key: str, title: str, rows: list[RequestRow], holdings: Mapping[str, Holding]
) -> SpendLine:
    held = period_holding(rows, holdings)
    return SpendLine(key, title, len(rows), held.committed, held.spent)
