"""Reader: a school's requests whose activity starts in a period, with what each report
counts from their steps (priorities, cover, hours, ratings), read out of the kept JSON by
SQLite so long texts never leave the database."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from workflow.reports.periods import Period

# Training that took place: completed, and the steps after it.
TOOK_PLACE = frozenset({"completed", "evaluated", "disseminated"})
EVALUATED = frozenset({"evaluated", "disseminated"})
# Approved and still to take place (money committed, cover booked).
TO_COME = frozenset({"head_approved", "executive_approved", "booked"})
CLOSED_UNAPPROVED = frozenset({"rejected", "withdrawn"})

_COLUMNS = (
    "request_id, staff_id, school_id, state, activity_type, provider, title, start_date,"
    " created_at, cost_gbp, COALESCE(estimated_cost_gbp, cost_gbp), dissemination,"
    " json_extract(details, '$.submitted.priorities'),"
    " json_extract(details, '$.submitted.cover_days'),"
    " json_extract(details, '$.submitted.cover_cost_gbp'),"
    " json_extract(details, '$.submitted.hours'),"
    " json_extract(details, '$.evaluated.rating'),"
    " json_extract(details, '$.evaluated.recommend_provider'),"
    " json_extract(details, '$.impact_reviewed.impact_rating'),"
    " json_extract(details, '$.completed.completed_on')"
)


@dataclass(frozen=True)
class RequestRow:
    request_id: str
    staff_id: str
    school_id: str
    state: str
    activity_type: str
    provider: str | None
    title: str
    start_date: date
    created_at: datetime  # when it was submitted
    cost: Decimal  # as it stands: the booking's confirmed cost, else the estimate
    estimate: Decimal
    dissemination: str  # required, not_required, waived
    priorities: tuple[str, ...]
    cover_days: Decimal
    cover_cost: Decimal
    hours: Decimal | None
    rating: int | None  # the participant's evaluation, 1-5
    recommends_provider: bool | None
    impact_rating: int | None  # the impact review's, 1-5
    completed_on: date | None

    @property
    def took_place(self) -> bool:
        return self.state in TOOK_PLACE

    @property
    def evaluated(self) -> bool:
        return self.state in EVALUATED


def requests_starting(db: sqlite3.Connection, school_id: str, period: Period) -> list[RequestRow]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM requests WHERE school_id = ?"
        " AND start_date BETWEEN ? AND ? ORDER BY start_date, request_id",
        (school_id, period.first.isoformat(), period.last.isoformat()),
    ).fetchall()
    return [_row(r) for r in rows]


def _row(r: tuple[object, ...]) -> RequestRow:
    priorities = json.loads(str(r[12])) if r[12] else []
    return RequestRow(
        request_id=str(r[0]),
        staff_id=str(r[1]),
        school_id=str(r[2]),
        state=str(r[3]),
        activity_type=str(r[4]),
        provider=None if r[5] is None else str(r[5]),
        title=str(r[6]),
        start_date=date.fromisoformat(str(r[7])),
        created_at=datetime.fromisoformat(str(r[8])),
        cost=Decimal(str(r[9])),
        estimate=Decimal(str(r[10])),
        dissemination=str(r[11]),
        priorities=tuple(str(p) for p in priorities),
        cover_days=_decimal(r[13]) or Decimal(0),
        cover_cost=_decimal(r[14]) or Decimal(0),
        hours=_decimal(r[15]),
        rating=None if r[16] is None else int(str(r[16])),
        recommends_provider=None if r[17] is None else bool(r[17]),
        impact_rating=None if r[18] is None else int(str(r[18])),
        completed_on=None if r[19] is None else date.fromisoformat(str(r[19])),
    )


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))
