"""The `qualifications` table: statutory training each person holds, however it was gained.

Plain sqlite3 on the caller's connection (inside an event's transaction, or the reader). A
row is never deleted: a session's corrected attendance withdraws one (`withdrawn_at`), so
what was once recorded stays readable. Writing or withdrawing a row marks the person's kind
for the scheduler to plan its renewal reminders again (`renewals_planned_at` NULL).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from workflow.store import outbound_id

RECORDED, FROM_REQUEST, FROM_SESSION = "recorded", "request", "session"
COLUMNS = (
    "qualification_id, staff_id, kind, achieved_on, valid_until, source, source_id,"
    " recorded_by, awarding_body, certificate"
)
# The one a person's standing rests on: the latest last day, then the latest achieved.
_CURRENT_FIRST = "ORDER BY valid_until DESC, achieved_on DESC, recorded_at DESC"


@dataclass(frozen=True)
class Qualification:
    qualification_id: str
    staff_id: str
    kind: str
    achieved_on: date
    valid_until: date
    source: str  # recorded, request or session
    source_id: str  # the recording event (source/id), the request id or the session id
    recorded_by: str
    awarding_body: str | None = None
    certificate: str | None = None


def qualification_id(source: str, *about: str) -> str:
    """Stable: the same recording, request or session attendance always gives the same id."""
    return outbound_id("qualification", source, *about)


def save(db: sqlite3.Connection, q: Qualification, now: datetime) -> None:
    """Record it, or record it again (a re-added attendee's is no longer withdrawn)."""
    db.execute(
        f"INSERT INTO qualifications ({COLUMNS}, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?) ON CONFLICT (qualification_id) DO UPDATE SET achieved_on ="
        " excluded.achieved_on, valid_until = excluded.valid_until, withdrawn_at = NULL,"
        " renewals_planned_at = NULL",
        (
            q.qualification_id,
            q.staff_id,
            q.kind,
            q.achieved_on.isoformat(),
            q.valid_until.isoformat(),
            q.source,
            q.source_id,
            q.recorded_by,
            q.awarding_body,
            q.certificate,
            now.isoformat(),
        ),
    )


def withdraw(db: sqlite3.Connection, ident: str, now: datetime) -> None:
    db.execute(
        "UPDATE qualifications SET withdrawn_at = ?, renewals_planned_at = NULL"
        " WHERE qualification_id = ? AND withdrawn_at IS NULL",
        (now.isoformat(), ident),
    )


def current(db: sqlite3.Connection, staff_id: str, kind: str) -> Qualification | None:
    """The qualification a person's standing in `kind` rests on (None: they hold none)."""
    row = db.execute(
        f"SELECT {COLUMNS} FROM qualifications WHERE staff_id = ? AND kind = ?"
        f" AND withdrawn_at IS NULL {_CURRENT_FIRST} LIMIT 1",
        (staff_id, kind),
    ).fetchone()
    return _qualification(row) if row else None


def of_person(db: sqlite3.Connection, staff_id: str) -> list[Qualification]:
    """Everything a person holds (not withdrawn), by kind, the current one first."""
    rows = db.execute(
        f"SELECT {COLUMNS} FROM qualifications WHERE staff_id = ? AND withdrawn_at IS NULL"
        f" ORDER BY kind, valid_until DESC, achieved_on DESC",
        (staff_id,),
    ).fetchall()
    return [_qualification(row) for row in rows]


def last_valid_days(
    db: sqlite3.Connection, staff_ids: Iterable[str]
) -> dict[tuple[str, str], date]:
    """(person, kind) -> the last day their current qualification is valid."""
    wanted = sorted(set(staff_ids))
    found: dict[tuple[str, str], date] = {}
    for start in range(0, len(wanted), 500):  # well inside SQLite's limit on parameters
        chunk = wanted[start : start + 500]
        rows = db.execute(
            "SELECT staff_id, kind, MAX(valid_until) FROM qualifications"
            f" WHERE withdrawn_at IS NULL AND staff_id IN ({', '.join('?' * len(chunk))})"
            " GROUP BY staff_id, kind",
            chunk,
        ).fetchall()
        found.update({(s, k): date.fromisoformat(until) for s, k, until in rows})
    return found


def _qualification(row: tuple[str, ...]) -> Qualification:
    ident, staff_id, kind, achieved, until, source, source_id, by, body, certificate = row
    return Qualification(
        ident,
        staff_id,
        kind,
        date.fromisoformat(achieved),
        date.fromisoformat(until),
        source,
        source_id,
        by,
        body,
        certificate,
    )
