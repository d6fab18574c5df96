"""Statements that run inside a write transaction; shared by events and follow-ups."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from workflow.store import audit
from workflow.store._rows import dumps

REQUEST_KIND = "request"  # the audit entries of requests (their history and refusals)

# Outbound ids are derived, not random, so a re-processed event or a re-fired
# follow-up emits the same id and downstream systems can drop the repeat.
_OUTBOUND_IDS = uuid.UUID("6d1f0c1e-8b59-4c55-9a55-6a0b9cf0d1a7")


def outbound_id(*parts: str) -> str:
    return str(uuid.uuid5(_OUTBOUND_IDS, "\x1f".join(parts)))


def append_history(
    db: sqlite3.Connection,
    *,
    request_id: str,
    seq: int,
    at: datetime,
    event_id: str,
    event_source: str,
    event_type: str,
    actor: str,
    from_state: str | None,
    to_state: str,
    data: dict[str, Any],
    outcome: str = "applied",
    reason: str | None = None,
    on_behalf_of: str | None = None,
    client: str | None = None,
) -> None:
    """One entry of the request's history (number `seq` there): an entry of the audit
    chain, about the request's requester and school (its row is written first)."""
    staff_id, school_id = db.execute(
        "SELECT staff_id, school_id FROM requests WHERE request_id = ?", (request_id,)
    ).fetchone()
    audit.append(
        db,
        at=at,
        kind=REQUEST_KIND,
        event_type=event_type,
        event_id=event_id,
        event_source=event_source,
        actor=actor,
        data=data,
        outcome=outcome,
        on_behalf_of=on_behalf_of,
        client=client,
        request_id=request_id,
        request_seq=seq,
        staff_id=staff_id,
        school_id=school_id,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )


def enqueue_outbound(
    db: sqlite3.Connection, *, event_id: str, event_type: str, body: dict[str, Any], at: datetime
) -> None:
    db.execute(
        "INSERT INTO outbox (event_id, event_type, body, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (event_id) DO NOTHING",
        (event_id, event_type, dumps(body), at.isoformat()),
    )


def announce(
    db: sqlite3.Connection,
    envelope: Callable[..., dict[str, Any]],
    *,
    event_id: str,
    event_type: str,
    subject: str,
    data: dict[str, Any],
    at: datetime,
) -> None:
    """Put an outbound CloudEvent in the outbox, in the caller's transaction."""
    body = envelope(event_id=event_id, event_type=event_type, subject=subject, data=data, time=at)
    enqueue_outbound(db, event_id=event_id, event_type=event_type, body=body, at=at)
