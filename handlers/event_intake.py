"""Taking in one valid event: queue it durably and, with `?wait=true`, wait for its outcome.

In two steps, so a batch can queue all its events in order before waiting for any."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from handlers import views
from handlers.service import Service
from schemas import CloudEvent
from workflow import log_context
from workflow.store import QUEUED, Outcome

log = logging.getLogger("cpd.intake")


@dataclass(frozen=True)
class Pending:
    """A queued event whose poster waits for it to be processed."""

    event: CloudEvent
    waiter: asyncio.Future[Outcome]


async def queue(service: Service, event: CloudEvent, wait: bool) -> views.Reply | Pending:
    """The answer already known (accepted, processed before, broker down), or what to await."""
    with log_context.about(request_id=event.subject, event_id=event.id, event_type=event.type):
        return await _queue(service, event, wait)


async def _queue(service: Service, event: CloudEvent, wait: bool) -> views.Reply | Pending:
    store = service.store
    status, created = await store.record_queued(event.source, event.id, event.type, event.subject)
    if status.status != QUEUED:
        return views.processed(status, await store.get_request(event.subject), wait)
    waiter = service.waiters.expect(event.source, event.id) if wait else None
    if waiter is not None and not created:
        # An earlier post of this event may have been processed since we looked.
        fresh = await store.fresh_status(event.source, event.id)
        if fresh is not None and fresh.status != QUEUED:
            service.waiters.discard(event.source, event.id, waiter)
            return views.processed(fresh, await store.get_request(event.subject), wait)
    try:
        body = event.model_dump_json(exclude_none=True).encode()
        await service.broker.publish_inbound(body, f"{event.source}\x1f{event.id}")
    except Exception as error:
        log.warning("the broker did not take the event (answered 503): %r", error)
        if waiter is not None:
            service.waiters.discard(event.source, event.id, waiter)
        if created:
            await store.forget_queued(event.source, event.id)
        return views.refused(503, "broker_unavailable", f"event not queued: {error!r}")
    if waiter is None:
        return views.accepted(event.id)
    return Pending(event, waiter)


async def settle(service: Service, pending: Pending) -> views.Reply:
    """The outcome, or `accepted` still queued once CPD_WAIT_TIMEOUT has passed."""
    event = pending.event
    try:
        outcome = await asyncio.wait_for(pending.waiter, service.settings.wait_timeout)
    except TimeoutError:
        service.waiters.discard(event.source, event.id, pending.waiter)
        return views.accepted(event.id, still_queued=True)
    request = outcome.request or await service.store.get_request(event.subject)
    return views.processed(outcome.status, request, wait=True)


async def take(service: Service, event: CloudEvent, wait: bool) -> views.Reply:
    queued = await queue(service, event, wait)
    return await settle(service, queued) if isinstance(queued, Pending) else queued


async def take_batch(
    service: Service, events: list[CloudEvent | views.Reply], wait: bool
) -> list[views.Reply]:
    """Each event queued in the batch's order (a refused one keeps its refusal), then
    every wait at once: the batch waits no longer than its slowest event."""
    queued = [
        await queue(service, event, wait) if isinstance(event, CloudEvent) else event
        for event in events
    ]
    waits = [settle(service, q) for q in queued if isinstance(q, Pending)]
    settled = iter(await asyncio.gather(*waits))
    return [next(settled) if isinstance(q, Pending) else q for q in queued]
