"""Which inbound messages a backup keeps: those after the position its copy of the database
had applied, read from a real embedded NATS stream; and a copy taken again when the service
purged, while it was being taken, messages the copy had not applied."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nats
import pytest

from handlers.backup_inbound import ATTEMPTS, copy_with_unapplied
from handlers.brokers.nats_inbound import (
    INBOUND_STREAM,
    INBOUND_SUBJECT,
    ensure_stream,
    inbound_stream,
)
from handlers.embedded_nats import EmbeddedNats
from workflow.store import Tracked


@dataclass(frozen=True)
class Stream:
    js: Any
    url: str


@pytest.fixture
async def stream(tmp_path: Path) -> AsyncIterator[Stream]:
    server = EmbeddedNats(tmp_path / "data")
    url = await server.start()
    client = await nats.connect(url)
    try:
        js = client.jetstream()
        await ensure_stream(js, inbound_stream(1 << 20))
        yield Stream(js, url)
    finally:
        await client.close()
        await server.stop()


async def _post(js: Any, *bodies: str) -> None:
    for body in bodies:
        await js.publish(INBOUND_SUBJECT, body.encode(), stream=INBOUND_STREAM)


async def _stream_id(js: Any) -> str:
    created = (await js.stream_info(INBOUND_STREAM)).created
    return str(created.isoformat())


def copies(
    *positions: int, stream_id: str, overtaken_by: str | None = None, times: int = 0
) -> tuple[Callable[[], tuple[int, Tracked]], list[int]]:
    """A stand-in for copying the database: each copy has applied up to the next position.
    With `overtaken_by` (the server's address), the first `times` copies are overtaken: as
    each is taken, two messages are posted, applied and purged, as the service would."""
    taken: list[int] = []

    def copy() -> tuple[int, Tracked]:
        taken.append(positions[len(taken)])
        if overtaken_by is not None and len(taken) <= times:
            # copy() blocks the backup's loop, as SQLite does: the service works beside it.
            worker = threading.Thread(target=asyncio.run, args=(_service_meanwhile(overtaken_by),))
            worker.start()
            worker.join()
        return 16, Tracked(stream_id, taken[-1])

    return copy, taken


async def _service_meanwhile(url: str) -> None:
    client = await nats.connect(url)
    try:
        js = client.jetstream()
        await _post(js, "posted during the copy", "and another")
        last = (await js.stream_info(INBOUND_STREAM)).state.last_seq
        await js.purge_stream(INBOUND_STREAM, seq=last + 1)
    finally:
        await client.close()


async def test_the_messages_after_the_copied_position_are_kept_in_order(stream: Stream) -> None:
    await _post(stream.js, "m1", "m2", "m3", "m4")
    copy, taken = copies(2, stream_id=await _stream_id(stream.js))

    schema, kept, unapplied = await copy_with_unapplied(stream.js, copy, None)

    assert [(m.seq, m.body) for m in kept] == [(3, b"m3"), (4, b"m4")]
    assert (schema, unapplied.messages, unapplied.complete, taken) == (16, 2, True, [2])


async def test_a_stream_new_to_the_copy_is_kept_whole(stream: Stream) -> None:
    await _post(stream.js, "m1", "m2")
    copy, _ = copies(7, stream_id="an older stream, since re-made")

    _, kept, _ = await copy_with_unapplied(stream.js, copy, None)

    assert [m.body for m in kept] == [b"m1", b"m2"]


async def test_a_copy_is_taken_again_when_messages_it_needs_were_purged_meanwhile(
    stream: Stream,
) -> None:
    await _post(stream.js, "m1", "m2", "m3")
    stream_id = await _stream_id(stream.js)
    copy, taken = copies(1, 5, stream_id=stream_id, overtaken_by=stream.url, times=1)

    _, kept, unapplied = await copy_with_unapplied(stream.js, copy, None)

    assert taken == [1, 5] and unapplied.complete and kept == []


async def test_it_says_so_when_every_copy_is_overtaken(stream: Stream) -> None:
    await _post(stream.js, "m1")
    stream_id = await _stream_id(stream.js)
    positions = [1] * ATTEMPTS
    copy, taken = copies(*positions, stream_id=stream_id, overtaken_by=stream.url, times=ATTEMPTS)

    _, _, unapplied = await copy_with_unapplied(stream.js, copy, None)

    assert len(taken) == ATTEMPTS and not unapplied.complete
    assert "may be missing" in unapplied.note
