"""A form's answer goes the way every event goes: published to the inbound queue, applied by
the one handler, the outcome awaited as `POST /events?wait=true` awaits it."""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handlers.forms.tokens import FormLink
from handlers.service import Service
from schemas import CloudEvent, parse_inbound
from workflow.store import Outcome
from workflow.store.used_links import LINK_EXTENSION

log = logging.getLogger("cpd.forms")

FORMS_SOURCE = "cpd-workflow/forms"
FORMS_CLIENT = "forms"  # the `cpdclient` extension: history names the forms as the client


@dataclass(frozen=True)
class Sent:
    outcome: Outcome | None  # None: not applied or refused yet (see the flags)
    still_queued: bool = False  # queued, but not processed within CPD_WAIT_TIMEOUT
    unavailable: bool = False  # the broker did not take it: nothing was queued


def form_event(link: FormLink, event_type: str, data: dict[str, Any], at: datetime) -> CloudEvent:
    """The CloudEvent a form sends, acting as the link's person. Its id starts with the
    link's nonce, so an event still queued from this link can be found
    (workflow/store/used_links.py `in_flight`)."""
    return parse_inbound(
        {
            "specversion": "1.0",
            "id": f"{link.nonce}.{uuid.uuid4().hex}",
            "source": FORMS_SOURCE,
            "type": event_type,
            "subject": link.request_id,
            "actor": link.staff_id,
            "time": at.isoformat(),
            "datacontenttype": "application/json",
            "data": data,
            "cpdclient": FORMS_CLIENT,
            LINK_EXTENSION: link.nonce,
        }
    )


async def send(service: Service, event: CloudEvent) -> Sent:
    store, waiters = service.store, service.waiters
    await store.record_queued(event.source, event.id, event.type, event.subject)
    waiter = waiters.expect(event.source, event.id)
    try:
        body = event.model_dump_json(exclude_none=True).encode()
        await service.broker.publish_inbound(body, f"{event.source}\x1f{event.id}")
    except Exception:
        log.exception("a form's event %s was not queued", event.id)
        waiters.discard(event.source, event.id, waiter)
        await store.forget_queued(event.source, event.id)
        return Sent(None, unavailable=True)
    try:
        return Sent(await asyncio.wait_for(waiter, service.settings.wait_timeout))
    except TimeoutError:
        waiters.discard(event.source, event.id, waiter)
        return Sent(None, still_queued=True)
