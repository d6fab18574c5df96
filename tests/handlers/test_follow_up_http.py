"""Follow-ups over HTTP and on the wire, against the whole service on its embedded NATS."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import nats
import pytest

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from tests.lifecycle import event, lifecycle, load_directory, submitted_data
from workflow.clock import FakeClock

LONDON = ZoneInfo("Europe/London")
# Years ahead of the real clock, which the waker's APScheduler alarms run on, so none of
# them goes off by itself: the tests fire follow-ups themselves after moving the fake clock.
MONDAY = datetime(2040, 1, 9, 9, tzinfo=LONDON)
THURSDAY = datetime(2040, 1, 12, 9, tzinfo=LONDON)
FRIDAY = datetime(2040, 1, 13, 9, tzinfo=LONDON)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
async def service(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Service]:
    term_dates = tmp_path / "term_dates.json"
    term_dates.write_text(json.dumps({"name": "no holidays", "holidays": []}))
    settings = Settings(data_dir=tmp_path / "data", term_dates=term_dates, wait_timeout=10)
    service = Service(settings, clock=clock)
    try:
        await service.start()
        await load_directory(service.store)
        yield service
    finally:
        await service.stop()


@pytest.fixture
async def client(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
        yield http


async def post(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    answer = await client.post("/events?wait=true", json=body)
    assert answer.status_code == 200 and answer.json()["status"] == "applied", answer.text


async def submit(client: httpx.AsyncClient, request_id: str, **data: Any) -> None:
    await post(client, event("submitted", request_id, "T-042", submitted_data(**data)))


async def follow_ups_of(client: httpx.AsyncClient, request_id: str) -> list[dict[str, Any]]:
    answer = await client.get(f"/requests/{request_id}/follow-ups")
    assert answer.status_code == 200, answer.text
    assert answer.json()["request_id"] == request_id
    rows: list[dict[str, Any]] = answer.json()["follow_ups"]
    return rows


async def test_a_requests_follow_ups_are_listed_pending_then_fired(
    client: httpx.AsyncClient, service: Service, clock: FakeClock
) -> None:
    await submit(client, "REQ-1")
    [waiting] = await follow_ups_of(client, "REQ-1")
    assert (waiting["kind"], waiting["recipient_role"], waiting["status"]) == (
        "approval_pending",
        "head_teacher",
        "pending",
    )
    assert datetime.fromisoformat(waiting["due_at"]) == THURSDAY

    clock.set(FRIDAY)
    await service.follow_ups.fire_due()

    rows = await follow_ups_of(client, "REQ-1")
    assert [(r["attempt"], r["status"]) for r in rows] == [(1, "fired"), (2, "pending")]
    assert rows[0]["id"] == waiting["id"]
    assert rows[0]["late_by_seconds"] == 24 * 3600
    history = (await client.get("/requests/REQ-1/history")).json()["entries"]
    assert [(e["event_type"], e["to_state"]) for e in history] == [
        ("cpd.request.submitted", "requested"),
        ("cpd.reminder.due", "requested"),
    ]


async def test_a_fired_follow_up_shows_whom_it_reached(
    client: httpx.AsyncClient, service: Service, clock: FakeClock
) -> None:
    await submit(client, "REQ-3")
    clock.set(THURSDAY)
    await service.follow_ups.fire_due()

    fired, pending = await follow_ups_of(client, "REQ-3")
    head = {
        "staff_id": "HEAD-1",
        "name": "Head-1",
        "email": "head-1@walmley.example",
        "role": "head_teacher",
        "unassigned_role": False,
    }
    assert (fired["status"], fired["recipients"]) == ("fired", [head])
    assert (pending["status"], pending["recipients"]) == ("pending", None)
    history = (await client.get("/requests/REQ-3/history")).json()["entries"]
    assert history[-1]["data"]["recipients"] == [head]


async def test_moving_on_shows_the_chase_as_cancelled(client: httpx.AsyncClient) -> None:
    submitted, head_approved = lifecycle("REQ-2")[:2]
    await post(client, submitted)
    await post(client, head_approved)
    rows = {r["recipient_role"]: r for r in await follow_ups_of(client, "REQ-2")}
    assert {role: r["status"] for role, r in rows.items()} == {
        "head_teacher": "cancelled",
        "executive_lead": "pending",
    }
    assert rows["head_teacher"]["cancel_reason"] == "request moved to head_approved"


async def test_follow_ups_of_an_unknown_request_answer_404(client: httpx.AsyncClient) -> None:
    answer = await client.get("/requests/NOPE/follow-ups")
    assert answer.status_code == 404
    assert answer.json()["error"] == "unknown_request"


async def test_the_overdue_list_filters_by_due_time_kind_and_school(
    client: httpx.AsyncClient,
) -> None:
    await submit(client, "REQ-A")
    await submit(client, "REQ-B", school_id="S-OTHER")
    for step in lifecycle("REQ-C")[:5]:  # completed: an evaluation is due on Tuesday
        await post(client, step)

    async def overdue(**params: str) -> list[tuple[str, str]]:
        answer = await client.get("/follow-ups", params=params)
        assert answer.status_code == 200, answer.text
        return [(r["request_id"], r["kind"]) for r in answer.json()["follow_ups"]]

    friday = FRIDAY.isoformat()
    assert await overdue() == []  # by default: due before now, and nothing is yet
    everything = await overdue(due_before=friday)
    assert everything[0] == ("REQ-C", "evaluation_due")  # soonest due first
    assert sorted(everything[1:]) == [("REQ-A", "approval_pending"), ("REQ-B", "approval_pending")]
    assert sorted(await overdue(due_before=friday, kind="approval_pending")) == [
        ("REQ-A", "approval_pending"),
        ("REQ-B", "approval_pending"),
    ]
    only_walmley = await overdue(due_before=friday, kind="approval_pending", school_id="S-WALMLEY")
    assert only_walmley == [("REQ-A", "approval_pending")]


async def test_an_unknown_kind_answers_422_with_a_json_reason(client: httpx.AsyncClient) -> None:
    answer = await client.get("/follow-ups", params={"kind": "birthday"})
    assert answer.status_code == 422
    assert answer.json()["error"] == "unknown_kind"
    assert "approval_pending" in answer.json()["message"]


async def test_a_fired_reminder_is_published_on_nats(
    client: httpx.AsyncClient, service: Service, clock: FakeClock
) -> None:
    assert service.embedded is not None
    connection = await nats.connect(service.embedded.client_url, connect_timeout=2)
    try:
        subscription = await connection.subscribe("cpd.reminder.due")
        await submit(client, "REQ-9", line_manager_id="LM-1")
        [waiting] = await follow_ups_of(client, "REQ-9")
        clock.set(THURSDAY)
        await service.follow_ups.fire_due()

        message = await subscription.next_msg(timeout=10)  # bounded: the relay is real
        body = json.loads(message.data)
        assert (body["id"], body["type"], body["subject"]) == (
            waiting["id"],
            "cpd.reminder.due",
            "REQ-9",
        )
        assert body["data"]["kind"] == "approval_pending"
        assert body["data"]["recipient_role"] == "head_teacher"
        assert body["data"]["late_by_seconds"] == 0
    finally:
        await connection.close()
