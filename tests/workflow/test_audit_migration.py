"""Migration 16 chains the history written before it, oldest first, and leaves every
reader of history (the view now) seeing what it saw."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from tests.workflow.audit_builders import entries, verify
from tests.workflow.builders import open_store
from workflow.clock import FakeClock
from workflow.store._migrations import MIGRATIONS, migrate_connection

AUDIT_VERSION = 16
_REQUEST = (
    "INSERT INTO requests (request_id, state, staff_id, school_id, title, activity_type,"
    " start_date, end_date, cost_gbp, version, last_seq, created_at, updated_at, details)"
    " VALUES (?, ?, ?, 'school-north', 't', 'course', '2026-10-05', '2026-10-06', '250.00',"
    " 2, 2, '2026-09-01T09:00:00+00:00', '2026-09-02T09:00:00+00:00', '{}')"
)
_HISTORY = (
    "INSERT INTO history (request_id, seq, at, event_id, event_source, event_type, actor,"
    " from_state, to_state, data, outcome, reason, on_behalf_of, client)"
    " VALUES (?, ?, ?, ?, 'urn:portal', ?, ?, ?, ?, ?, ?, ?, NULL, 'portal')"
)


def _file_at_schema_15(path: Path) -> None:
    with closing(sqlite3.connect(path)) as db:
        for version, script in enumerate(MIGRATIONS[: AUDIT_VERSION - 1], start=1):
            assert isinstance(script, str)
            db.executescript(f"{script}\nPRAGMA user_version = {version};")
        db.execute(_REQUEST, ("old-b", "head_approved", "staff-bea"))
        db.execute(_REQUEST, ("old-a", "requested", "staff-ada"))
        rows = [  # written in this order, but chained by time
            ("old-b", 1, "2026-09-01T10:00:00+00:00", "e-b1", "cpd.request.submitted",
             "staff-bea", None, "requested", "{}", "applied", None),
            ("old-b", 2, "2026-09-03T10:00:00+00:00", "e-b2", "cpd.request.head_approved",
             "head-grace", "requested", "head_approved", '{"comment":"yes"}', "applied", None),
            ("old-a", 1, "2026-09-02T10:00:00+00:00", "e-a1", "cpd.request.submitted",
             "staff-ada", None, "requested", "{}", "applied", None),
            ("old-a", 2, "2026-09-04T10:00:00+00:00", "r-a2", "cpd.reminder.due",
             "cpd-workflow", "requested", "requested",
             json.dumps({"recipients": [{"staff_id": "head-grace"}]}), "reminder", None),
        ]  # fmt: skip
        db.executemany(_HISTORY, rows)
        db.commit()


def test_history_written_before_the_chain_is_chained_oldest_first(db_path: Path) -> None:
    _file_at_schema_15(db_path)

    with closing(sqlite3.connect(db_path)) as db:
        migrate_connection(db)
        version = db.execute("PRAGMA user_version").fetchone()[0]

    found = entries(db_path)
    assert version == len(MIGRATIONS)
    assert [e["event_id"] for e in found] == ["e-b1", "e-a1", "e-b2", "r-a2"]
    assert [(e["staff_id"], e["kind"]) for e in found[:2]] == [
        ("staff-bea", "request"),
        ("staff-ada", "request"),
    ]
    assert verify(db_path).intact


async def test_after_migration_history_reads_as_before_and_grows_in_the_chain(
    db_path: Path, clock: FakeClock
) -> None:
    _file_at_schema_15(db_path)

    async with open_store(db_path, clock, seeded=False) as store:
        old = await store.history("old-a")

    assert [(h.seq, h.event_type, h.outcome, h.client) for h in old] == [
        (1, "cpd.request.submitted", "applied", "portal"),
        (2, "cpd.reminder.due", "reminder", "portal"),
    ]
    reminded = entries(db_path, "seq IN (SELECT seq FROM audit_people WHERE staff_id = ?)",
                       "head-grace")  # fmt: skip
    assert {e["event_id"] for e in reminded} == {"e-b2", "r-a2"}


def test_the_same_history_always_chains_to_the_same_hashes(tmp_path: Path) -> None:
    heads = []
    for name in ("one.sqlite3", "two.sqlite3"):
        _file_at_schema_15(tmp_path / name)
        with closing(sqlite3.connect(tmp_path / name)) as db:
            migrate_connection(db)
        heads.append(verify(tmp_path / name).head)

    assert heads[0] == heads[1]
