"""A person's CPD hours: completed requests that say how long they took, and sessions
attended. Counted by the day they happened (a request's `completed_on`, a session's date)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Requests whose training took place: completed and every step after it.
_TOOK_PLACE = ("completed", "evaluated", "disseminated")


@dataclass(frozen=True)
class CpdHours:
    staff_id: str
    requests: Decimal
    sessions: Decimal

    @property
    def total(self) -> Decimal:
        return self.requests + self.sessions


def cpd_hours(
    db: sqlite3.Connection, staff_id: str, start: date | None = None, end: date | None = None
) -> CpdHours:
    """Hours from `start` to `end`, inclusive (either open)."""
    first, last = (start or date.min).isoformat(), (end or date.max).isoformat()
    rows = db.execute(
        "SELECT json_extract(details, '$.submitted.hours') FROM requests"
        f" WHERE staff_id = ? AND state IN ({', '.join('?' * len(_TOOK_PLACE))})"
        " AND json_extract(details, '$.submitted.hours') IS NOT NULL"
        " AND json_extract(details, '$.completed.completed_on') BETWEEN ? AND ?",
        (staff_id, *_TOOK_PLACE, first, last),
    ).fetchall()
    sessions = db.execute(
        "SELECT s.hours FROM session_attendance a JOIN sessions s USING (session_id)"
        " WHERE a.staff_id = ? AND s.date BETWEEN ? AND ?",
        (staff_id, first, last),
    ).fetchall()
    return CpdHours(staff_id, _sum(rows), _sum(sessions))


def _sum(rows: list[tuple[str]]) -> Decimal:
    return sum((Decimal(str(hours)) for (hours,) in rows), Decimal(0))
