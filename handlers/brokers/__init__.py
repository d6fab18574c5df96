"""Broker adapters: embedded or external NATS JetStream, or RabbitMQ."""

from handlers.brokers.base import BrokerAdapter
from handlers.processing import EventProcessor


def adapter_for(
    url: str, processor: EventProcessor, max_deliver: int, inbound_max_bytes: int = 1 << 30
) -> BrokerAdapter:
    if url.startswith(("amqp://", "amqps://")):
        from handlers.brokers.rabbit import RabbitAdapter

        return RabbitAdapter(url, processor, max_deliver)
    from handlers.brokers.nats import NatsAdapter

    return NatsAdapter(url, processor, max_deliver, inbound_max_bytes)


__all__ = ["BrokerAdapter", "EventProcessor", "adapter_for"]
