"""Queries; run on the reader connection (WAL lets them proceed beside the writer)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import aiosqlite

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


async def event_status(
    db: aiosqlite.Connection, event_id: str, source: str | None
) -> list[EventStatus]:
    args: tuple[str, ...]
    if source is None:
        sql, args = f"SELECT {_STATUS_COLUMNS} FROM inbox WHERE event_id = ?", (event_id,)
    else:
        sql = f"SELECT {_STATUS_COLUMNS} FROM inbox WHERE event_id = ? AND source = ?"
        args = (event_id, source)
    async with db.execute(sql, args) as cursor:
        return [EventStatus(*row) for row in await cursor.fetchall()]


async def history(db: aiosqlite.Connection, request_id: str) -> list[HistoryEntry]:
    async with db.execute(
        "SELECT seq, at, event_id, event_source, event_type, actor, from_state, to_state, data,"
        " outcome, reason, on_behalf_of, client FROM history WHERE request_id = ? ORDER BY seq",
        (request_id,),
    ) as cursor:
        rows = await cursor.fetchall()
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


async def unpublished(db: aiosqlite.Connection, limit: int) -> list[OutboxMessage]:
    async with db.execute(
        "SELECT seq, event_id, event_type, body FROM outbox WHERE published_at IS NULL"
        " ORDER BY seq LIMIT ?",
        (limit,),
    ) as cursor:
        return [OutboxMessage(*row) for row in await cursor.fetchall()]


async def dead_letters(db: aiosqlite.Connection, limit: int) -> list[dict[str, Any]]:
    async with db.execute(
        "SELECT id, received_at, transport, source, event_id, reason, body FROM dead_letters"
        " ORDER BY id DESC LIMIT ?",
        (limit,),
    ) as cursor:
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in await cursor.fetchall()]
