"""What the service needs from a broker, and the acknowledgement rule both brokers share."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from handlers.processing import EventProcessor, Inbound, about_message
from workflow.store.backlog import Waiting

log = logging.getLogger("cpd.brokers")
M = TypeVar("M")
M_in = TypeVar("M_in", contravariant=True)


class BrokerAdapter(Protocol):
    name: str
    inbound_address: str
    broker: Any  # the FastStream broker, for the AsyncAPI document

    async def start(self) -> None: ...
    async def stop_consuming(self) -> None: ...
    async def stop(self) -> None: ...
    async def publish_inbound(self, body: bytes, dedupe_key: str) -> None: ...
    async def publish_outbound(self, event_type: str, event_id: str, body: bytes) -> None: ...
    async def ping(self) -> bool: ...
    async def inbound_backlog(self) -> Waiting: ...
    def consumer_status(self) -> dict[str, object]: ...


class Settlement(Protocol[M_in]):
    def attempt(self, message: M_in) -> int: ...
    def inbound(self, message: M_in) -> Inbound: ...
    async def ack(self, message: M_in) -> None: ...
    async def retry(self, message: M_in) -> None: ...
    async def keep(self, message: M_in) -> None: ...


async def settle_batch(
    processor: EventProcessor,
    messages: Sequence[M],
    transport: str,
    max_deliver: int,
    settlement: Settlement[M],
    pause: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> int:
    """Apply messages in order and acknowledge each only after its commit.

    A failing message is retried here, with the ones behind it held back so a request's
    later events never overtake it; after `max_deliver` attempts it is kept as a dead
    letter with its reason and the rest carry on. Only if even that cannot be recorded
    are the messages handed back to the broker. Returns how many were settled, from the
    front: all of them unless the store itself is failing.
    """
    retries, settled = 0, 0
    while messages:
        handled, failure = await processor.handle_batch(
            [settlement.inbound(m) for m in messages], transport
        )
        for message in messages[: len(handled)]:
            await settlement.ack(message)
        settled += len(handled)
        if failure is None:
            return settled
        retries = 0 if handled else retries
        failed, rest = messages[len(handled)], messages[len(handled) + 1 :]
        attempt = settlement.attempt(failed) + retries
        if attempt < max_deliver:
            with about_message(settlement.inbound(failed).body):
                log.warning("%s delivery %d failed, will retry: %r", transport, attempt, failure)
            for message in messages[len(handled) :]:
                await settlement.keep(message)
            await pause(min(0.1 * 2**attempt, 5.0))
            messages, retries = messages[len(handled) :], retries + 1
            continue
        if not await _dead_letter(
            processor, settlement.inbound(failed), transport, attempt, failure
        ):
            for message in (failed, *rest):
                await settlement.retry(message)
            return settled
        await settlement.ack(failed)
        messages, retries, settled = rest, 0, settled + 1
    return settled


async def _dead_letter(
    processor: EventProcessor, message: Inbound, transport: str, attempt: int, failure: Exception
) -> bool:
    reason = f"failed {attempt} deliveries; last error: {failure!r}"
    with about_message(message.body):
        log.error("%s message dead-lettered: %s", transport, reason)
    try:
        await processor.keep_unapplied(message, transport, reason, failed=True)
    except Exception:
        # The store is what keeps failing: leave the message with the broker, whose own
        # delivery limit and dead-letter route keep it.
        log.exception("could not record the dead letter; leaving it to the broker")
        return False
    return True
