"""Malformed messages published straight to `cpd.inbound` become dead letters with their reason,
and the valid event behind each is still applied: no message can stall the consumer."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import nats
import pytest

from handlers.service import Service
from schemas.limits import MAX_FIELDS
from tests.lifecycle import encode, lifecycle


def _with(**changes: Any) -> bytes:
    return encode({**lifecycle("POISON")[0], **changes})


def _with_data(**changes: Any) -> bytes:
    submitted = lifecycle("POISON")[0]
    return encode({**submitted, "data": {**submitted["data"], **changes}})


SURROGATE_ID = _with(id="placeholder").replace(b'"placeholder"', b'"\\ud800"')
SURROGATE_KEY = _with_data(placeholder=1).replace(b'"placeholder"', b'"\\udc00"')
DEEP_DATA = _with_data(notes="placeholder").replace(b'"placeholder"', b"[" * 10_000 + b"]" * 10_000)

# (case, body, a fragment of the dead letter's reason)
POISON = [
    ("ten thousand deep", b"[" * 10_000 + b"]" * 10_000, "nested deeper"),
    ("ten thousand deep data", DEEP_DATA, "nested deeper"),
    ("lone surrogate id", SURROGATE_ID, "surrogate"),
    ("lone surrogate key", SURROGATE_KEY, "surrogate"),
    ("not json", b"{not json", "not valid JSON"),
    ("not utf-8", b'{"id": "\xff\xfe"}', "not valid JSON"),
    ("empty", b"", "not valid JSON"),
    ("not an object", b"[1, 2]", "JSON object"),
    ("five thousand digit number", b'{"id": "n-1", "n": ' + b"9" * 5_000 + b"}", "too large"),
    ("infinite number", b'{"id": "n-2", "n": 1e999}', "finite"),
    ("hundred thousand char provider", _with_data(provider="x" * 100_000), "provider"),
    ("bad extension name", _with(**{"Bad-Attr!": "x"}), "Bad-Attr!"),
    ("object extension value", _with(traceinfo={"a": 1}), "traceinfo"),
    ("too many fields", _with_data(notes=list(range(MAX_FIELDS))), "fields"),
    ("control characters in id", _with(id="a\r\nb"), "id"),
]


@pytest.mark.parametrize(("body", "reason"), [p[1:] for p in POISON], ids=[p[0] for p in POISON])
async def test_a_malformed_message_is_dead_lettered_and_the_next_event_applied(
    embedded_service: Service, body: bytes, reason: str
) -> None:
    assert embedded_service.embedded is not None
    valid = lifecycle("AFTER-POISON")[0]
    client = await nats.connect(embedded_service.embedded.client_url)
    applied: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()

    async def on_state_changed(message: Any) -> None:
        announced = json.loads(message.data)
        if announced["subject"] == "AFTER-POISON" and not applied.done():
            applied.set_result(announced)

    subscription = await client.subscribe("cpd.request.state_changed", cb=on_state_changed)
    try:
        js = client.jetstream()
        await js.publish("cpd.inbound", body)
        await js.publish("cpd.inbound", encode(valid))
        try:
            await asyncio.wait_for(applied, timeout=5)
        except TimeoutError:
            raise AssertionError("the consumer stalled: the next event was never applied") from None
    finally:
        await subscription.unsubscribe()
        await client.close()

    (letter,) = await embedded_service.store.dead_letters()
    assert letter["body"] == body.decode("utf-8", "replace")
    assert reason in letter["reason"]
    found = await embedded_service.store.get_request("AFTER-POISON")
    assert found is not None and found.state == "requested"
