"""Another trust system talking to the service over NATS, on the real embedded server."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import nats

from handlers.service import Service
from tests.lifecycle import LIFECYCLE_STATES, encode, event, lifecycle
from workflow.model import Transition


async def _wait_for(predicate: Any, within: float = 10.0) -> None:
    for _ in range(int(within / 0.02)):
        if await predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached in time")


@asynccontextmanager
async def _listening(
    service: Service, subject: str
) -> AsyncIterator[tuple[Any, list[dict[str, Any]]]]:
    """A client of the service's NATS, as another trust system, collecting `subject`."""
    assert service.embedded is not None
    client = await nats.connect(service.embedded.client_url)
    received: list[dict[str, Any]] = []
    sub = await client.subscribe(subject, cb=_collector(received))
    try:
        yield client, received
    finally:
        await sub.unsubscribe()
        await client.close()


async def test_a_lifecycle_posted_on_the_inbound_subject_is_applied_and_announced(
    embedded_service: Service,
) -> None:
    async with _listening(embedded_service, "cpd.request.state_changed") as (client, announced):
        js = client.jetstream()
        for step in lifecycle("NATS-1"):
            await js.publish("cpd.inbound", encode(step))

        async def finished() -> bool:
            found = await embedded_service.store.get_request("NATS-1")
            return found is not None and found.state == "disseminated"

        await _wait_for(finished)
        await _wait_for(lambda: _true_when(len(announced) == 7))
    assert [a["data"]["to_state"] for a in announced] == LIFECYCLE_STATES
    assert len({a["id"] for a in announced}) == 7
    history = await embedded_service.store.history("NATS-1")
    assert [h.to_state for h in history] == LIFECYCLE_STATES


async def test_an_invalid_message_is_kept_as_a_dead_letter_and_announced_as_rejected(
    embedded_service: Service,
) -> None:
    async with _listening(embedded_service, "cpd.event.rejected") as (client, rejected):
        await client.jetstream().publish("cpd.inbound", b'{"id": "x-1", "source": "hr"}')
        await _wait_for(lambda: _true_when(len(rejected) == 1))
    (letter,) = await embedded_service.store.dead_letters()
    assert letter["event_id"] == "x-1" and "not a valid CloudEvent" in letter["reason"]
    assert rejected[0]["data"]["code"] == "invalid_event"


async def test_a_failing_message_is_retried_then_applied(embedded_service: Service) -> None:
    failures = {"left": 2}

    def flaky(*_: Any) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise sqlite3.OperationalError("disk briefly unavailable")

    embedded_service.store.add_transaction_hook(flaky)
    submitted = lifecycle("NATS-RETRY")[0]
    await embedded_service.broker.publish_inbound(encode(submitted), submitted["id"])

    async def applied() -> bool:
        return await embedded_service.store.get_request("NATS-RETRY") is not None

    await _wait_for(applied)
    assert failures["left"] == 0
    assert not await embedded_service.store.dead_letters()


async def test_a_message_that_always_fails_is_dead_lettered_with_its_reason(
    embedded_service: Service,
) -> None:
    def broken(_db: Any, transition: Transition, *_: Any) -> None:
        if transition.request.request_id == "NATS-POISON":
            raise sqlite3.OperationalError("disk I/O error")

    embedded_service.store.add_transaction_hook(broken)
    poison = lifecycle("NATS-POISON")[0]
    await embedded_service.broker.publish_inbound(encode(poison), poison["id"])

    async def dead() -> bool:
        return bool(await embedded_service.store.dead_letters())

    await _wait_for(dead, within=20)
    (letter,) = await embedded_service.store.dead_letters()
    assert letter["event_id"] == poison["id"]
    assert "failed 3 deliveries" in letter["reason"] and "disk I/O error" in letter["reason"]
    assert await embedded_service.store.get_request("NATS-POISON") is None
    # Later events still flow: the poison message does not block the queue.
    healthy = event("submitted", "NATS-AFTER", "T-042", lifecycle("x")[0]["data"])
    await embedded_service.broker.publish_inbound(encode(healthy), healthy["id"])

    async def flowing() -> bool:
        return await embedded_service.store.get_request("NATS-AFTER") is not None

    await _wait_for(flowing)


async def _true_when(condition: bool) -> bool:
    return condition


def _collector(into: list[dict[str, Any]]) -> Any:
    async def collect(message: Any) -> None:
        into.append(json.loads(message.data))

    return collect
