"""POST /events in the CloudEvents HTTP binding's three content modes, posted by the
CloudEvents Python SDK to the whole service (and once to a real server on loopback)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from cloudevents.core.bindings.http import HTTPMessage, to_binary_event, to_structured_event
from cloudevents.core.v1.event import CloudEvent as SdkEvent

from handlers.settings import Settings
from schemas.limits import MAX_BATCH_EVENTS
from tests.lifecycle import event, lifecycle, post_directory, submitted_data
from tests.live_server import serving

BATCH = "application/cloudevents-batch+json"


def sdk_event(structured: dict[str, Any]) -> SdkEvent:
    attributes = {k: v for k, v in structured.items() if k != "data"}
    attributes["time"] = datetime.fromisoformat(attributes["time"])
    return SdkEvent(attributes, structured["data"])


async def send(
    client: httpx.AsyncClient, message: HTTPMessage, wait: bool = True
) -> httpx.Response:
    url = "/events?wait=true" if wait else "/events"
    return await client.post(url, content=message.body, headers=message.headers)


async def states(client: httpx.AsyncClient, request_id: str) -> list[str]:
    history = (await client.get(f"/requests/{request_id}/history")).json()
    return [f"{e['outcome']}:{e['to_state']}" for e in history.get("entries", [])]


async def test_a_binary_event_from_the_sdk_is_applied(client: httpx.AsyncClient) -> None:
    submitted, approved = lifecycle("REQ-BIN")[:2]

    first = await send(client, to_binary_event(sdk_event(submitted)))
    second = await send(client, to_binary_event(sdk_event(approved)))

    assert first.status_code == second.status_code == 200, second.text
    assert second.json()["request"]["state"] == "head_approved"
    assert await states(client, "REQ-BIN") == ["applied:requested", "applied:head_approved"]
    history = (await client.get("/requests/REQ-BIN/history")).json()["entries"]
    assert [(e["event_id"], e["actor"]) for e in history] == [
        (submitted["id"], "T-042"),
        (approved["id"], "HEAD-1"),
    ]


async def test_a_binary_event_without_wait_is_queued_then_applied(
    client: httpx.AsyncClient,
) -> None:
    submitted = lifecycle("REQ-BIN-Q")[0]

    answer = await send(client, to_binary_event(sdk_event(submitted)), wait=False)

    assert answer.status_code == 202
    assert answer.json() == {"id": submitted["id"], "status": "accepted"}
    again = await send(client, to_binary_event(sdk_event(submitted)))  # a repeat: waits
    assert again.status_code == 200 and again.json()["request"]["state"] == "requested"


async def test_a_structured_event_from_the_sdk_is_applied(client: httpx.AsyncClient) -> None:
    message = to_structured_event(sdk_event(lifecycle("REQ-STRUCT")[0]))
    assert message.headers["content-type"] == "application/cloudevents+json"

    answer = await send(client, message)

    assert answer.status_code == 200, answer.text
    assert await states(client, "REQ-STRUCT") == ["applied:requested"]


async def test_media_types_with_parameters_are_understood(client: httpx.AsyncClient) -> None:
    submitted, approved = lifecycle("REQ-CHARSET")[:2]
    structured = {"content-type": "application/cloudevents+json; charset=UTF-8"}
    binary = dict(to_binary_event(sdk_event(approved)).headers)
    binary["content-type"] = "application/json; charset=utf-8"

    first = await client.post("/events?wait=true", json=submitted, headers=structured)
    second = await client.post(
        "/events?wait=true", content=json.dumps(approved["data"]), headers=binary
    )

    assert first.status_code == second.status_code == 200, second.text
    assert await states(client, "REQ-CHARSET") == ["applied:requested", "applied:head_approved"]


async def test_an_unsupported_media_type_answers_415_and_queues_nothing(
    client: httpx.AsyncClient,
) -> None:
    submitted = lifecycle("REQ-415")[0]

    answer = await client.post(
        "/events", content=json.dumps(submitted), headers={"content-type": "text/plain"}
    )

    assert answer.status_code == 415
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["error"] == "unsupported_media_type"
    assert (await client.get(f"/events/{submitted['id']}")).status_code == 404


async def test_a_binary_event_with_a_bad_header_answers_422_naming_it(
    client: httpx.AsyncClient,
) -> None:
    message = to_binary_event(sdk_event(lifecycle("REQ-BAD-HEADER")[0]))
    headers = {**message.headers, "ce-subject": "%FF"}

    answer = await client.post("/events", content=message.body, headers=headers)

    assert answer.status_code == 422
    assert answer.json()["problems"] == [
        {"loc": ["ce-subject"], "msg": "not UTF-8 once percent-decoded", "type": "not_utf8"}
    ]


async def test_a_batch_with_one_bad_event_answers_207_and_applies_the_others(
    client: httpx.AsyncClient,
) -> None:
    submitted, approved, executive = lifecycle("REQ-BATCH")[:3]
    bad = event("submitted", "REQ-BATCH-BAD", "T-042", submitted_data(cost_gbp="-5"))
    batch = [submitted, bad, approved, executive]

    answer = await client.post(
        "/events?wait=true", content=json.dumps(batch), headers={"content-type": BATCH}
    )

    assert answer.status_code == 207, answer.text
    results = answer.json()["results"]
    assert [r["status"] for r in results] == [200, 422, 200, 200]
    assert [r["body"].get("id") for r in results] == [
        submitted["id"],
        None,
        *(e["id"] for e in (approved, executive)),
    ]
    assert results[1]["body"]["error"] == "invalid_event"
    assert results[1]["body"]["problems"][0]["loc"][:2] == ["data", "cost_gbp"]
    assert results[3]["body"]["request"]["state"] == "executive_approved"
    assert await states(client, "REQ-BATCH") == [
        "applied:requested",
        "applied:head_approved",
        "applied:executive_approved",
    ]
    assert (await client.get(f"/events/{bad['id']}")).status_code == 404


async def test_each_event_of_a_batch_gets_the_answer_it_would_get_alone(
    client: httpx.AsyncClient,
) -> None:
    submitted, approved = lifecycle("REQ-ALONE")[:2]
    own_approval = event("head_approved", "REQ-ALONE", "T-042")
    await client.post("/events?wait=true", json=submitted)
    alone = {
        "repeat": await client.post("/events?wait=true", json=submitted),
        "refused": await client.post("/events?wait=true", json=own_approval),
    }

    answer = await client.post(
        "/events?wait=true",
        content=json.dumps([submitted, own_approval, approved, "not an event"]),
        headers={"content-type": BATCH},
    )

    results = answer.json()["results"]
    assert results[0] == {"status": 200, "body": alone["repeat"].json()}
    assert results[1] == {"status": 409, "body": alone["refused"].json()}
    assert results[1]["body"]["event_status"] == "rejected"
    assert results[2]["status"] == 200 and results[2]["body"]["request"]["state"] == "head_approved"
    assert results[3]["status"] == 400 and results[3]["body"]["error"] == "invalid_event"


async def test_a_batch_without_wait_answers_202_for_each_queued_event(
    client: httpx.AsyncClient,
) -> None:
    batch = lifecycle("REQ-BATCH-Q")[:2]

    answer = await client.post(
        "/events", content=json.dumps(batch), headers={"content-type": BATCH}
    )

    assert answer.status_code == 207
    assert answer.json() == {
        "results": [{"status": 202, "body": {"id": e["id"], "status": "accepted"}} for e in batch]
    }


async def test_a_batch_over_the_limit_answers_413_and_queues_nothing(
    client: httpx.AsyncClient,
) -> None:
    batch = [lifecycle(f"REQ-MANY-{n}")[0] for n in range(MAX_BATCH_EVENTS + 1)]

    answer = await client.post(
        "/events", content=json.dumps(batch), headers={"content-type": BATCH}
    )

    assert answer.status_code == 413
    assert answer.json()["error"] == "too_many_events"
    assert (await client.get(f"/events/{batch[0]['id']}")).status_code == 404


async def test_a_batch_that_is_not_an_array_answers_400(client: httpx.AsyncClient) -> None:
    single = lifecycle("REQ-NOT-ARRAY")[0]

    answer = await client.post("/events", json=single, headers={"content-type": BATCH})

    assert answer.status_code == 400 and answer.json()["error"] == "invalid_event"


async def test_the_limits_hold_in_binary_mode(client: httpx.AsyncClient) -> None:
    message = to_binary_event(sdk_event(lifecycle("REQ-DEEP")[0]))
    deep = {"priorities": [[[[[[[["too deep"]]]]]]]]}

    answer = await client.post("/events", content=json.dumps(deep), headers=message.headers)
    huge = await client.post("/events", content=b" " * 10_000_000, headers=message.headers)

    assert answer.status_code == 422
    assert answer.json()["problems"][0]["type"] == "too_deep"
    assert huge.status_code == 413 and huge.json()["error"] == "body_too_large"


async def test_the_limits_hold_for_each_event_of_a_batch(client: httpx.AsyncClient) -> None:
    good = lifecycle("REQ-BATCH-LIMIT")[0]
    too_long = {**lifecycle("REQ-LONG")[0], "subject": "R" * 201}

    answer = await client.post(
        "/events", content=json.dumps([too_long, good]), headers={"content-type": BATCH}
    )
    huge = await client.post(
        "/events", content=b"[" + b" " * 10_000_000 + b"]", headers={"content-type": BATCH}
    )

    assert [r["status"] for r in answer.json()["results"]] == [422, 202]
    assert answer.json()["results"][0]["body"]["problems"][0]["loc"] == ["subject"]
    assert huge.status_code == 413 and huge.json()["error"] == "body_too_large"


def test_a_real_server_takes_the_sdks_binary_events_and_batches(tmp_path: Path) -> None:
    submitted, approved, executive = lifecycle("REQ-LIVE", staff_id="T-042")[:3]
    # Header values outside plain ASCII travel percent-encoded.
    submitted = {**submitted, "source": "urn:trust:école staff-portal"}
    with serving(Settings(data_dir=tmp_path / "data", wait_timeout=10)) as url:
        post_directory(url)
        with httpx.Client(base_url=url, timeout=30) as http:
            binary = to_binary_event(sdk_event(submitted))
            first = http.post("/events?wait=true", content=binary.body, headers=binary.headers)
            batch = json.dumps([approved, executive])
            rest = http.post("/events?wait=true", content=batch, headers={"content-type": BATCH})
            request = http.get("/requests/REQ-LIVE").json()
            history = http.get("/requests/REQ-LIVE/history").json()["entries"]

    assert "%C3%A9cole%20staff-portal" in binary.headers["ce-source"]
    assert first.status_code == 200, first.text
    assert [r["status"] for r in rest.json()["results"]] == [200, 200]
    assert request["state"] == "executive_approved"
    assert history[0]["event_source"] == "urn:trust:école staff-portal"
