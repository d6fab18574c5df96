"""Over HTTP, against the whole service started on a policy directory: what a request was
submitted under, what its policy passed, and every attempt, in its record and history."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from tests.lifecycle import event, lifecycle, load_directory
from tests.workflow.policy_files import EXAMPLES


def walmley_and_nobody_else(_db: sqlite3.Connection, school_id: str, _at: datetime) -> str | None:
    return "walmley-infant" if school_id == "S-WALMLEY" else None


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(data_dir=tmp_path / "data", policy_dir=EXAMPLES, wait_timeout=10)
    service = Service(settings, policy_id_for_school=walmley_and_nobody_else)
    await service.start()
    try:
        await load_directory(service.store)
        transport = httpx.ASGITransport(app=create_app(service))
        async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
            yield http
    finally:
        await service.stop()


async def test_a_request_shows_its_policy_set_its_costs_and_its_dissemination(
    client: httpx.AsyncClient,
) -> None:
    submitted, head_approved = lifecycle("REQ-P1")[:2]
    await client.post("/events?wait=true", json=submitted)

    answer = await client.post("/events?wait=true", json=head_approved)

    assert answer.status_code == 200
    assert answer.json()["request"]["state"] == "executive_approved"  # no executive step
    found = (await client.get("/requests/REQ-P1")).json()
    assert (found["policy_id"], found["policy_version"]) == ("walmley-infant", 1)
    assert (found["cost_gbp"], found["estimated_cost_gbp"]) == ("180.00", "180.00")
    assert found["dissemination"] == "required"  # a course, at Walmley


async def test_history_shows_each_entrys_outcome_and_reason(client: httpx.AsyncClient) -> None:
    submitted, head_approved = lifecycle("REQ-P2")[:2]
    await client.post("/events?wait=true", json=submitted)
    own = event("head_approved", "REQ-P2", "T-042", {"comment": "approving myself"})
    refused = await client.post("/events?wait=true", json=own)
    await client.post("/events?wait=true", json=head_approved)

    entries = (await client.get("/requests/REQ-P2/history")).json()["entries"]

    assert refused.status_code == 409
    assert [(e["actor"], e["outcome"], e["to_state"]) for e in entries] == [
        ("T-042", "applied", "requested"),
        ("T-042", "refused", "requested"),
        ("HEAD-1", "applied", "head_approved"),
        ("policy", "applied", "executive_approved"),
    ]
    assert entries[1]["reason"] == refused.json()["message"]
    assert entries[3]["reason"] == (
        "rule approval.executive of policy set walmley-infant v1:"
        " no request needs executive approval"
    )


async def test_a_school_the_directory_does_not_name_follows_the_default_set(
    client: httpx.AsyncClient,
) -> None:
    submitted = lifecycle("REQ-P3")[0]
    submitted["data"]["school_id"] = "S-ELSEWHERE"
    await client.post("/events?wait=true", json=submitted)

    found = (await client.get("/requests/REQ-P3")).json()

    assert (found["policy_id"], found["policy_version"]) == ("default", 1)
