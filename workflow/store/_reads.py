"""Queries; run on the reader connection (WAL lets them proceed beside the writer).

Each is one synchronous function run whole on the reader's thread (Store.on_reader), never
an async cursor: a cursor left open across an await would hold its snapshot, and every
other read on the connection meanwhile (a key just made, a key just revoked) would see
the database as it was when that cursor opened."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from workflow.store._rows import REQUEST_COLUMNS
from workflow.store.outcomes import EventStatus, HistoryEntry, OutboxMessage

_STATUS_COLUMNS = (
    "source, event_id, event_type, request_id, status, reason, code, received_at, processed_at"
)


def processed_status_sync(db: sqlite3.Connection, source: str, event_id: str) -> EventStatus | None:
    row = db.execute(
        f"SELECT {_STATUS_COLUMNS} FROM inbox WHERE source = ? AND event_id = ?"
        " AND status != 'queued'",
        (source, event_id),
    ).fetchone()
    return EventStatus(*row) if row else None


def status_sync(db: sqlite3.Connection, source: str, event_id: str) -> EventStatus | None:
    row = db.execute(
        f"SELECT {_STATUS_COLUMNS} FROM inbox WHERE source = ? AND event_id = ?",
        (source, event_id),
    ).fetchone()
    return EventStatus(*row) if row else None


def event_status(db: sqlite3.Connection, event_id: str, source: str | None) -> list[EventStatus]:
    args: tuple[str, ...]
    if source is None:
        sql, args = f"SELECT {_STATUS_COLUMNS} FROM inbox WHERE event_id = ?", (event_id,)
    else:
        sql = f"SELECT {_STATUS_COLUMNS} FROM inbox WHERE event_id = ? AND source = ?"
        args = (event_id, source)
    return [EventStatus(*row) for row in db.execute(sql, args).fetchall()]


def history(db: sqlite3.Connection, request_id: str) -> list[HistoryEntry]:
    rows = db.execute(
        "SELECT seq, at, event_id, event_source, event_type, actor, from_state, to_state, data,"
        " outcome, reason, on_behalf_of, client FROM history WHERE request_id = ? ORDER BY seq",
        (request_id,),
    ).fetchall()
    return [
        HistoryEntry(
            seq=row[0],
            at=row[1],
            event_id=row[2],
            event_source=row[3],
            event_type=row[4],
            actor=row[5],
            from_state=row[6],
            to_state=row[7],
            data=json.loads(row[8]),
            outcome=row[9],
            reason=row[10],
            on_behalf_of=row[11],
            client=row[12],
        )
        for row in rows
    ]


def unpublished(db: sqlite3.Connection, limit: int) -> list[OutboxMessage]:
    rows = db.execute(
        "SELECT seq, event_id, event_type, body FROM outbox WHERE published_at IS NULL"
        " ORDER BY seq LIMIT ?",
        (limit,),
    ).fetchall()
    return [OutboxMessage(*row) for row in rows]


def request_row(db: sqlite3.Connection, request_id: str) -> tuple[Any, ...] | None:
    row: tuple[Any, ...] | None = db.execute(
        f"SELECT {REQUEST_COLUMNS} FROM requests WHERE request_id = ?", (request_id,)
    ).fetchone()
    return row
