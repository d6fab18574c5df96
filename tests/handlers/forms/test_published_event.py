"""A form's answer is a CloudEvent on the same inbound queue as any other client's."""

from __future__ import annotations

import asyncio
import json

import httpx
import nats

from handlers.brokers.nats import INBOUND_SUBJECT
from handlers.service import Service
from tests.handlers.forms.conftest import MakeLink
from tests.handlers.forms.walk import nonce_of, walk


async def test_an_approval_is_published_as_the_person_with_forms_as_the_client(
    client: httpx.AsyncClient, embedded_service: Service, link: MakeLink
) -> None:
    await walk(client, "REQ-E1", "approve_head")
    path = link("REQ-E1", "approve_head", "HEAD-1")
    assert embedded_service.embedded is not None
    connection = await nats.connect(embedded_service.embedded.client_url, connect_timeout=2)
    try:
        published = await connection.subscribe(INBOUND_SUBJECT)
        answer = await client.post(path, data={"decision": "approve", "comment": "Yes"})
        message = await asyncio.wait_for(published.next_msg(timeout=10), 15)
    finally:
        await connection.close()

    assert answer.status_code == 200
    sent = json.loads(message.data)
    nonce = nonce_of(path, embedded_service.settings.data_dir, embedded_service.clock.now())
    assert sent["type"] == "cpd.request.head_approved"
    assert (sent["subject"], sent["actor"]) == ("REQ-E1", "HEAD-1")
    assert (sent["source"], sent["cpdclient"], sent["cpdlink"]) == (
        "cpd-workflow/forms",
        "forms",
        nonce,
    )
    assert sent["data"]["comment"] == "Yes"
    status = await client.get(f"/events/{sent['id']}", params={"source": sent["source"]})
    assert status.json()["status"] == "applied"
