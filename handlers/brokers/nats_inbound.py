"""Reading `cpd.inbound` in stream order, from the position the store says was applied.

The store, not the broker, knows how far we got: each message's transaction records its
stream sequence (the tracking record). Every time reading starts, after a crash, a
restart or a lost connection, the consumer is created anew at the next sequence, so a
message delivered before a crash but never applied comes back first, before anything
posted later, whatever the broker's redelivery timers would have done. Acknowledgements
therefore play no part (AckPolicy NONE); applied messages are purged from the stream
instead, which is what keeps it small.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, DiscardPolicy, StreamConfig
from nats.js.errors import NotFoundError

from handlers.brokers.base import settle_batch
from handlers.processing import EventProcessor, Inbound
from workflow.store import Position, Tracked

log = logging.getLogger("cpd.brokers.nats")

INBOUND_SUBJECT = "cpd.inbound"
INBOUND_STREAM = "CPD_INBOUND"
CONSUMER = "cpd-workflow"
READER = f"nats:{INBOUND_STREAM}"
BATCH = 200
# Applied messages stay in the stream until this many have gathered or this long passed.
PURGE_EVERY = 1_000
PURGE_AFTER = 5.0


def inbound_stream(max_bytes: int) -> StreamConfig:
    # Limits, never age: a full stream refuses new posts (the poster gets an error and
    # retries) rather than dropping a message nobody has applied yet.
    return StreamConfig(
        name=INBOUND_STREAM,
        subjects=[INBOUND_SUBJECT],
        max_bytes=max_bytes,
        discard=DiscardPolicy.NEW,
    )


class _Gap(Exception):
    def __init__(self, expected: int, got: int) -> None:
        super().__init__(f"expected stream message {expected}, got {got}")
        self.expected = expected


class InboundReader:
    def __init__(self, processor: EventProcessor, max_deliver: int, max_bytes: int) -> None:
        self.processor = processor
        self.max_deliver = max_deliver
        self.max_bytes = max_bytes
        self.position = 0
        self.failing: str | None = None  # why reading stopped, until it reads again
        self.restarts = 0
        self.stopping = False
        self.busy = False
        self._purged_to = 0
        self._purged_at = time.monotonic()

    async def run(self, connection: Any) -> None:
        """Read and apply until stopped. On any failure: say why, wait, and start again
        from the tracked position, so nothing is skipped and nothing overtakes."""
        backoff = 0.2
        while not self.stopping:
            try:
                await self._read(connection.jetstream())
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.failing, self.restarts = repr(error), self.restarts + 1
                log.error("inbound reader stopped (%r); restarting in %.1fs", error, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _read(self, js: Any) -> None:
        expected = await self._start(js)
        subscription = await _open(js, expected)
        reopened_at: int | None = expected
        ahead: asyncio.Task[list[Msg]] | None = None
        try:
            while not self.stopping:
                messages = await (ahead or _fetch(subscription))
                ahead = asyncio.create_task(_fetch(subscription)) if messages else None
                self.failing = None
                try:
                    fresh = _in_order(messages, expected, accept_gap=reopened_at == expected)
                except _Gap as gap:
                    log.warning("inbound %s; reading again from there", gap)
                    await _quietly_unsubscribe(subscription)
                    subscription, reopened_at = await _open(js, gap.expected), gap.expected
                    _cancel(ahead)
                    ahead = None
                    continue
                if not fresh:
                    continue
                reopened_at = None
                self.busy = True
                try:
                    settled = await settle_batch(
                        self.processor, fresh, "nats", self.max_deliver, _Settlement()
                    )
                finally:
                    self.busy = False
                if settled:
                    expected = _seq(fresh[settled - 1]) + 1
                    self.position = expected - 1
                if settled < len(fresh):
                    raise RuntimeError("the store could not record a message; will retry it")
                await self._purge(js)
        finally:
            _cancel(ahead)
            await _quietly_unsubscribe(subscription)

    async def _start(self, js: Any) -> int:
        """The first stream sequence to read, from the tracking record."""
        info = await ensure_stream(js, inbound_stream(self.max_bytes))
        stream_id = info.created.isoformat() if info.created else "unknown"
        first, last = int(info.state.first_seq or 0), int(info.state.last_seq or 0)
        store = self.processor.store
        tracked = await store.tracked(READER)
        if tracked is None or tracked.stream_id != stream_id:
            # A stream new to this store: everything in it is still to be applied (an
            # event seen before is recognised by its source and id and changes nothing).
            tracked = Tracked(stream_id, max(first - 1, 0))
            await store.reset_tracking(READER, tracked)
        position = tracked.position
        if position > last:
            log.error("stream ends at %d but %d were applied: its tail was lost", last, position)
            position = last
        elif position + 1 < first:
            log.error("stream messages %d to %d were removed unapplied", position + 1, first - 1)
        if position != tracked.position:
            await store.reset_tracking(READER, Tracked(stream_id, position))
        self.position = self._purged_to = position
        return position + 1

    async def _purge(self, js: Any) -> None:
        applied = self.position - self._purged_to
        due = time.monotonic() - self._purged_at > PURGE_AFTER
        if applied >= PURGE_EVERY or (applied and due):
            try:
                await js.purge_stream(INBOUND_STREAM, seq=self.position + 1)
            except Exception as error:  # only space is at stake; the next purge catches up
                log.warning("could not purge applied inbound messages: %r", error)
                return
            self._purged_to, self._purged_at = self.position, time.monotonic()


def _in_order(messages: list[Msg], expected: int, *, accept_gap: bool) -> list[Msg]:
    """The messages that come next, in order. A message already applied (delivered
    again) is skipped; a missing one is a gap, unless the stream no longer has it."""
    fresh: list[Msg] = []
    for message in messages:
        seq = _seq(message)
        if seq < expected:
            continue
        if seq > expected:
            if not (accept_gap and not fresh):
                raise _Gap(expected, seq)
            log.error("inbound stream messages %d to %d are gone unapplied", expected, seq - 1)
        fresh.append(message)
        expected = seq + 1
    return fresh


def _seq(message: Msg) -> int:
    return int(message.metadata.sequence.stream)


async def _open(js: Any, start: int) -> Any:
    """A fresh consumer that delivers from stream sequence `start` on."""
    with contextlib.suppress(NotFoundError):
        await js.delete_consumer(INBOUND_STREAM, CONSUMER)
    return await js.pull_subscribe(
        INBOUND_SUBJECT,
        durable=CONSUMER,
        stream=INBOUND_STREAM,
        config=ConsumerConfig(
            ack_policy=AckPolicy.NONE,
            deliver_policy=DeliverPolicy.BY_START_SEQUENCE,
            opt_start_seq=start,
        ),
    )


async def _fetch(subscription: Any) -> list[Msg]:
    try:
        messages: list[Msg] = await subscription.fetch(BATCH, timeout=0.5)
    except (NatsTimeout, TimeoutError):
        return []
    return messages


async def ensure_stream(js: Any, config: StreamConfig) -> Any:
    try:
        info = await js.stream_info(config.name)
    except NotFoundError:
        return await js.add_stream(config)
    current = info.config
    # A stream made by an earlier release lacks the subjects of event types added since
    # (a publish to a subject no stream takes fails): it is given them.
    missing = set(config.subjects or ()) - set(current.subjects or ())
    limits = (config.max_bytes, config.discard)
    if missing or (config.max_bytes and (current.max_bytes, current.discard) != limits):
        info = await js.update_stream(
            StreamConfig.from_response({**current.as_dict(), **config.as_dict()})
        )
    return info


def _cancel(task: asyncio.Task[list[Msg]] | None) -> None:
    if task is not None:
        task.cancel()


async def _quietly_unsubscribe(subscription: Any) -> None:
    with contextlib.suppress(Exception):
        await subscription.unsubscribe()


class _Settlement:
    """Nothing to tell the broker: the tracking record written with each message's
    effects is what says it was applied."""

    def attempt(self, message: Msg) -> int:
        return 1

    def inbound(self, message: Msg) -> Inbound:
        return Inbound(bytes(message.data), Position(READER, _seq(message)))

    async def ack(self, message: Msg) -> None:
        pass

    async def retry(self, message: Msg) -> None:
        pass

    async def keep(self, message: Msg) -> None:
        pass
