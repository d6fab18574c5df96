"""Dead letters put back through the queue: a poison message kept, listed, corrected and
replayed until its request applies; a failing event replayed as kept once the fault is gone."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

import httpx
import nats

from handlers.service import Service
from tests.lifecycle import encode, lifecycle
from workflow.model import Command, Transition


async def _publish_poison(service: Service, body: bytes) -> None:
    assert service.embedded is not None
    client = await nats.connect(service.embedded.client_url)
    try:
        await client.jetstream().publish("cpd.inbound", body)
    finally:
        await client.close()


async def _after_everything_before(client: httpx.AsyncClient, request_id: str) -> None:
    """Post a valid event and wait for it: the queue is read in order, so whatever was
    published before it has been handled by then."""
    answer = await client.post("/events?wait=true", json=lifecycle(request_id)[0])
    assert answer.status_code == 200, answer.text


def _poisoned(request_id: str) -> dict[str, Any]:
    submitted = lifecycle(request_id)[0]
    return {**submitted, "data": {**submitted["data"], "provider": "x" * 100_000}}


async def test_a_poison_message_is_listed_corrected_and_replayed_until_its_request_applies(
    embedded_service: Service, client: httpx.AsyncClient
) -> None:
    poisoned = _poisoned("REQ-POISON")
    await _publish_poison(embedded_service, encode(poisoned))
    await _after_everything_before(client, "REQ-AFTER")

    (letter,) = (await client.get("/dead-letters")).json()["dead_letters"]
    assert (letter["source"], letter["event_id"]) == (poisoned["source"], poisoned["id"])
    assert (letter["event_type"], letter["subject"]) == ("cpd.request.submitted", "REQ-POISON")
    assert "provider" in letter["reason"] and letter["replayed_at"] is None

    as_kept = await client.post(f"/dead-letters/{letter['id']}/replay?wait=true")
    assert as_kept.status_code == 422
    assert "as kept is not a valid event" in as_kept.json()["detail"]

    corrected = {**poisoned, "data": {**poisoned["data"], "provider": "Teaching Hub"}}
    answer = await client.post(f"/dead-letters/{letter['id']}/replay?wait=true", json=corrected)

    assert answer.status_code == 200, answer.text
    assert answer.json()["request"]["state"] == "requested"
    history = (await client.get("/requests/REQ-POISON/history")).json()["entries"]
    assert [e["event_id"] for e in history] == [poisoned["id"]]
    (replayed,) = (await client.get("/dead-letters")).json()["dead_letters"]
    assert replayed["replayed_at"] is not None
    assert json.loads(replayed["replayed_body"])["data"]["provider"] == "Teaching Hub"
    again = await client.post(f"/dead-letters/{letter['id']}/replay", json=corrected)
    assert (again.status_code, again.json()["error"]) == (409, "already_replayed")


async def test_a_correction_keeping_the_id_of_an_event_applied_since_is_refused_unsent(
    embedded_service: Service, client: httpx.AsyncClient
) -> None:
    poisoned = _poisoned("REQ-RESENT")
    await _publish_poison(embedded_service, encode(poisoned))
    # The sender fixed it and posted it again itself, under the same id.
    fixed = {**poisoned, "data": {**poisoned["data"], "provider": "Teaching Hub"}}
    assert (await client.post("/events?wait=true", json=fixed)).status_code == 200
    (letter,) = (await client.get("/dead-letters")).json()["dead_letters"]
    corrected = {**fixed, "data": {**fixed["data"], "title": "Something else entirely"}}

    answer = await client.post(f"/dead-letters/{letter['id']}/replay?wait=true", json=corrected)

    assert (answer.status_code, answer.json()["error"]) == (409, "already_processed")
    assert "give the corrected message a new id" in answer.json()["detail"]
    (still,) = (await client.get("/dead-letters")).json()["dead_letters"]
    assert still["replayed_at"] is None
    found = (await client.get("/requests/REQ-RESENT")).json()
    assert found["title"] == "Phonics leadership course"


async def test_an_event_that_kept_failing_applies_when_replayed_as_kept_once_the_fault_is_gone(
    embedded_service: Service, client: httpx.AsyncClient
) -> None:
    failing = True

    def fault(db: sqlite3.Connection, _t: Transition, _c: Command, _now: datetime) -> None:
        if failing:
            raise RuntimeError("the follow-up planner is broken")

    embedded_service.store.add_transaction_hook(fault)
    submitted = lifecycle("REQ-FAULT")[0]
    first = await client.post("/events?wait=true", json=submitted)
    assert (first.status_code, first.json()["error"]) == (409, "dead_letter")
    (letter,) = (await client.get("/dead-letters")).json()["dead_letters"]
    failing = False

    answer = await client.post(f"/dead-letters/{letter['id']}/replay?wait=true")

    assert answer.status_code == 200, answer.text
    status = await client.get(f"/events/{submitted['id']}", params={"source": submitted["source"]})
    assert status.json()["status"] == "applied"
    assert (await client.get("/requests/REQ-FAULT")).json()["state"] == "requested"


async def test_replaying_a_dead_letter_that_does_not_exist_is_a_404(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.post("/dead-letters/41/replay")

    assert (answer.status_code, answer.json()["error"]) == (404, "unknown_dead_letter")


async def test_a_corrected_message_that_is_no_cloudevent_is_refused_and_the_letter_kept(
    embedded_service: Service, client: httpx.AsyncClient
) -> None:
    await _publish_poison(embedded_service, b"{not json")
    await _after_everything_before(client, "REQ-NEXT")
    (letter,) = (await client.get("/dead-letters")).json()["dead_letters"]

    answer = await client.post(f"/dead-letters/{letter['id']}/replay", json={"id": "x"})

    assert answer.status_code == 422
    (still,) = (await client.get("/dead-letters")).json()["dead_letters"]
    assert still["replayed_at"] is None and still["event_type"] is None
