"""The readiness probe's write: one row rewritten through the writer, so "ready" means
the database file takes a write now (not full, not read-only, not locked by another
program), not merely that it opens."""

from __future__ import annotations

import sqlite3
from datetime import datetime

# Long enough for another program's short write; short, so a probe never holds the
# writer for the 10 s an event's transaction would wait.
PROBE_BUSY_MS = 1000


def beat(db: sqlite3.Connection, at: datetime) -> None:
    """Rewrite the heartbeat row, committed without waiting for the disk: the probe asks
    whether a write is taken, and the next durable commit syncs it anyway."""
    usual = int(db.execute("PRAGMA busy_timeout").fetchone()[0])
    db.execute(f"PRAGMA busy_timeout = {PROBE_BUSY_MS}")
    db.execute("PRAGMA synchronous = NORMAL")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("UPDATE heartbeat SET at = ? WHERE id = 1", (at.isoformat(),))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    finally:
        db.execute("PRAGMA synchronous = FULL")
        db.execute(f"PRAGMA busy_timeout = {usual}")
