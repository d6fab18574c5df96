"""Messages that will not be applied: kept with their reason, announced, never dropped."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from workflow.store import _reads, _tracking
from workflow.store._events import EVENT_REJECTED, OutboundBuilder
from workflow.store._writes import announce, outbound_id
from workflow.store.outcomes import EventStatus


def storable(text: str | None) -> str | None:
    """`text` as SQLite can keep it: a lone surrogate (valid in JSON, not in UTF-8) is
    written as its escape, so recording why a message failed cannot fail in turn."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def keep(
    db: sqlite3.Connection,
    envelope: OutboundBuilder,
    *,
    transport: str,
    body: str,
    reason: str,
    code: str,
    source: str | None,
    event_id: str | None,
    event_type: str | None = None,
    request_id: str | None = None,
    position: _tracking.Position | None = None,
    now: datetime,
) -> EventStatus | None:
    """Keep the message as a dead letter and announce it. An event that was read but
    could not be applied is marked rejected with the reason (unless it was already
    processed), so `GET /events/{id}` and `?wait=true` answer instead of waiting for ever;
    returns that status."""
    body, reason = storable(body) or "", storable(reason) or ""
    source, event_id = storable(source), storable(event_id)
    db.execute(
        "INSERT INTO dead_letters (received_at, transport, source, event_id, reason, body)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (now.isoformat(), transport, source, event_id, reason, body),
    )
    closed = None
    if source is not None and event_id is not None and event_type is not None:
        closed = _close(db, source, event_id, event_type, request_id, reason, code, now)
    announce(
        db,
        envelope,
        event_id=outbound_id("invalid", transport, str(source), str(event_id), body),
        event_type=EVENT_REJECTED,
        subject=request_id or event_id or "",
        data={
            "event_id": event_id,
            "event_source": source,
            "event_type": event_type,
            "request_id": request_id,
            "reason": reason,
            "code": code,
        },
        at=now,
    )
    if position is not None:
        _tracking.advance(db, position, now)
    return closed


def _close(
    db: sqlite3.Connection,
    source: str,
    event_id: str,
    event_type: str,
    request_id: str | None,
    reason: str,
    code: str,
    now: datetime,
) -> EventStatus | None:
    stamp = now.isoformat()
    cursor = db.execute(
        "INSERT INTO inbox (source, event_id, event_type, request_id, status, reason, code,"
        " received_at, processed_at) VALUES (?, ?, ?, ?, 'rejected', ?, ?, ?, ?)"
        " ON CONFLICT (source, event_id) DO UPDATE SET status = 'rejected',"
        " reason = excluded.reason, code = excluded.code, processed_at = excluded.processed_at"
        " WHERE inbox.status = 'queued'",
        (source, event_id, event_type, request_id, reason, code, stamp, stamp),
    )
    # No row changed: the event had been processed already, and that answer stands.
    return _reads.status_sync(db, source, event_id) if cursor.rowcount else None
