"""What the reports read about in-house sessions: each with its attendance as it stands now
(corrections applied), counted on the session's date."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class SessionFacts:
    session_id: str
    school_id: str
    title: str
    date: date
    hours: Decimal
    kind: str
    led_by: str
    statutory_kind: str | None
    attendees: tuple[str, ...]

    @property
    def person_hours(self) -> Decimal:
        return self.hours * len(self.attendees)


_SELECT = (
    "SELECT s.session_id, s.school_id, s.title, s.date, s.hours, s.kind, s.led_by,"
    " s.statutory_kind, (SELECT group_concat(staff_id, char(31)) FROM (SELECT a.staff_id"
    " FROM session_attendance a WHERE a.session_id = s.session_id ORDER BY a.staff_id))"
    " FROM sessions s"
)


def sessions_between(
    db: sqlite3.Connection, first: date, last: date, school_ids: Collection[str] | None = None
) -> list[SessionFacts]:
    """Sessions held from `first` to `last` inclusive (at these schools), by date."""
    sql = f"{_SELECT} WHERE s.date BETWEEN ? AND ?"
    args: list[Any] = [first.isoformat(), last.isoformat()]
    if school_ids is not None:
        wanted = sorted(school_ids)
        sql += f" AND s.school_id IN ({', '.join('?' * len(wanted))})"
        args += wanted
    return _read(db, sql + " ORDER BY s.date, s.session_id", args)


def sessions_attended_by(db: sqlite3.Connection, staff_id: str) -> list[SessionFacts]:
    """Every session the person attended (as the attendance stands now), by date."""
    sql = (
        f"{_SELECT} WHERE s.session_id IN (SELECT session_id FROM session_attendance"
        " WHERE staff_id = ?) ORDER BY s.date, s.session_id"
    )
    return _read(db, sql, [staff_id])


def _read(db: sqlite3.Connection, sql: str, args: list[Any]) -> list[SessionFacts]:
    return [
        SessionFacts(
            session_id,
            school_id,
            title,
            date.fromisoformat(day),
            Decimal(str(hours)),
            kind,
            led_by,
            statutory_kind,
            tuple(attendees.split("\x1f")) if attendees else (),
        )
        for session_id, school_id, title, day, hours, kind, led_by, statutory_kind, attendees in (
            db.execute(sql, args).fetchall()
        )
    ]
