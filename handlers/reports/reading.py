"""Reports read the SQLite file on a connection of their own, read-only, in one read
transaction (every figure from the same moment), on a worker thread: a trust summary that
takes a second or two holds up neither the service's writer nor its other readers."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def read_snapshot(database: Path, work: Callable[..., T], *args: object) -> T:
    """`work(connection, *args)` on a read-only connection, inside one read transaction.
    Raises sqlite3.OperationalError when the file cannot be opened."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True, isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("BEGIN")
        try:
            return work(db, *args)
        finally:
            db.execute("COMMIT")
    finally:
        db.close()


async def read_report(database: Path, work: Callable[..., T], *args: object) -> T:
    return await asyncio.to_thread(read_snapshot, database, work, *args)
