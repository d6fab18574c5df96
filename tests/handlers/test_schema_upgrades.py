"""A database left by every earlier schema upgrades to the latest and reads back whole.

For each schema k before the latest, the file is built by migrations 1..k (their real SQL),
with the rows a release of each version wrote put in right after the migration that made
their tables, so older rows live through every later migration up to k, as in a school's
file. The service then starts on it (the current code migrates it) and answers for them.
The versions come from MIGRATIONS itself, so a migration added later is covered too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from workflow.access import key_hash, new_key
from workflow.store._migration_money import MONEY
from workflow.store._migration_obligations import OBLIGATIONS
from workflow.store._migration_reach import REACHING_PEOPLE
from workflow.store._migration_replays import REPLAYS
from workflow.store._migrations import MIGRATIONS, migrate_connection

PORTAL = "urn:trust:staff-portal"
T0 = "2026-11-02T09:00:00+00:00"
KEY = new_key()


def version_of(script: str) -> int:
    """The schema a migration brings a file to, wherever it now sits in the list."""
    return MIGRATIONS.index(script) + 1


def staff(staff_id: str, roles: list[str], line_manager_id: str | None) -> tuple[Any, ...]:
    record = {
        "staff_id": staff_id,
        "name": staff_id.title(),
        "email": f"{staff_id.lower()}@walmley.example",
        "school_id": "S-WALMLEY",
        "roles": roles,
        "line_manager_id": line_manager_id,
        "is_ect": False,
        "contract": "full_time",
        "started_on": "2020-09-01",
        "extra_school_ids": [],
        "left_on": None,
        "leaving_reason": None,
        "resigned_on": None,
    }
    roles_text = ";" + ";".join(sorted(roles)) + ";"
    return (staff_id, T0, roles_text, json.dumps(record), f"hr-{staff_id}")


HISTORY_V1 = (
    "INSERT INTO history (request_id, seq, at, event_id, event_source, event_type, actor,"
    " from_state, to_state, data) VALUES ('REQ-OLD', ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
SUBMITTED = {"staff_id": "T-042", "school_id": "S-WALMLEY", "title": "Phonics leadership"}
STAFF = (
    "INSERT INTO staff_versions (staff_id, version, valid_from, school_id, roles, record,"
    " event_source, event_id, actor) VALUES (?, 1, ?, 'S-WALMLEY', ?, ?, 'urn:hr', ?, 'hr')"
)
SCHOOL = {"school_id": "S-WALMLEY", "name": "Walmley Infant", "policy_id": None, "trust_id": "T"}

# (the schema after which a release wrote them, statement, parameters)
ROWS: list[tuple[int, str, tuple[Any, ...]]] = [
    (
        1,
        "INSERT INTO requests VALUES ('REQ-OLD', 'head_approved', 'T-042', 'S-WALMLEY',"
        " 'Phonics leadership', 'course', 'Teaching Hub', '2099-01-12', '2099-01-13', '180.00',"
        " 2, 3, ?, ?, ?)",
        (T0, T0, json.dumps({"justification": "SIP 2", "priorities": ["SIP-2"]})),
    ),
    (
        1,
        HISTORY_V1,
        (
            1,
            T0,
            "e-1",
            PORTAL,
            "cpd.request.submitted",
            "T-042",
            None,
            "requested",
            json.dumps(SUBMITTED),
        ),
    ),
    (
        1,
        HISTORY_V1,
        (
            2,
            T0,
            "e-2",
            PORTAL,
            "cpd.request.head_approved",
            "HEAD-1",
            "requested",
            "head_approved",
            "{}",
        ),
    ),
    (
        1,
        HISTORY_V1,
        (
            3,
            T0,
            "f-1",
            "cpd-workflow/scheduler",
            "cpd.reminder.due",
            "cpd-workflow",
            "head_approved",
            "head_approved",
            "{}",
        ),
    ),
    (
        1,
        "INSERT INTO inbox VALUES (?, ?, ?, 'REQ-OLD', 'applied', NULL, NULL, ?, ?)",
        (PORTAL, "e-2", "cpd.request.head_approved", T0, T0),
    ),
    (
        1,
        "INSERT INTO outbox (event_id, event_type, body, created_at, published_at)"
        " VALUES ('out-1', 'cpd.request.state_changed', '{}', ?, ?)",
        (T0, T0),
    ),
    (
        1,
        "INSERT INTO dead_letters (received_at, transport, source, event_id, reason, body)"
        " VALUES (?, 'nats', NULL, NULL, 'body is not valid JSON', '{not json')",
        (T0,),
    ),
    (
        2,
        "INSERT INTO follow_ups (id, request_id, school_id, kind, recipient_role, attempt,"
        " due_at, status, created_at) VALUES ('fu-1', 'REQ-OLD', 'S-WALMLEY',"
        " 'approval_pending', 'executive_lead', 1, '2099-01-01T09:00:00+00:00', 'pending', ?)",
        (T0,),
    ),
    (
        3,
        "INSERT INTO tracking VALUES ('nats:CPD_INBOUND', '2026-11-01T00:00:00+00:00', 7, ?)",
        (T0,),
    ),
    (
        4,
        "INSERT INTO history (request_id, seq, at, event_id, event_source, event_type, actor,"
        " from_state, to_state, data, outcome, reason) VALUES ('REQ-OLD', 4, ?, 'e-3', ?,"
        " 'cpd.request.executive_approved', 'T-042', 'head_approved', 'head_approved', '{}',"
        " 'refused', 'T-042 made this request and cannot approve it')",
        (T0, PORTAL),
    ),
    (4, "UPDATE requests SET last_seq = 4 WHERE request_id = 'REQ-OLD'", ()),
    (5, STAFF, staff("T-042", ["teacher"], "HEAD-1")),
    (5, STAFF, staff("HEAD-1", ["head_teacher"], None)),
    (
        5,
        "INSERT INTO school_versions VALUES ('S-WALMLEY', 1, ?, ?, 'urn:hr', 'hr-s', 'hr')",
        (T0, json.dumps(SCHOOL)),
    ),
    (version_of(REACHING_PEOPLE[1]), "UPDATE history SET client = 'portal' WHERE seq = 2", ()),
    (
        version_of(REACHING_PEOPLE[1]),
        "INSERT INTO api_keys VALUES ('operator', ?, '[\"admin\"]', NULL, ?, NULL)",
        (key_hash(KEY), T0),
    ),
    (
        version_of(REACHING_PEOPLE[2]),
        "INSERT INTO notifications (message_id, request_id, cause, kind, template, to_staff_id,"
        " to_address, to_name, subject, text, html, context, status, attempts, not_before,"
        " created_at, sent_at) VALUES ('<m-1@cpd-workflow>', 'REQ-OLD', 'e-2', 'decision',"
        " 'decision', 'T-042', 't-042@walmley.example', 'T-042', 'Head approval given', 't',"
        " '<p>t</p>', '{}', 'sent', 1, ?, ?, ?)",
        (T0, T0, T0),
    ),
    (
        version_of(MONEY[1]),
        "INSERT INTO budget_ledger (school_id, financial_year, kind, amount_pence, at, cause,"
        " actor) VALUES ('S-WALMLEY', '2026-27', 'budget_set', 1200000, ?, 'budget.set',"
        " 'HEAD-1')",
        (T0,),
    ),
    (
        version_of(OBLIGATIONS),
        "INSERT INTO qualifications VALUES ('q-1', 'T-042', 'safeguarding', '2026-09-01',"
        " '2099-08-31', 'Trust', NULL, 'recorded', 'e-q', ?, 'T-042', NULL, NULL)",
        (T0,),
    ),
    (
        version_of(REPLAYS),
        "UPDATE dead_letters SET replayed_at = ?, replayed_by = 'operator'",
        (T0,),
    ),
]


def build(path: Path, schema: int) -> None:
    """The file as a release at `schema` left it, its rows written by each earlier one."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode = WAL")
        for version in range(1, schema + 1):
            migrate_connection(db, up_to=version)
            for _, sql, args in (row for row in ROWS if row[0] == version):
                db.execute(sql, args)


@asynccontextmanager
async def upgraded(tmp_path: Path, schema: int) -> AsyncIterator[httpx.AsyncClient]:
    (tmp_path / "data").mkdir(mode=0o700)
    build(tmp_path / "data" / "cpd.sqlite3", schema)
    service = Service(Settings(data_dir=tmp_path / "data"))
    await service.start()
    try:
        assert service.store.schema_version == len(MIGRATIONS)
        transport = httpx.ASGITransport(app=create_app(service))
        headers = {"Authorization": f"Bearer {KEY}"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://cpd", headers=headers
        ) as client:
            yield client
    finally:
        await service.stop()


@pytest.mark.parametrize("schema", range(1, len(MIGRATIONS)))
async def test_a_database_from_an_earlier_schema_upgrades_and_its_rows_read_back(
    tmp_path: Path, schema: int
) -> None:
    def since(script_or_version: str | int) -> bool:
        wanted = script_or_version
        return schema >= (wanted if isinstance(wanted, int) else version_of(wanted))

    async with upgraded(tmp_path, schema) as client:
        request = (await client.get("/requests/REQ-OLD")).json()
        entries = (await client.get("/requests/REQ-OLD/history")).json()["entries"]
        event = (await client.get("/events/e-2", params={"source": PORTAL})).json()
        letters = (await client.get("/dead-letters")).json()["dead_letters"]
        follow_ups = (await client.get("/requests/REQ-OLD/follow-ups")).json()
        person = await client.get("/staff/T-042")
        budget = await client.get("/budgets/S-WALMLEY", params={"year": "2026-27"})
        compliance = await client.get("/compliance", params={"school_id": "S-WALMLEY"})

    assert (request["state"], request["cost_gbp"], request["estimated_cost_gbp"]) == (
        "head_approved",
        "180.00",
        "180.00",
    )
    assert (request["policy_id"], request["policy_version"]) == ("default", 1)
    outcomes = ["applied", "applied", "reminder"] + (["refused"] if since(4) else [])
    assert [e["outcome"] for e in entries] == outcomes
    assert event["status"] == "applied"
    (letter,) = letters
    assert (letter["body"], letter["event_type"]) == ("{not json", None)
    assert letter["replayed_at"] == (T0 if since(REPLAYS) else None)
    assert [f["id"] for f in follow_ups["follow_ups"]] == (["fu-1"] if since(2) else [])
    assert person.status_code == (200 if since(5) else 404)
    if since(REACHING_PEOPLE[1]):
        assert entries[1]["client"] == "portal"
    if since(REACHING_PEOPLE[2]):
        assert [n["subject"] for n in request["notifications"]] == ["Head approval given"]
    if since(MONEY[1]):
        assert budget.json()["budget_gbp"] == "12000.00"
    if since(OBLIGATIONS):
        rows = {row["staff_id"]: row["status"] for row in compliance.json()["items"]}
        assert rows["T-042"] == "valid"
