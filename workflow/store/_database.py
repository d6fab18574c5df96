"""Opening the SQLite file the way every connection of ours needs it."""

from __future__ import annotations

from pathlib import Path

import aiosqlite


async def connect(path: Path, *, readonly: bool = False) -> aiosqlite.Connection:
    # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves, so a
    # transaction is exactly the statements between them and nothing implicit.
    db = await aiosqlite.connect(path, isolation_level=None)
    await db.execute("PRAGMA busy_timeout = 10000")
    if readonly:
        await db.execute("PRAGMA query_only = ON")
    else:
        await db.execute("PRAGMA journal_mode = WAL")
        await db.execute("PRAGMA synchronous = FULL")
        await db.execute("PRAGMA foreign_keys = ON")
    return db
