"""A store with a little of everything in its audit chain, and the attacker's tools: the
SQLite file edited directly, with the chain's triggers dropped first."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.workflow.budget_builders import budget_set
from tests.workflow.builders import HEAD, STAFF, event, lifecycle, open_store, submitted
from tests.workflow.directory_builders import delegated, staff
from workflow.audit import Head, Verdict
from workflow.clock import FakeClock
from workflow.store import audit

NEWCOMER = "staff-newcomer"


async def build(path: Path, clock: FakeClock) -> None:
    """Two lifecycles, one refused attempt, a request still waiting, a newcomer in the
    directory, a delegation, and a budget: some twenty-five entries, an hour apart."""
    async with open_store(path, clock) as store:
        events = [
            budget_set("school-north", "2026-27", "5000.00"),
            staff(NEWCOMER, "school-north"),
            *lifecycle("req-1"),
            event("cpd.request.head_approved", "req-1"),  # refused: already past that step
            submitted("req-2", staff_id=NEWCOMER),
            *lifecycle("req-3"),
            delegated(HEAD, STAFF, "head", "2026-10-01", "2026-12-31"),
        ]
        for cloud_event in events:
            clock.advance(timedelta(hours=1))
            await store.apply(cloud_event)


def tamper(path: Path, sql: str, *args: Any) -> None:
    """As an attacker with the file would: drop the triggers, then edit."""
    with closing(sqlite3.connect(path)) as db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            db.execute(f"DROP TRIGGER {name}")
        db.execute(sql, args)
        db.commit()


def verify(path: Path, kept: Head | None = None) -> Verdict:
    with closing(sqlite3.connect(path)) as db:
        return audit.verify(db, kept)


def head(path: Path) -> Head:
    with closing(sqlite3.connect(path)) as db:
        return audit.head(db)


def entries(path: Path, where: str = "1", *args: Any) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(path)) as db:
        db.row_factory = sqlite3.Row
        rows = db.execute(f"SELECT * FROM audit WHERE {where} ORDER BY seq", args).fetchall()
        return [dict(row) for row in rows]
