"""RabbitMQ: a durable quorum queue `cpd.events`, outbound events on topic exchange `cpd.out`."""

from __future__ import annotations

import logging

from faststream import AckPolicy
from faststream.rabbit import (
    Channel,
    ExchangeType,
    QueueType,
    RabbitBroker,
    RabbitExchange,
    RabbitMessage,
    RabbitQueue,
)

from handlers.brokers.base import settle_batch
from handlers.processing import EventProcessor, Inbound
from workflow.store.backlog import Waiting

INBOUND_QUEUE_NAME = "cpd.events"
DEAD_LETTER_EXCHANGE = RabbitExchange("cpd.dead", type=ExchangeType.FANOUT, durable=True)
DEAD_LETTER_QUEUE = RabbitQueue("cpd.events.dead", durable=True)
OUTBOUND_EXCHANGE = RabbitExchange("cpd.out", type=ExchangeType.TOPIC, durable=True)


def inbound_queue(max_deliver: int) -> RabbitQueue:
    # Quorum queues count deliveries (x-delivery-count) and enforce a delivery limit,
    # past which the broker dead-letters the message to `cpd.events.dead`.
    return RabbitQueue(
        INBOUND_QUEUE_NAME,
        queue_type=QueueType.QUORUM,
        durable=True,
        arguments={
            "x-delivery-limit": max_deliver + 1,
            "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE.name,
        },
    )


class RabbitAdapter:
    name = "rabbitmq"
    inbound_address = f"RabbitMQ queue '{INBOUND_QUEUE_NAME}' (default exchange)"

    def __init__(self, url: str, processor: EventProcessor, max_deliver: int) -> None:
        self.processor = processor
        self.max_deliver = max_deliver
        self.queue = inbound_queue(max_deliver)
        self.broker = RabbitBroker(
            url,
            log_level=logging.DEBUG,  # per-message lines only at DEBUG
            logger=logging.getLogger("faststream"),  # in the service's format (handlers/logs.py)
        )
        self._subscriber = self.broker.subscriber(
            self.queue,
            # One unacknowledged message at a time: the handler would otherwise run for
            # several at once, and a request's events must apply in the order posted.
            channel=Channel(prefetch_count=1),
            ack_policy=AckPolicy.MANUAL,
            title=INBOUND_QUEUE_NAME,
            description="Inbound CloudEvents (structured JSON) from other trust systems.",
        )
        self._subscriber(self._on_event)
        self.publisher = self.broker.publisher(
            exchange=OUTBOUND_EXCHANGE,
            title="cpd.out",
            description="Outbound CloudEvents; routing key = event type",
        )

    async def start(self) -> None:
        await self.broker.connect()
        dead_exchange = await self.broker.declare_exchange(DEAD_LETTER_EXCHANGE)
        dead_queue = await self.broker.declare_queue(DEAD_LETTER_QUEUE)
        await dead_queue.bind(dead_exchange)
        await self.broker.declare_exchange(OUTBOUND_EXCHANGE)
        await self.broker.start()

    async def stop_consuming(self) -> None:
        await self._subscriber.stop()

    async def stop(self) -> None:
        await self.broker.stop()

    async def publish_inbound(self, body: bytes, dedupe_key: str) -> None:
        await self.broker.publish(
            body,
            queue=self.queue,
            persist=True,
            message_id=dedupe_key,
            content_type="application/cloudevents+json",
        )

    async def publish_outbound(self, event_type: str, event_id: str, body: bytes) -> None:
        await self.broker.publish(
            body,
            exchange=OUTBOUND_EXCHANGE,
            routing_key=event_type,
            persist=True,
            message_id=event_id,
            content_type="application/cloudevents+json",
        )

    async def ping(self) -> bool:
        return bool(await self.broker.ping(timeout=2.0))

    async def inbound_backlog(self) -> Waiting:
        """Messages ready in the queue (declaring it again reports the count); RabbitMQ does
        not say how old the first is."""
        queue = await self.broker.declare_queue(self.queue)
        declared = await queue.declare()
        return Waiting(int(declared.message_count or 0), None)

    def consumer_status(self) -> dict[str, object]:
        # FastStream runs and restarts the subscriber; a failing message is dead-lettered
        # by settle_batch, so there is no reader state of ours to report beyond the broker.
        return {"ok": True, "running": True}

    async def _on_event(self, msg: RabbitMessage) -> None:
        # Retries happen inside the handler, which holds the queue: later events wait.
        await settle_batch(self.processor, [msg], "rabbitmq", self.max_deliver, _Settlement())


class _Settlement:
    def attempt(self, message: RabbitMessage) -> int:
        # Quorum queues count earlier deliveries in x-delivery-count.
        headers = message.raw_message.headers or {}
        return int(str(headers.get("x-delivery-count", 0))) + 1

    def inbound(self, message: RabbitMessage) -> Inbound:
        return Inbound(bytes(message.body))

    async def ack(self, message: RabbitMessage) -> None:
        await message.ack()

    async def retry(self, message: RabbitMessage) -> None:
        await message.nack(requeue=True)

    async def keep(self, message: RabbitMessage) -> None:
        pass  # RabbitMQ sets no ack deadline for a consumer that stays connected
