"""The store's two connections and how work reaches them.

Each write transaction runs as one synchronous function on aiosqlite's worker thread, so
a transaction costs one hop between threads rather than one per statement
(per-statement hops had made it five times slower).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")


class Connections:
    """One writer (every transaction, in turn) and one read-only reader (WAL lets it read
    beside the writer)."""

    def __init__(self, writer: aiosqlite.Connection, reader: aiosqlite.Connection) -> None:
        self._db = writer
        self._reader = reader
        # Set after every commit that may have written to the outbox: wakes the relay.
        self.outbox_ready = asyncio.Event()

    async def close(self) -> None:
        await self._db.close()
        await self._reader.close()

    async def transaction(
        self, work: Callable[[sqlite3.Connection], T], *, fsync: bool = True
    ) -> T:
        """Run `work` in one IMMEDIATE transaction on the single writer; wake the relay after.

        `fsync=False` commits without waiting for the disk (synchronous=NORMAL for this one
        transaction): for notes whose loss in a power cut changes nothing that was promised.
        The next durable commit makes them durable too, since the WAL is synced as a whole."""
        run = _in_transaction if fsync else _in_transaction_unsynced
        result: T = await self.on_writer(run, work)
        self.outbox_ready.set()
        return result

    async def on_writer(self, function: Callable[..., T], *args: Any) -> T:
        """Run `function(connection, *args)` on the writer thread; it manages transactions."""
        # aiosqlite runs every call on its connection's own thread; handing it a whole
        # function makes a transaction one hop instead of one per statement. `_execute`
        # is aiosqlite's own dispatcher (pinned <0.23; covered by the store tests).
        result: T = await self._db._execute(  # type: ignore[no-untyped-call]
            function, self._db._conn, *args
        )
        return result

    async def on_reader(self, function: Callable[..., T], *args: Any) -> T:
        """Run `function(connection, *args)` on the reader's thread (sync sqlite3 reads)."""
        result: T = await self._reader._execute(  # type: ignore[no-untyped-call]
            function, self._reader._conn, *args
        )
        return result

    async def ping(self) -> dict[str, Any]:
        """Reachable, and durable as configured: the writer's journal and sync modes."""
        modes: dict[str, Any] = await self.on_writer(_durability)
        return modes

    @property
    def reader(self) -> aiosqlite.Connection:
        return self._reader


def _durability(db: sqlite3.Connection) -> dict[str, Any]:
    synchronous = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
    return {
        "journal_mode": db.execute("PRAGMA journal_mode").fetchone()[0],
        "synchronous": synchronous.get(db.execute("PRAGMA synchronous").fetchone()[0], "?"),
    }


def _in_transaction_unsynced(db: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    db.execute("PRAGMA synchronous = NORMAL")
    try:
        return _in_transaction(db, work)
    finally:
        db.execute("PRAGMA synchronous = FULL")


def _in_transaction(db: sqlite3.Connection, work: Callable[[sqlite3.Connection], T]) -> T:
    db.execute("BEGIN IMMEDIATE")
    try:
        result = work(db)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return result
