"""The inbound stream is applied in order, once, resuming where the store says."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path

import nats
import pytest
from nats.js.api import AckPolicy, ConsumerConfig, DiscardPolicy
from nats.js.errors import NotFoundError

from handlers.brokers.nats_inbound import (
    CONSUMER,
    INBOUND_STREAM,
    INBOUND_SUBJECT,
    PURGE_EVERY,
    READER,
)
from handlers.service import Service
from handlers.settings import Settings
from tests.lifecycle import (
    LIFECYCLE_STATES,
    encode,
    event,
    lifecycle,
    load_directory,
    submitted_data,
)


async def _until(predicate: Callable[[], Awaitable[bool]], within: float = 15.0) -> None:
    for _ in range(int(within / 0.02)):
        if await predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not reached in time")


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, max_deliver=3, wait_timeout=10)


async def _states(service: Service, request_id: str) -> list[str]:
    return [h.to_state for h in await service.store.history(request_id)]


async def _reaches(service: Service, request_id: str, state: str) -> None:
    async def there() -> bool:
        found = await service.store.get_request(request_id)
        return found is not None and found.state == state

    await _until(there)


async def test_messages_a_crashed_consumer_held_unacknowledged_come_back_first(
    tmp_path: Path,
) -> None:
    # Before the change, a message delivered to a process that then died came back only
    # after the broker's ack wait, and later events overtook it and were refused.
    first = Service(_settings(tmp_path))
    await first.start()
    await load_directory(first.store)
    assert first.embedded is not None
    url = first.embedded.client_url
    await first.broker.stop_consuming()  # the service is alive but no longer reading
    client = await nats.connect(url)
    try:
        js = client.jetstream()
        steps = lifecycle("ORDER-1")
        for step in steps[:4]:
            await js.publish(INBOUND_SUBJECT, encode(step))
        # A consumer of the old kind takes the four and never acknowledges them, as a
        # process killed mid-batch would; its ack wait is far longer than this test.
        with contextlib.suppress(NotFoundError):  # the reader may not have made it yet
            await js.delete_consumer(INBOUND_STREAM, CONSUMER)
        held = await js.pull_subscribe(
            INBOUND_SUBJECT,
            durable=CONSUMER,
            stream=INBOUND_STREAM,
            config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=600),
        )
        assert len(await held.fetch(4, timeout=2)) == 4
        await held.unsubscribe()
    finally:
        await client.close()
    await first.stop()

    second = Service(_settings(tmp_path))
    await second.start()
    try:
        for step in steps[4:]:
            await second.broker.publish_inbound(encode(step), step["id"])
        await _reaches(second, "ORDER-1", "disseminated")
        assert await _states(second, "ORDER-1") == LIFECYCLE_STATES
        assert [h.seq for h in await second.store.history("ORDER-1")] == list(range(1, 8))
    finally:
        await second.stop()


async def test_a_restart_reads_on_from_the_tracked_position_and_applies_nothing_twice(
    tmp_path: Path,
) -> None:
    steps = lifecycle("RESUME-1")
    first = Service(_settings(tmp_path))
    await first.start()
    await load_directory(first.store)
    try:
        for step in steps[:3]:
            await first.broker.publish_inbound(encode(step), step["id"])
        await _reaches(first, "RESUME-1", "executive_approved")
        tracked = await first.store.tracked(READER)
        assert tracked is not None and tracked.position == 3
    finally:
        await first.stop()

    second = Service(_settings(tmp_path))
    await second.start()
    try:
        for step in steps[3:]:
            await second.broker.publish_inbound(encode(step), step["id"])
        await _reaches(second, "RESUME-1", "disseminated")
        assert await _states(second, "RESUME-1") == LIFECYCLE_STATES
        tracked = await second.store.tracked(READER)
        assert tracked is not None and tracked.position == 7
    finally:
        await second.stop()


async def test_bad_messages_and_dead_letters_move_the_position_on_too(
    embedded_service: Service,
) -> None:
    await embedded_service.broker.publish_inbound(b"not json", "bad-1")
    good = event("submitted", "POS-1", "T-042", submitted_data())
    await embedded_service.broker.publish_inbound(encode(good), good["id"])
    await _reaches(embedded_service, "POS-1", "requested")
    tracked = await embedded_service.store.tracked(READER)
    assert tracked is not None and tracked.position == 2
    (letter,) = await embedded_service.store.dead_letters()
    assert letter["body"] == "not json"


async def test_a_stream_deleted_while_the_service_was_down_is_read_from_its_start(
    tmp_path: Path,
) -> None:
    first = Service(_settings(tmp_path))
    await first.start()
    await load_directory(first.store)
    for step in lifecycle("OLD-1")[:2]:
        await first.broker.publish_inbound(encode(step), step["id"])
    await _reaches(first, "OLD-1", "head_approved")
    assert first.embedded is not None
    client = await nats.connect(first.embedded.client_url)
    await first.broker.stop_consuming()
    await client.jetstream().delete_stream(INBOUND_STREAM)
    await client.close()
    await first.stop()

    second = Service(_settings(tmp_path))
    await second.start()
    try:
        new = event("submitted", "NEW-1", "T-042", submitted_data())
        await second.broker.publish_inbound(encode(new), new["id"])  # stream message 1 again
        await _reaches(second, "NEW-1", "requested")
        tracked = await second.store.tracked(READER)
        assert tracked is not None and tracked.position == 1
    finally:
        await second.stop()


async def test_applied_messages_are_purged_and_the_stream_refuses_rather_than_drops(
    embedded_service: Service,
) -> None:
    count = PURGE_EVERY + 50
    for n in range(count):
        step = event("submitted", f"BULK-{n}", "T-042", submitted_data())
        await embedded_service.broker.publish_inbound(encode(step), step["id"])

    async def all_applied() -> bool:
        tracked = await embedded_service.store.tracked(READER)
        return tracked is not None and tracked.position == count

    await _until(all_applied, within=60)
    assert embedded_service.embedded is not None
    client = await nats.connect(embedded_service.embedded.client_url)
    try:
        info = await client.jetstream().stream_info(INBOUND_STREAM)
    finally:
        await client.close()
    assert info.state.messages < count - PURGE_EVERY + 50  # at least one purge happened
    assert info.state.first_seq > PURGE_EVERY
    assert info.config.discard == DiscardPolicy.NEW
    assert info.config.max_bytes == embedded_service.settings.inbound_max_bytes
    assert not info.config.max_age


@pytest.mark.parametrize("failures", [1, 3])
async def test_a_reader_that_stops_is_reported_unhealthy_and_restarted(
    embedded_service: Service, monkeypatch: pytest.MonkeyPatch, failures: int
) -> None:
    store = embedded_service.store
    real = store.record_invalid
    left = {"n": failures}
    seen_unhealthy: list[dict[str, object]] = []

    async def failing(**kwargs: object) -> object:
        if left["n"]:
            left["n"] -= 1
            seen_unhealthy.append((await embedded_service.health())["checks"])
            raise OSError("disk full")
        return await real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "record_invalid", failing)
    await embedded_service.broker.publish_inbound(b"[]", "bad-array")
    later = event("submitted", "AFTER-1", "T-042", submitted_data())
    await embedded_service.broker.publish_inbound(encode(later), later["id"])

    async def unhealthy_seen() -> bool:
        report = await embedded_service.health()
        consumer = report["checks"]["inbound_consumer"]
        return report["status"] == "unavailable" and "disk full" in str(consumer["last_error"])

    await _until(unhealthy_seen)
    await _reaches(embedded_service, "AFTER-1", "requested")
    report = await embedded_service.health()
    assert report["status"] == "ok", report
    assert report["checks"]["inbound_consumer"]["restarts"] >= 1
    (letter,) = await store.dead_letters()
    assert letter["body"] == "[]"
