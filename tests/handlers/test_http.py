"""The HTTP API, driven against the whole service on a real embedded NATS server."""

from __future__ import annotations

import httpx
import pytest

from handlers.service import Service
from tests.lifecycle import LIFECYCLE_STATES, event, lifecycle, submitted_data


async def test_a_request_walks_its_whole_lifecycle_over_http(client: httpx.AsyncClient) -> None:
    for step, expected in zip(lifecycle("REQ-1"), LIFECYCLE_STATES, strict=True):
        answer = await client.post("/events?wait=true", json=step)
        assert answer.status_code == 200, answer.text
        assert answer.json()["request"]["state"] == expected

    request = (await client.get("/requests/REQ-1")).json()
    assert request["state"] == "disseminated"
    assert request["version"] == 7
    assert {"request_id", "state", "staff_id", "school_id", "title", "cost_gbp"} <= set(request)
    history = (await client.get("/requests/REQ-1/history")).json()
    assert [e["to_state"] for e in history["entries"]] == LIFECYCLE_STATES
    assert [e["seq"] for e in history["entries"]] == list(range(1, 8))
    assert history["entries"][1]["actor"] == "HEAD-1"


async def test_posting_without_wait_answers_202_once_queued(client: httpx.AsyncClient) -> None:
    submitted = lifecycle("REQ-2")[0]
    answer = await client.post("/events", json=submitted)
    assert answer.status_code == 202
    assert answer.json() == {"id": submitted["id"], "status": "accepted"}
    status = await _settled(client, submitted["id"])
    assert status["status"] == "applied"


async def test_reposting_the_same_event_gives_the_same_answer_and_changes_nothing(
    client: httpx.AsyncClient,
) -> None:
    submitted = lifecycle("REQ-3")[0]
    first = await client.post("/events?wait=true", json=submitted)
    again = await client.post("/events?wait=true", json=submitted)
    plain = await client.post("/events", json=submitted)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert plain.status_code == 202 and plain.json()["id"] == submitted["id"]
    history = (await client.get("/requests/REQ-3/history")).json()
    assert len(history["entries"]) == 1


async def test_a_transition_the_policy_forbids_answers_409_with_the_reason(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/events?wait=true", json=lifecycle("REQ-4")[0])
    own_approval = event("head_approved", "REQ-4", "T-042")
    answer = await client.post("/events?wait=true", json=own_approval)
    assert answer.status_code == 409
    assert "cannot approve" in answer.json()["message"]
    assert (answer.json()["status"], answer.json()["event_status"]) == (409, "rejected")
    booked_too_early = event("booked", "REQ-4", "BOOKING-OFFICE", {"booking_reference": "B"})
    answer = await client.post("/events?wait=true", json=booked_too_early)
    assert answer.status_code == 409
    assert "'requested'" in answer.json()["message"]
    assert "cpd.request.booked" in answer.json()["message"]
    status = (await client.get(f"/events/{own_approval['id']}")).json()
    assert status["status"] == "rejected" and "cannot approve" in status["reason"]
    assert (await client.get("/requests/REQ-4")).json()["state"] == "requested"


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (b'{"specversion": "1.0"}', 422, "CloudEvent"),
        (None, 422, "unknown event type"),
        ("missing_subject", 422, "CloudEvent"),
        ("bad_data", 422, "invalid data"),
    ],
)
async def test_bad_input_answers_4xx_with_a_json_body_and_queues_nothing(
    client: httpx.AsyncClient, body: bytes | str | None, status: int, fragment: str
) -> None:
    good = lifecycle("REQ-BAD")[0]
    if body is None:
        body = _json({**good, "type": "cpd.request.teleported"})
    elif body == "missing_subject":
        body = _json({k: v for k, v in good.items() if k != "subject"})
    elif body == "bad_data":
        body = _json({**good, "data": submitted_data(cost_gbp="-5")})
    assert isinstance(body, bytes)
    answer = await client.post("/events", content=body)
    assert answer.status_code == status
    assert fragment in answer.json()["message"]
    assert (await client.get(f"/events/{good['id']}")).status_code == 404


async def test_unknown_fields_in_data_are_kept(client: httpx.AsyncClient) -> None:
    submitted = event("submitted", "REQ-5", "T-042", submitted_data(appraisal_objective=3))
    await client.post("/events?wait=true", json=submitted)
    entry = (await client.get("/requests/REQ-5/history")).json()["entries"][0]
    assert entry["data"]["appraisal_objective"] == 3


async def test_unknown_requests_and_events_answer_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/requests/NOPE")).status_code == 404
    assert (await client.get("/requests/NOPE/history")).json()["error"] == "unknown_request"
    assert (await client.get("/events/NOPE")).status_code == 404


async def test_health_openapi_and_asyncapi_are_served(client: httpx.AsyncClient) -> None:
    health = await client.get("/health")
    assert health.status_code == 200
    assert health.json()["checks"]["broker"]["embedded"] is True
    database = health.json()["checks"]["database"]
    assert (database["journal_mode"], database["synchronous"]) == ("wal", "FULL")
    openapi = (await client.get("/openapi.json")).json()
    assert {"/events", "/events/{event_id}", "/requests/{request_id}/history"} <= set(
        openapi["paths"]
    )
    asyncapi = (await client.get("/asyncapi.json")).json()
    assert "cpd.inbound" in str(asyncapi["channels"])
    schemas = (await client.get("/schemas")).json()
    assert "cpd.request.submitted" in schemas["inbound"]


async def _settled(client: httpx.AsyncClient, event_id: str) -> dict[str, object]:
    import asyncio

    for _ in range(200):
        status: dict[str, object] = (await client.get(f"/events/{event_id}")).json()
        if status.get("status") in ("applied", "rejected"):
            return status
        await asyncio.sleep(0.025)
    raise AssertionError(f"event {event_id} was not processed within 5 s")


def _json(body: dict[str, object]) -> bytes:
    import json

    return json.dumps(body).encode()


async def test_when_the_embedded_broker_dies_health_says_so_and_it_comes_back(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    import asyncio
    import os
    import signal

    assert embedded_service.embedded is not None
    os.kill(embedded_service.embedded.status()["pid"], signal.SIGKILL)  # type: ignore[arg-type]
    for _ in range(500):
        health = await client.get("/health")
        broker = health.json()["checks"]["broker"]
        if broker["restarts"] == 1 and health.status_code == 200:
            break
        await asyncio.sleep(0.02)
    assert broker["restarts"] == 1 and broker["last_exit_code"] == -9
    # Events flow again once the consumer has reconnected to the restarted server.
    answer = await client.post("/events?wait=true", json=lifecycle("AFTER-RESTART")[0])
    assert answer.status_code == 200, answer.text
