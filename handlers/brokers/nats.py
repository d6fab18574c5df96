"""NATS JetStream: a durable pull consumer on `cpd.inbound`, outbound events in a stream."""

from __future__ import annotations

import json
import logging

from faststream import AckPolicy
from faststream.nats import ConsumerConfig, JStream, NatsBroker, NatsMessage, PullSub
from nats.aio.msg import Msg
from nats.errors import NotJSMessageError
from nats.js.api import StreamConfig

from handlers.brokers.base import consume
from handlers.processing import EventProcessor

log = logging.getLogger("cpd.brokers.nats")

INBOUND_SUBJECT = "cpd.inbound"
INBOUND_STREAM = "CPD_INBOUND"
CONSUMER = "cpd-workflow"
OUTBOUND_STREAM = "CPD_OUTBOUND"
OUTBOUND_SUBJECTS = ["cpd.request.state_changed", "cpd.event.rejected", "cpd.reminder.due"]
ADVISORY = f"$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{INBOUND_STREAM}.{CONSUMER}"


class NatsAdapter:
    name = "nats"
    inbound_address = f"NATS subject '{INBOUND_SUBJECT}' (JetStream stream {INBOUND_STREAM})"

    def __init__(self, url: str, processor: EventProcessor, max_deliver: int) -> None:
        self.processor = processor
        self.max_deliver = max_deliver
        self.broker = NatsBroker(url, max_reconnect_attempts=-1, reconnect_time_wait=1)
        subscriber = self.broker.subscriber(
            INBOUND_SUBJECT,
            stream=JStream(INBOUND_STREAM, subjects=[INBOUND_SUBJECT]),
            durable=CONSUMER,
            # One message per fetch and one unacknowledged message at a time: a request's
            # events must apply in the order they were posted, and a message waiting for
            # a retry must hold back the ones behind it. Short client-side fetch timeouts
            # lose messages until ack_wait, so the fetch waits long.
            pull_sub=PullSub(batch_size=1, timeout=5.0),
            ack_policy=AckPolicy.MANUAL,
            # One more than ours: our handler dead-letters first; the server's limit and
            # its advisory are the backstop if the process dies mid-message every time.
            config=ConsumerConfig(max_deliver=max_deliver + 1, ack_wait=10, max_ack_pending=1),
            title="cpd.inbound",
            description="Inbound CloudEvents (structured JSON) from other trust systems.",
        )
        subscriber(self._on_event)
        self.broker.subscriber(ADVISORY, include_in_schema=False)(self._on_max_deliveries)
        for subject in OUTBOUND_SUBJECTS:
            self.broker.publisher(subject, title=subject, description=f"{subject} CloudEvents")

    async def start(self) -> None:
        await self.broker.connect()
        js = self.broker.connection.jetstream()
        config = StreamConfig(name=OUTBOUND_STREAM, subjects=OUTBOUND_SUBJECTS)
        try:
            await js.update_stream(config)
        except Exception:
            await js.add_stream(config)
        await self.broker.start()

    async def stop(self) -> None:
        await self.broker.stop()

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

    async def _on_event(self, msg: NatsMessage) -> None:
        await consume(
            self.processor,
            msg.body,
            "nats",
            _attempt(msg.raw_message),
            self.max_deliver,
            _Settle(msg),
        )

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


def _headers(message_id: str) -> dict[str, str]:
    # Nats-Msg-Id lets JetStream drop a re-send inside its duplicate window too.
    return {"Nats-Msg-Id": message_id, "content-type": "application/cloudevents+json"}


def _attempt(raw: Msg) -> int:
    try:
        delivered = raw.metadata.num_delivered
    except NotJSMessageError:  # FastStream's TestBroker delivers plain messages
        return 1
    return int(delivered or 1)


class _Settle:
    def __init__(self, msg: NatsMessage) -> None:
        self._msg = msg

    async def ack(self) -> None:
        await self._msg.ack()

    async def retry(self, attempt: int) -> None:
        await self._msg.nack(delay=min(0.1 * 2**attempt, 5.0))
