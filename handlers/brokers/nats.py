"""NATS JetStream: a durable pull consumer on `cpd.inbound`, outbound events in a stream.

The inbound consumer is our own pull loop rather than a FastStream subscriber: FastStream
handles a fetched batch concurrently, or (in batch mode) waits for the batch to fill, and
we need a request's events applied strictly in the order posted, without waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from faststream.nats import NatsBroker, NatsMessage
from nats.aio.msg import Msg
from nats.errors import ConnectionClosedError, NoServersError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import AckPolicy, ConsumerConfig, StreamConfig
from nats.js.errors import NotFoundError

from handlers.brokers.base import settle_batch
from handlers.processing import EventProcessor

log = logging.getLogger("cpd.brokers.nats")

INBOUND_SUBJECT = "cpd.inbound"
INBOUND_STREAM = "CPD_INBOUND"
CONSUMER = "cpd-workflow"
OUTBOUND_STREAM = "CPD_OUTBOUND"
OUTBOUND_SUBJECTS = ["cpd.request.state_changed", "cpd.event.rejected", "cpd.reminder.due"]
ADVISORY = f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{INBOUND_STREAM}.{CONSUMER}"
BATCH = 200


class NatsAdapter:
    name = "nats"
    inbound_address = f"NATS subject '{INBOUND_SUBJECT}' (JetStream stream {INBOUND_STREAM})"

    def __init__(self, url: str, processor: EventProcessor, max_deliver: int) -> None:
        self.processor = processor
        self.max_deliver = max_deliver
        self.broker = NatsBroker(
            url, max_reconnect_attempts=-1, reconnect_time_wait=1, log_level=logging.DEBUG
        )
        self.broker.subscriber(ADVISORY, include_in_schema=False)(self._on_max_deliveries)
        self.broker.publisher(
            INBOUND_SUBJECT,
            title=INBOUND_SUBJECT,
            description="Post inbound CloudEvents (structured JSON) here; JetStream stream "
            f"{INBOUND_STREAM}, durable consumer {CONSUMER}.",
        )
        for subject in OUTBOUND_SUBJECTS:
            self.broker.publisher(subject, title=subject, description=f"{subject} CloudEvents")
        self._task: asyncio.Task[None] | None = None
        self._subscription: object | None = None
        self._stopping = False
        self._busy = False

    async def start(self) -> None:
        await self.broker.start()
        js = self.broker.connection.jetstream()
        await _ensure_stream(js, StreamConfig(name=INBOUND_STREAM, subjects=[INBOUND_SUBJECT]))
        await _ensure_stream(js, StreamConfig(name=OUTBOUND_STREAM, subjects=OUTBOUND_SUBJECTS))
        subscription = await js.pull_subscribe(
            INBOUND_SUBJECT,
            durable=CONSUMER,
            stream=INBOUND_STREAM,
            # One more than ours: our handler dead-letters first; the server's limit and
            # its advisory are the backstop if the process dies mid-message every time.
            config=ConsumerConfig(
                ack_policy=AckPolicy.EXPLICIT,
                max_deliver=self.max_deliver + 1,
                ack_wait=10,
                max_ack_pending=BATCH,
            ),
        )
        self._stopping = False
        self._subscription = subscription
        self._task = asyncio.create_task(self._consume(subscription), name="nats-inbound")

    async def stop_consuming(self) -> None:
        """Finish the batch in hand, then take no more; the connection stays for publishing."""
        self._stopping = True
        if self._task and not self._busy:
            self._task.cancel()  # it is only waiting for messages: no need to wait it out
        if self._task:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, timeout=5)
        if self._subscription is not None:
            # Draining the connection waits on every subscription; ours must go first.
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()  # type: ignore[attr-defined]
            self._subscription = None

    async def stop(self) -> None:
        await self.stop_consuming()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.broker.stop(), timeout=5)

    async def _consume(self, subscription: object) -> None:
        # The next batch is fetched while this one is applied, so the writer never waits
        # on a round trip to the server.
        ahead: asyncio.Task[list[Msg]] | None = None
        try:
            while not self._stopping:
                messages = await (ahead or self._fetch(subscription))
                ahead = asyncio.create_task(self._fetch(subscription)) if messages else None
                self._busy = True
                try:
                    await settle_batch(
                        self.processor, messages, "nats", self.max_deliver, _Settlement()
                    )
                finally:
                    self._busy = False
        finally:
            if ahead is not None and ahead.done() and not ahead.cancelled():
                for message in ahead.result():
                    await message.nak()  # fetched but not applied: straight back to the queue
            elif ahead is not None:
                ahead.cancel()

    async def _fetch(self, subscription: object) -> list[Msg]:
        try:
            messages: list[Msg] = await subscription.fetch(BATCH, timeout=0.5)  # type: ignore[attr-defined]
        except (NatsTimeout, TimeoutError):
            return []
        except (ConnectionClosedError, NoServersError, OSError) as error:
            log.warning("inbound fetch failed, retrying: %r", error)
            await asyncio.sleep(0.5)
            return []
        return messages

    async def publish_inbound(self, body: bytes, dedupe_key: str) -> None:
        await self.broker.publish(
            body, INBOUND_SUBJECT, stream=INBOUND_STREAM, headers=_headers(dedupe_key)
        )

    async def publish_outbound(self, event_type: str, event_id: str, body: bytes) -> None:
        await self.broker.publish(
            body, event_type, stream=OUTBOUND_STREAM, headers=_headers(event_id)
        )

    async def ping(self) -> bool:
        return bool(await self.broker.ping(timeout=2.0))

    async def _on_max_deliveries(self, msg: NatsMessage) -> None:
        advisory = json.loads(msg.body)
        js = self.broker.connection.jetstream()
        stored = await js.get_msg(INBOUND_STREAM, advisory["stream_seq"])
        reason = f"JetStream gave up after {advisory.get('deliveries')} deliveries"
        log.error("inbound message %s dead-lettered by the server", advisory["stream_seq"])
        await self.processor.store.record_invalid(
            transport="nats",
            body=(stored.data or b"").decode("utf-8", "replace"),
            reason=reason,
            source=None,
            event_id=None,
        )


async def _ensure_stream(js: object, config: StreamConfig) -> None:
    try:
        await js.stream_info(config.name)  # type: ignore[attr-defined]
    except NotFoundError:
        await js.add_stream(config)  # type: ignore[attr-defined]


def _headers(message_id: str) -> dict[str, str]:
    # Nats-Msg-Id lets JetStream drop a re-send inside its duplicate window too.
    return {"Nats-Msg-Id": message_id, "content-type": "application/cloudevents+json"}


class _Settlement:
    def attempt(self, message: Msg) -> int:
        return int(message.metadata.num_delivered or 1)

    def body(self, message: Msg) -> bytes:
        return bytes(message.data)

    async def ack(self, message: Msg) -> None:
        await message.ack()

    async def retry(self, message: Msg) -> None:
        await message.nak()

    async def keep(self, message: Msg) -> None:
        await message.in_progress()  # still ours: do not redeliver while we retry
