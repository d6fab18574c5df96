"""The budget ledger in SQLite (table `budget_ledger`): budgets set, and every movement of a
request's money, each written in the transaction of the step that caused it.

`LedgerHook` is a transaction hook every store runs: after each applied request event
(a leaver's withdrawals included) it compares what the request should hold in its new
state (rules.holding_of) with what the ledger says it holds, and writes the difference.
Amounts are stored in whole pence, so every sum is exact.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from workflow.budgets.rules import (
    BUDGET_SET,
    COMMITTED,
    PENNY,
    RELEASED,
    SPENT,
    ZERO,
    BudgetStanding,
    Holding,
    holding_of,
    movements,
)
from workflow.policy.vocabulary import Rule
from workflow.states import State

if TYPE_CHECKING:  # the store imports this module while the engine is still loading
    from workflow.model import Command, CpdRequest, Transition
    from workflow.policy import PolicySet
    from workflow.store.policies import Governance

APPROVALS = frozenset({"cpd.request.head_approved", "cpd.request.executive_approved"})
OVERRIDE_REASON = "override_reason"
AUDIT_KIND = "budgets"  # movements are entries of the budgets family's kind, like budget.set


def pence(amount: Decimal) -> int:
    return int(amount.quantize(PENNY) * 100)


def pounds(amount_pence: int) -> Decimal:
    return (Decimal(amount_pence) / 100).quantize(PENNY)


@dataclass(frozen=True)
class Totals:
    """A school's year: its budget (None: none set) and what its requests hold."""

    budget: Decimal | None
    categories: dict[str, str] | None
    committed: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed - self.spent


def totals(db: sqlite3.Connection, school_id: str, year: str) -> Totals:
    sums = dict(
        db.execute(
            "SELECT kind, SUM(amount_pence) FROM budget_ledger WHERE school_id = ?"
            " AND financial_year = ? AND kind != ? GROUP BY kind",
            (school_id, year, BUDGET_SET),
        ).fetchall()
    )
    latest = db.execute(
        "SELECT amount_pence, categories FROM budget_ledger WHERE school_id = ?"
        " AND financial_year = ? AND kind = ? ORDER BY seq DESC LIMIT 1",
        (school_id, year, BUDGET_SET),
    ).fetchone()
    spent = sums.get(SPENT, 0)
    return Totals(
        budget=pounds(latest[0]) if latest else None,
        categories=json.loads(latest[1]) if latest and latest[1] else None,
        committed=pounds(sums.get(COMMITTED, 0) - sums.get(RELEASED, 0) - spent),
        spent=pounds(spent),
    )


def held_by(db: sqlite3.Connection, request_id: str) -> Holding:
    sums = dict(
        db.execute(
            "SELECT kind, SUM(amount_pence) FROM budget_ledger WHERE request_id = ? GROUP BY kind",
            (request_id,),
        ).fetchall()
    )
    spent = sums.get(SPENT, 0)
    committed = sums.get(COMMITTED, 0) - sums.get(RELEASED, 0) - spent
    return Holding(committed=pounds(committed), spent=pounds(spent))


def append(
    db: sqlite3.Connection,
    *,
    school_id: str,
    year: str,
    kind: str,
    amount: Decimal,
    at: datetime,
    cause: str,
    actor: str,
    request_id: str | None = None,
    categories: dict[str, Any] | None = None,
) -> None:
    db.execute(
        "INSERT INTO budget_ledger (school_id, financial_year, kind, request_id, amount_pence,"
        " at, cause, actor, categories) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            school_id,
            year,
            kind,
            request_id,
            pence(amount),
            at.isoformat(),
            cause,
            actor,
            json.dumps(categories) if categories is not None else None,
        ),
    )


def year_of_request(request: CpdRequest, policy: PolicySet) -> str:
    """Its money belongs to the financial year its activity starts in (by its policy set)."""
    return policy.financial_year_containing(request.start_date).label


def standing(
    db: sqlite3.Connection, request: CpdRequest, policy: PolicySet, own: Holding
) -> BudgetStanding | None:
    """The school's budget as an approval of `request` finds it (None: no budget set), with
    what the request already holds (`own`) left out, so it is counted once."""
    year = year_of_request(request, policy)
    found = totals(db, request.school_id, year)
    if found.budget is None:
        return None
    submitted = request.details.get("submitted", {})
    cost = holding_of(State.HEAD_APPROVED, request.cost_gbp, submitted).committed
    return BudgetStanding(
        school_id=request.school_id,
        financial_year=year,
        budget=found.budget,
        committed=found.committed - own.committed,
        spent=found.spent - own.spent,
        this_request=cost,
        citation=policy.cite(Rule.WITHIN_BUDGET),
    )


def standing_for_approval(
    db: sqlite3.Connection, current: CpdRequest | None, command: Command, policy: PolicySet
) -> BudgetStanding | None:
    """What the budget guard judges an approval by; None for any other step."""
    if current is None or command.event_type not in APPROVALS:
        return None
    return standing(db, current, policy, held_by(db, current.request_id))


class LedgerHook:
    """Transaction hook: the ledger rows of the step just applied, and an override noted."""

    def __init__(self, governance: Governance) -> None:
        self.governance = governance

    def __call__(
        self, db: sqlite3.Connection, transition: Transition, command: Command, now: datetime
    ) -> None:
        if transition.from_state is None:
            return  # just submitted: it holds nothing yet
        request = transition.request
        held = held_by(db, request.request_id)
        target = holding_of(request.state, request.cost_gbp, request.details.get("submitted", {}))
        rows = movements(held, target)
        reason = str(command.data.get(OVERRIDE_REASON) or "").strip()
        overriding = command.event_type in APPROVALS and reason
        if not rows and not overriding:
            return
        policy = self.governance.for_request(request)
        if overriding:
            found = standing(db, request, policy, held)
            if found is not None and found.goes_over:
                _note_override(db, found, request, command, reason, now)
        year = year_of_request(request, policy)
        for kind, amount in rows:
            append(
                db,
                school_id=request.school_id,
                year=year,
                kind=kind,
                amount=amount,
                at=now,
                cause=command.event_type,
                actor=command.actor,
                request_id=request.request_id,
            )
            moved = {"financial_year": year, "amount_gbp": str(pounds(pence(amount)))}
            _audit(db, request, command, now, f"budget.{kind}", moved)


def _audit(
    db: sqlite3.Connection,
    request: CpdRequest,
    command: Command,
    now: datetime,
    event_type: str,
    data: dict[str, Any],
) -> None:
    """A movement's entry in the audit chain, caused by the step its request's history
    ends with (just written, in this transaction)."""
    from workflow.store import audit  # the store imports this module while it loads

    event_id, source = db.execute(
        "SELECT event_id, event_source FROM history WHERE request_id = ? ORDER BY seq DESC LIMIT 1",
        (request.request_id,),
    ).fetchone()
    audit.append(
        db,
        at=now,
        kind=AUDIT_KIND,
        event_type=event_type,
        event_id=event_id,
        event_source=source,
        actor=command.actor,
        data={**data, "cause": command.event_type},
        request_id=request.request_id,
        staff_id=request.staff_id,
        school_id=request.school_id,
        to_state=request.state,
    )


def _note_override(
    db: sqlite3.Connection,
    found: BudgetStanding,
    request: CpdRequest,
    command: Command,
    reason: str,
    now: datetime,
) -> None:
    request_id = request.request_id
    db.execute(
        "INSERT INTO budget_overrides (school_id, financial_year, request_id, cause, actor,"
        " reason, at, budget_pence, committed_pence, spent_pence, request_pence)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            found.school_id,
            found.financial_year,
            request_id,
            command.event_type,
            command.actor,
            reason,
            now.isoformat(),
            pence(found.budget),
            pence(found.committed),
            pence(found.spent),
            pence(found.this_request),
        ),
    )
    over = {
        "financial_year": found.financial_year,
        "override_reason": reason,
        "budget_gbp": str(found.budget),
        "committed_gbp": str(found.committed),
        "spent_gbp": str(found.spent),
        "request_gbp": str(found.this_request),
    }
    _audit(db, request, command, now, "budget.overridden", over)


__all__ = ["APPROVALS", "ZERO", "LedgerHook", "Totals", "standing_for_approval", "totals"]
