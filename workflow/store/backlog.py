"""What is waiting, read for /metrics and /health/ready: each a count over a partial index
that holds only the rows still waiting, so a scrape costs the same after years of events."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class Waiting:
    count: int
    oldest_at: datetime | None  # when the oldest of them was written


@dataclass(frozen=True)
class Backlog:
    queued_events: Waiting  # accepted over HTTP, not yet applied or refused
    outbox: Waiting  # committed, not yet published to the broker
    follow_ups_pending: dict[str, int] = field(default_factory=dict)  # by kind
    follow_ups_overdue: dict[str, int] = field(default_factory=dict)  # due before now, by kind
    notifications: dict[str, int] = field(default_factory=dict)  # queued and failed mail rows


def read(db: sqlite3.Connection, now: datetime) -> Backlog:
    queued = db.execute(
        "SELECT count(*), min(received_at) FROM inbox WHERE status = 'queued'"
    ).fetchone()
    outbox = db.execute(
        "SELECT count(*), (SELECT created_at FROM outbox WHERE published_at IS NULL"
        " ORDER BY seq LIMIT 1) FROM outbox WHERE published_at IS NULL"
    ).fetchone()
    pending: dict[str, int] = {}
    overdue: dict[str, int] = {}
    # due_at is written in one UTC format (scheduler/follow_up_rows.utc): text order is time.
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    for kind, count, late in db.execute(
        "SELECT kind, count(*), sum(due_at <= ?) FROM follow_ups WHERE status = 'pending'"
        " GROUP BY kind",
        (stamp,),
    ):
        pending[kind], overdue[kind] = int(count), int(late or 0)
    mail = {
        status: int(count)
        for status, count in db.execute(
            # Not `sent`: counting years of sent mail is what made a scrape slow.
            "SELECT status, count(*) FROM notifications WHERE status IN ('queued', 'failed')"
            " GROUP BY status"
        )
    }
    return Backlog(
        Waiting(int(queued[0]), _moment(queued[1])),
        Waiting(int(outbox[0]), _moment(outbox[1])),
        pending,
        overdue,
        mail,
    )


def database_bytes(path: Path) -> int:
    """The database file with its write-ahead log: what it takes on disk."""
    total = 0
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            total += os.stat(part).st_size
        except FileNotFoundError:
            continue
    return total


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
