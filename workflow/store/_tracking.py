"""The tracking record: how far a broker stream has been applied.

A position is written in the same transaction as the effects of the message it names,
so the store alone says where reading must resume; the broker's acknowledgements and
redelivery timers play no part in what is applied or in what order.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Position:
    """Message number `seq` of the stream read by `reader` (e.g. ``nats:CPD_INBOUND``)."""

    reader: str
    seq: int


@dataclass(frozen=True)
class Tracked:
    stream_id: str  # tells a re-created stream (numbered from 1 again) from the old one
    position: int


def advance(db: sqlite3.Connection, position: Position, now: datetime) -> None:
    """Record `position` as applied; never moves backwards."""
    db.execute(
        "UPDATE tracking SET position = ?, updated_at = ? WHERE reader = ? AND position < ?",
        (position.seq, now.isoformat(), position.reader, position.seq),
    )


def read(db: sqlite3.Connection, reader: str) -> Tracked | None:
    row = db.execute(
        "SELECT stream_id, position FROM tracking WHERE reader = ?", (reader,)
    ).fetchone()
    return Tracked(row[0], int(row[1])) if row else None


def reset(db: sqlite3.Connection, reader: str, tracked: Tracked, now: datetime) -> None:
    db.execute(
        "INSERT INTO tracking (reader, stream_id, position, updated_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (reader) DO UPDATE SET stream_id = excluded.stream_id,"
        " position = excluded.position, updated_at = excluded.updated_at",
        (reader, tracked.stream_id, tracked.position, now.isoformat()),
    )
