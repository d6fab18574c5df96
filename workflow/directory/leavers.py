"""A leaver's open requests are withdrawn by the service, when their last working day ends.

A `staff.left` whose last day has already ended withdraws them in its own transaction. A
future one writes a pending row in `departures`, due when that day ends (school time
zone); the waker (scheduler/follow_ups.py) carries it out then, in one transaction, and
also catches requests the person submitted meanwhile. Each withdrawal goes through the
engine and the normal write path (history, `cpd.request.state_changed`, follow-ups
cancelled), with actor `cpd-workflow`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workflow.directory.records import SCHOOL_ZONE, StaffMember, end_of_day
from workflow.directory.store import utc
from workflow.model import Command
from workflow.states import WITHDRAWABLE_STATES, State
from workflow.store._events import SERVICE_ACTOR, OutboundBuilder, TransactionHook, apply_event
from workflow.store._writes import outbound_id
from workflow.store.policies import Governance

DIRECTORY_SOURCE = "cpd-workflow/directory"
WITHDRAWN = "cpd.request.withdrawn"


@dataclass(frozen=True)
class ServiceEvent:
    """An event the service raises itself: it has the inbox identity an inbound one has,
    so carrying a departure out twice withdraws nothing twice."""

    source: str
    id: str
    type: str
    subject: str


@dataclass(frozen=True)
class Departure:
    staff_id: str
    left_on: str
    reason: str
    cause_source: str
    cause_id: str


def record_departure(
    db: sqlite3.Connection,
    leaver: StaffMember,
    cause: tuple[str, str],
    now: datetime,
    envelope: OutboundBuilder,
    hooks: Sequence[TransactionHook],
    governance: Governance | None = None,
) -> int:
    """Withdraw now if the last day has ended, else schedule it; returns how many withdrawn."""
    assert leaver.left_on is not None and leaver.leaving_reason is not None
    # A corrected last day replaces the one announced before.
    cancel_departures(db, leaver.staff_id, now, "a later staff.left replaced it")
    departure = Departure(
        leaver.staff_id, leaver.left_on.isoformat(), leaver.leaving_reason, *cause
    )
    takes_effect = end_of_day(leaver.left_on, SCHOOL_ZONE)
    done = takes_effect <= now
    db.execute(
        "INSERT INTO departures (cause_source, cause_id, staff_id, left_on, reason,"
        " takes_effect_at, status, created_at, done_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (
            departure.cause_source,
            departure.cause_id,
            departure.staff_id,
            departure.left_on,
            departure.reason,
            utc(takes_effect),
            "done" if done else "pending",
            utc(now),
            utc(now) if done else None,
        ),
    )
    return withdraw_open_requests(db, departure, now, envelope, hooks, governance) if done else 0


def cancel_departures(db: sqlite3.Connection, staff_id: str, now: datetime, why: str) -> int:
    """Called when a later event replaces a pending departure (or the person is rehired)."""
    return db.execute(
        "UPDATE departures SET status = 'cancelled', done_at = ? WHERE staff_id = ?"
        " AND status = 'pending'",
        (utc(now), staff_id),
    ).rowcount


def due_departures(db: sqlite3.Connection, now: datetime) -> list[Departure]:
    rows = db.execute(
        "SELECT staff_id, left_on, reason, cause_source, cause_id FROM departures"
        " WHERE status = 'pending' AND takes_effect_at <= ? ORDER BY takes_effect_at",
        (utc(now),),
    ).fetchall()
    return [Departure(*row) for row in rows]


def carry_out(
    db: sqlite3.Connection,
    departure: Departure,
    now: datetime,
    envelope: OutboundBuilder,
    hooks: Sequence[TransactionHook],
    governance: Governance | None = None,
) -> int:
    """Carry out one due departure in the caller's transaction; returns how many withdrawn."""
    claimed = db.execute(
        "UPDATE departures SET status = 'done', done_at = ? WHERE cause_source = ?"
        " AND cause_id = ? AND status = 'pending'",
        (utc(now), departure.cause_source, departure.cause_id),
    ).rowcount
    if not claimed:  # done or cancelled since it was read: never twice
        return 0
    return withdraw_open_requests(db, departure, now, envelope, hooks, governance)


def next_departure_due(db: sqlite3.Connection) -> datetime | None:
    row = db.execute(
        "SELECT MIN(takes_effect_at) FROM departures WHERE status = 'pending'"
    ).fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def withdraw_open_requests(
    db: sqlite3.Connection,
    departure: Departure,
    now: datetime,
    envelope: OutboundBuilder,
    hooks: Sequence[TransactionHook],
    governance: Governance | None = None,
) -> int:
    """Withdraw every request of the leaver not yet completed, except booked ones whose start
    date has come (they can no longer be withdrawn; the CPD lead closes them)."""
    today = now.astimezone(SCHOOL_ZONE).date().isoformat()
    states = [s.value for s in WITHDRAWABLE_STATES]
    rows = db.execute(
        f"SELECT request_id FROM requests WHERE staff_id = ? AND state IN"
        f" ({', '.join('?' * len(states))}) AND NOT (state = ? AND start_date <= ?)"
        " ORDER BY request_id",
        (departure.staff_id, *states, State.BOOKED.value, today),
    ).fetchall()
    data = _withdrawal_data(departure)
    for (request_id,) in rows:
        ident = outbound_id(
            "leaver-withdrawal", departure.cause_source, departure.cause_id, request_id
        )
        event = ServiceEvent(DIRECTORY_SOURCE, ident, WITHDRAWN, request_id)
        command = Command(WITHDRAWN, request_id, SERVICE_ACTOR, data, now)
        apply_event(db, event, command, now, envelope, hooks, governance, by_service=True)
    return len(rows)


def _withdrawal_data(departure: Departure) -> dict[str, Any]:
    return {
        "reason": (
            f"{departure.staff_id} left (last working day {departure.left_on},"
            f" {departure.reason.replace('_', ' ')})"
        ),
        "leaver": {
            "staff_id": departure.staff_id,
            "left_on": departure.left_on,
            "reason": departure.reason,
        },
        "cause": {"source": departure.cause_source, "id": departure.cause_id},
    }
