"""How one inbound event is applied inside a write transaction.

Runs on the writer thread: plain sqlite3, no awaits, so a transaction is one hop.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from workflow.errors import DomainError
from workflow.model import Command, CpdRequest, Transition, apply
from workflow.store import _reads
from workflow.store._rows import REQUEST_COLUMNS, request_from_row, request_to_row
from workflow.store._writes import announce, append_history, outbound_id
from workflow.store.outcomes import APPLIED, REJECTED, EventStatus, Outcome

STATE_CHANGED = "cpd.request.state_changed"
EVENT_REJECTED = "cpd.event.rejected"

# Runs inside the event's transaction after the state change (follow-ups hook in here).
TransactionHook = Callable[[sqlite3.Connection, Transition, Command, datetime], None]
OutboundBuilder = Callable[..., dict[str, Any]]

# An upsert, not INSERT OR REPLACE: replacing deletes the row its history refers to.
_COLUMN_NAMES = [c.strip() for c in REQUEST_COLUMNS.split(",")]
_UPSERT_REQUEST = (
    f"INSERT INTO requests ({REQUEST_COLUMNS}) VALUES ({', '.join('?' * len(_COLUMN_NAMES))})"
    " ON CONFLICT (request_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMN_NAMES if c != "request_id")
)


def apply_event(
    db: sqlite3.Connection,
    event: Any,
    command: Command,
    now: datetime,
    envelope: OutboundBuilder,
    hooks: Sequence[TransactionHook],
) -> Outcome:
    """Apply one event inside the caller's transaction: exactly once, per its inbox row."""
    done = _reads.processed_status_sync(db, event.source, event.id)
    if done is not None:
        return Outcome(done, None, duplicate=True)
    current, last_seq = _load(db, command.request_id)
    try:
        transition = apply(current, command, now)
    except DomainError as error:
        return Outcome(_reject(db, envelope, event, error.reason, error.code, now), current)
    _write(db, envelope, event, command, transition, last_seq + 1, now)
    for hook in hooks:
        hook(db, transition, command, now)
    return Outcome(_status(event, APPLIED, now), transition.request)


def _write(
    db: sqlite3.Connection,
    envelope: OutboundBuilder,
    event: Any,
    command: Command,
    transition: Transition,
    seq: int,
    now: datetime,
) -> None:
    request = transition.request
    db.execute(_UPSERT_REQUEST, request_to_row(request, seq))
    append_history(
        db,
        request_id=request.request_id,
        seq=seq,
        at=now,
        event_id=event.id,
        event_source=event.source,
        event_type=event.type,
        actor=command.actor,
        from_state=transition.from_state,
        to_state=transition.to_state,
        data=command.data,
    )
    _mark(db, event, APPLIED, None, None, now)
    data = {
        "request_id": request.request_id,
        "school_id": request.school_id,
        "staff_id": request.staff_id,
        "from_state": transition.from_state,
        "to_state": transition.to_state,
        "version": request.version,
        "seq": seq,
        "cause": {"id": event.id, "source": event.source, "type": event.type},
        "actor": command.actor,
    }
    ident = outbound_id("state_changed", event.source, event.id)
    announce(
        db,
        envelope,
        event_id=ident,
        event_type=STATE_CHANGED,
        subject=request.request_id,
        data=data,
        at=now,
    )


def _reject(
    db: sqlite3.Connection,
    envelope: OutboundBuilder,
    event: Any,
    reason: str,
    code: str,
    now: datetime,
) -> EventStatus:
    _mark(db, event, REJECTED, reason, code, now)
    data = {
        "event_id": event.id,
        "event_source": event.source,
        "event_type": event.type,
        "request_id": event.subject,
        "reason": reason,
        "code": code,
    }
    ident = outbound_id("rejected", event.source, event.id)
    announce(
        db,
        envelope,
        event_id=ident,
        event_type=EVENT_REJECTED,
        subject=event.subject,
        data=data,
        at=now,
    )
    return _status(event, REJECTED, now, reason, code)


def _load(db: sqlite3.Connection, request_id: str) -> tuple[CpdRequest | None, int]:
    row = db.execute(
        f"SELECT {REQUEST_COLUMNS} FROM requests WHERE request_id = ?", (request_id,)
    ).fetchone()
    return request_from_row(row) if row else (None, 0)


def _mark(
    db: sqlite3.Connection,
    event: Any,
    status: str,
    reason: str | None,
    code: str | None,
    now: datetime,
) -> None:
    stamp = now.isoformat()
    db.execute(
        "INSERT INTO inbox (source, event_id, event_type, request_id, status, reason, code,"
        " received_at, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (source, event_id) DO UPDATE SET status = excluded.status,"
        " reason = excluded.reason, code = excluded.code, processed_at = excluded.processed_at",
        (event.source, event.id, event.type, event.subject, status, reason, code, stamp, stamp),
    )


def _status(
    event: Any, status: str, now: datetime, reason: str | None = None, code: str | None = None
) -> EventStatus:
    return EventStatus(
        event.source,
        event.id,
        event.type,
        event.subject,
        status,
        reason,
        code,
        processed_at=now.isoformat(),
    )
