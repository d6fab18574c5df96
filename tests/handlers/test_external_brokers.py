"""The same lifecycle through the machine's own RabbitMQ and NATS (CPD_BROKER_URL)."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import aio_pika
import httpx
import nats
import pytest

from handlers.brokers.nats import INBOUND_STREAM, OUTBOUND_STREAM
from handlers.brokers.rabbit import INBOUND_QUEUE_NAME
from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from tests.conftest import MACHINE_NATS_URL, RABBITMQ_URL, require_broker
from tests.handlers.metrics_scrape import scrape
from tests.lifecycle import LIFECYCLE_STATES, encode, lifecycle, load_directory
from workflow.model import Command, Transition

pytestmark = pytest.mark.broker


async def _reset_rabbitmq() -> None:
    connection = await aio_pika.connect_robust(RABBITMQ_URL)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(INBOUND_QUEUE_NAME)


async def _reset_machine_nats() -> None:
    client = await nats.connect(MACHINE_NATS_URL)
    try:
        js = client.jetstream()
        for stream in (INBOUND_STREAM, OUTBOUND_STREAM):
            with contextlib.suppress(nats.js.errors.NotFoundError):
                await js.delete_stream(stream)
    finally:
        await client.close()


@pytest.fixture(params=["rabbitmq", "machine-nats"])
async def external_service(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[Service]:
    if request.param == "rabbitmq":
        require_broker("RabbitMQ", "127.0.0.1", 5672)
        await _reset_rabbitmq()
        url = RABBITMQ_URL
    else:
        require_broker("NATS with JetStream", "127.0.0.1", 4222)
        await _reset_machine_nats()
        url = MACHINE_NATS_URL
    service = Service(Settings(data_dir=tmp_path, broker_url=url, max_deliver=3))
    await service.start()
    try:
        await load_directory(service.store)
        yield service
    finally:
        await service.stop()


async def test_a_lifecycle_over_http_runs_through_the_external_broker(
    external_service: Service,
) -> None:
    assert external_service.embedded is None
    app = create_app(external_service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
        for step, expected in zip(lifecycle("EXT-1"), LIFECYCLE_STATES, strict=True):
            answer = await c.post("/events?wait=true", json=step)
            assert answer.status_code == 200, answer.text
            assert answer.json()["request"]["state"] == expected
        assert (await c.get("/health")).status_code == 200


async def test_events_posted_straight_to_the_broker_are_applied_in_order(
    external_service: Service,
) -> None:
    for step in lifecycle("EXT-2"):
        await external_service.broker.publish_inbound(encode(step), step["id"])
    for _ in range(500):
        found = await external_service.store.get_request("EXT-2")
        if found and found.state == "disseminated":
            break
        await asyncio.sleep(0.02)
    history = await external_service.store.history("EXT-2")
    assert [h.to_state for h in history] == LIFECYCLE_STATES
    for _ in range(250):
        if not await external_service.store.unpublished():
            break
        await asyncio.sleep(0.02)
    assert not await external_service.store.unpublished()


async def test_a_failing_message_is_retried_in_order_and_one_that_keeps_failing_is_kept(
    external_service: Service,
) -> None:
    failures = {"EXT-FLAKY": 2, "EXT-POISON": 99}

    def unreliable(_db: object, transition: Transition, *_: object) -> None:
        request_id = transition.request.request_id
        if failures.get(request_id, 0) > 0:
            failures[request_id] -= 1
            raise sqlite3.OperationalError(f"disk trouble for {request_id}")

    external_service.store.add_transaction_hook(unreliable)
    flaky, poison = lifecycle("EXT-FLAKY")[:2], lifecycle("EXT-POISON")[0]
    for step in [*flaky, poison]:
        await external_service.broker.publish_inbound(encode(step), step["id"])
    for _ in range(500):
        if await external_service.store.dead_letters():
            break
        await asyncio.sleep(0.02)
    flaky_request = await external_service.store.get_request("EXT-FLAKY")
    assert flaky_request is not None and flaky_request.state == "head_approved"
    (letter,) = await external_service.store.dead_letters()
    assert letter["event_id"] == poison["id"] and "failed 3 deliveries" in letter["reason"]
    assert await external_service.store.get_request("EXT-POISON") is None


async def test_the_backlog_and_readiness_come_from_the_external_broker(
    external_service: Service,
) -> None:
    app = create_app(external_service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
        ready = (await c.get("/health/ready")).json()
        assert (ready["status"], ready["failed"]) == ("ok", [])
        assert {check["name"] for check in ready["checks"]} == {"database", "broker"}
        await external_service.broker.stop_consuming()  # nothing is taken off the queue now
        await external_service.broker.publish_inbound(encode(lifecycle("EXT-9")[0]), "ext-9")
        for _ in range(250):  # the broker counts a published message a moment later
            samples = await scrape(c)
            if samples[("cpd_inbound_backlog_messages", "")] == 1:
                break
            await asyncio.sleep(0.02)
    assert samples[("cpd_inbound_backlog_messages", "")] == 1
    assert ("cpd_embedded_nats_restarts_total", "") not in samples


async def test_a_dead_letter_is_replayed_through_the_external_broker(
    external_service: Service,
) -> None:
    failing = True

    def fault(db: sqlite3.Connection, _t: Transition, _c: Command, _now: datetime) -> None:
        if failing:
            raise RuntimeError("the follow-up planner is broken")

    external_service.store.add_transaction_hook(fault)
    app = create_app(external_service)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
        first = await c.post("/events?wait=true", json=lifecycle("EXT-DL")[0])
        assert (first.status_code, first.json()["error"]) == (409, "dead_letter")
        (letter,) = (await c.get("/dead-letters")).json()["dead_letters"]
        failing = False

        replayed = await c.post(f"/dead-letters/{letter['id']}/replay?wait=true")

        assert replayed.status_code == 200, replayed.text
        assert replayed.json()["request"]["state"] == "requested"
