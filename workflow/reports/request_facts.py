"""What the reports read about requests: each request with what happened to it, in one row.

A request belongs to the period its activity starts in (`start_date`). `approved` means it
reached `executive_approved` (also when the policy set passed that step itself), whatever
happened after; `school_spend` is the school's money for it from the budget ledger: what
was spent (the actual) when anything was, else what is still committed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from workflow.budgets.ledger import pounds
from workflow.budgets.rules import COMMITTED, RELEASED, SPENT
from workflow.states import State

# Requests whose training took place: completed and every step after it.
TOOK_PLACE = frozenset({State.COMPLETED, State.EVALUATED, State.DISSEMINATED})

_SELECT = (
    "SELECT r.request_id, r.staff_id, r.school_id, r.title, r.activity_type, r.provider,"
    " r.start_date, r.end_date, r.state, r.cost_gbp, r.dissemination,"
    # Only the steps' own data: the submission's long texts never leave SQLite.
    " json_extract(r.details, '$.submitted.hours'),"
    " json_extract(r.details, '$.completed.completed_on'),"
    " json_extract(r.details, '$.evaluated'), json_extract(r.details, '$.disseminated'),"
    " json_extract(r.details, '$.impact_reviewed'),"
    " EXISTS (SELECT 1 FROM history h WHERE h.request_id = r.request_id"
    " AND h.to_state = 'executive_approved' AND h.outcome = 'applied'),"
    " (SELECT SUM(CASE l.kind WHEN ? THEN l.amount_pence WHEN ? THEN -l.amount_pence"
    " ELSE 0 END) FROM budget_ledger l WHERE l.request_id = r.request_id),"
    " (SELECT SUM(l.amount_pence) FROM budget_ledger l WHERE l.request_id = r.request_id"
    " AND l.kind = ?)"
    " FROM requests r"
)


@dataclass(frozen=True)
class Evaluation:
    rating: int
    impact_on_practice: str
    recommend_provider: bool


@dataclass(frozen=True)
class Dissemination:
    method: str
    disseminated_on: date
    audience: str


@dataclass(frozen=True)
class ImpactReview:
    reviewed_on: date
    impact_rating: int
    summary: str
    evidence: str | None = None


@dataclass(frozen=True)
class RequestFacts:
    request_id: str
    staff_id: str
    school_id: str
    title: str
    activity_type: str
    provider: str | None
    start_date: date
    end_date: date
    state: str
    cost_gbp: Decimal  # the activity's cost as known: the booking's, else the estimate
    hours: Decimal | None  # as submitted; None when the request did not say
    approved: bool  # reached executive_approved
    school_spend: Decimal  # the school's share: spent when any was, else committed
    dissemination_status: str = "required"  # required, not_required or waived
    completed_on: date | None = None
    evaluation: Evaluation | None = None
    dissemination: Dissemination | None = None
    impact_review: ImpactReview | None = None

    @property
    def took_place(self) -> bool:
        return self.state in TOOK_PLACE

    @property
    def rejected(self) -> bool:
        return self.state == State.REJECTED


def requests_starting(
    db: sqlite3.Connection, first: date, last: date, school_ids: Collection[str] | None = None
) -> list[RequestFacts]:
    """Requests whose activity starts from `first` to `last` inclusive (of these schools)."""
    sql = f"{_SELECT} WHERE r.start_date BETWEEN ? AND ?"
    args: list[Any] = [first.isoformat(), last.isoformat()]
    if school_ids is not None:
        wanted = sorted(school_ids)
        sql += f" AND r.school_id IN ({', '.join('?' * len(wanted))})"
        args += wanted
    return _read(db, sql + " ORDER BY r.start_date, r.request_id", args)


def requests_of_person(db: sqlite3.Connection, staff_id: str) -> list[RequestFacts]:
    """Every request the person made, oldest activity first."""
    sql = f"{_SELECT} WHERE r.staff_id = ? ORDER BY r.start_date, r.request_id"
    return _read(db, sql, [staff_id])


def _read(db: sqlite3.Connection, sql: str, args: list[Any]) -> list[RequestFacts]:
    rows = db.execute(sql, [COMMITTED, RELEASED, SPENT, *args]).fetchall()
    return [_facts(row) for row in rows]


def _facts(row: tuple[Any, ...]) -> RequestFacts:
    (request_id, staff_id, school_id, title, activity, provider, start, end, state) = row[:9]
    cost, dissemination_status, hours, completed_on = row[9:13]
    evaluated, disseminated, reviewed, approved, held, spent = row[13:]
    # The ledger's committed rows include what was later spent: what is still held is
    # committed minus released minus spent.
    committed = (held or 0) - (spent or 0)
    return RequestFacts(
        request_id=request_id,
        staff_id=staff_id,
        school_id=school_id,
        title=title,
        activity_type=activity,
        provider=provider,
        start_date=date.fromisoformat(start),
        end_date=date.fromisoformat(end),
        state=state,
        cost_gbp=Decimal(cost),
        hours=Decimal(str(hours)) if hours is not None else None,
        approved=bool(approved),
        school_spend=pounds(spent) if spent else pounds(committed),
        dissemination_status=dissemination_status,
        completed_on=date.fromisoformat(completed_on) if completed_on else None,
        evaluation=_evaluation(_object(evaluated)),
        dissemination=_dissemination(_object(disseminated)),
        impact_review=_impact(_object(reviewed)),
    )


def _object(text: str | None) -> dict[str, Any] | None:
    return json.loads(text) if text else None


def _evaluation(data: dict[str, Any] | None) -> Evaluation | None:
    if data is None:
        return None
    return Evaluation(
        int(data["rating"]), str(data["impact_on_practice"]), bool(data["recommend_provider"])
    )


def _dissemination(data: dict[str, Any] | None) -> Dissemination | None:
    if data is None:
        return None
    on = date.fromisoformat(str(data["disseminated_on"]))
    return Dissemination(str(data["method"]), on, str(data["audience"]))


def _impact(data: dict[str, Any] | None) -> ImpactReview | None:
    if data is None:
        return None
    return ImpactReview(
        date.fromisoformat(str(data["reviewed_on"])),
        int(data["impact_rating"]),
        str(data["summary"]),
        data.get("evidence") or None,
    )
