"""What the service needs from a broker, and the retry rule both brokers share."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from handlers.processing import EventProcessor, event_key

log = logging.getLogger("cpd.brokers")


class BrokerAdapter(Protocol):
    name: str
    inbound_address: str
    broker: Any  # the FastStream broker, for the AsyncAPI document

    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def publish_inbound(self, body: bytes, dedupe_key: str) -> None: ...
    async def publish_outbound(self, event_type: str, event_id: str, body: bytes) -> None: ...
    async def ping(self) -> bool: ...


class Settlement(Protocol):
    async def ack(self) -> None: ...
    async def retry(self, attempt: int) -> None: ...


async def consume(
    processor: EventProcessor,
    body: bytes,
    transport: str,
    attempt: int,
    max_deliver: int,
    settle: Settlement,
) -> None:
    """Process, then acknowledge only after the commit; retry or dead-letter failures."""
    try:
        await processor.handle(body, transport)
    except Exception as error:
        if attempt < max_deliver:
            log.warning("%s delivery %d failed, will retry: %r", transport, attempt, error)
            await settle.retry(attempt)
            return
        reason = f"failed {attempt} deliveries; last error: {error!r}"
        log.error("%s message dead-lettered: %s", transport, reason)
        try:
            source, event_id = event_key(body)
            await processor.store.record_invalid(
                transport=transport,
                body=body.decode("utf-8", "replace"),
                reason=reason,
                source=source,
                event_id=event_id,
            )
        except Exception:
            # The store is what keeps failing: leave the message with the broker, whose
            # own delivery limit and dead-letter route keep it.
            log.exception("could not record the dead letter; leaving it to the broker")
            await settle.retry(attempt)
            return
    await settle.ack()
