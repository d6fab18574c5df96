"""Every inbound event type through the RabbitMQ subscriber, on FastStream's TestBroker.

Fast handler checks; the same paths run against real brokers in test_external_brokers and
test_nats_broker.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from faststream.rabbit import TestRabbitBroker

from handlers.brokers.rabbit import RabbitAdapter
from handlers.processing import EventProcessor, Waiters
from schemas import REQUEST_DATA, outbound_event
from tests.lifecycle import encode, event, lifecycle, load_directory
from workflow.clock import SystemClock
from workflow.store import Store

# Each inbound type, with the events that bring a request to where that type applies.
WITHDRAWN = event("withdrawn", "R", "T-042", {"reason": "illness"})
HEAD_REJECTED = event("head_rejected", "R", "HEAD-1", {"reason": "budget"})
EXEC_REJECTED = event("executive_rejected", "R", "EXEC-1", {"reason": "not a SIP priority"})
CANCELLED = event("booking_cancelled", "R", "BOOKING-OFFICE", {"reason": "course cancelled"})
NOT_ATTENDED = event("not_attended", "R", "T-042", {"reason": "ill", "cost_incurred_gbp": "0"})
WAIVED = event("dissemination_waived", "R", "HEAD-1", {"reason": "only for her class"})
REVIEWED = event(
    "impact_reviewed",
    "R",
    "HEAD-1",
    {"reviewed_on": "2026-11-20", "impact_rating": 4, "summary": "phonics scores up"},
)


def _path_to(event_type: str) -> list[dict[str, object]]:
    steps = lifecycle("R")
    names = [str(s["type"]) for s in steps]
    if event_type in names:
        return steps[: names.index(event_type) + 1]
    before = {
        "cpd.request.withdrawn": 1,
        "cpd.request.head_rejected": 1,
        "cpd.request.executive_rejected": 2,
        "cpd.request.booking_cancelled": 4,
        "cpd.request.not_attended": 4,
        "cpd.request.dissemination_waived": 1,
        "cpd.request.impact_reviewed": 6,
    }
    last = {
        "cpd.request.withdrawn": WITHDRAWN,
        "cpd.request.head_rejected": HEAD_REJECTED,
        "cpd.request.executive_rejected": EXEC_REJECTED,
        "cpd.request.booking_cancelled": CANCELLED,
        "cpd.request.not_attended": NOT_ATTENDED,
        "cpd.request.dissemination_waived": WAIVED,
        "cpd.request.impact_reviewed": REVIEWED,
    }
    return [*steps[: before[event_type]], last[event_type]]


EXPECTED = {
    "cpd.request.withdrawn": "withdrawn",
    "cpd.request.head_rejected": "rejected",
    "cpd.request.executive_rejected": "rejected",
    "cpd.request.booking_cancelled": "executive_approved",
    "cpd.request.not_attended": "not_attended",
    "cpd.request.dissemination_waived": "requested",
    "cpd.request.impact_reviewed": "evaluated",
}


@pytest.fixture
async def bare_store(tmp_path: Path) -> AsyncIterator[Store]:
    """A store with an empty staff directory."""
    opened = await Store.open(tmp_path / "cpd.sqlite3", SystemClock(), outbound_event)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def store(bare_store: Store) -> Store:
    """A store whose directory holds the lifecycle's people."""
    await load_directory(bare_store)
    return bare_store


@pytest.mark.parametrize("event_type", sorted(REQUEST_DATA))
async def test_each_inbound_type_is_applied_by_the_subscriber(
    store: Store, event_type: str
) -> None:
    adapter = RabbitAdapter("amqp://unused", EventProcessor(store, Waiters()), max_deliver=3)
    async with TestRabbitBroker(adapter.broker) as broker:
        for step in _path_to(event_type):
            await broker.publish(encode(step), queue=adapter.queue)
    history = await store.history("R")
    assert history[-1].event_type == event_type
    found = await store.get_request("R")
    assert found is not None
    assert found.state == EXPECTED.get(event_type, history[-1].to_state)
    assert len(history) == len(_path_to(event_type))


async def test_a_malformed_message_is_recorded_not_dropped(store: Store) -> None:
    adapter = RabbitAdapter("amqp://unused", EventProcessor(store, Waiters()), max_deliver=3)
    async with TestRabbitBroker(adapter.broker) as broker:
        await broker.publish(b"\x00 not json", queue=adapter.queue)
    (letter,) = await store.dead_letters()
    assert "not valid JSON" in letter["reason"]
    (announcement,) = await store.unpublished()
    assert announcement.event_type == "cpd.event.rejected"


async def test_a_directory_event_from_the_broker_is_applied_by_the_same_handler(
    bare_store: Store,
) -> None:
    store = bare_store
    staff = {
        "specversion": "1.0",
        "id": "hr-1",
        "source": "urn:trust:hr",
        "type": "staff.upserted",
        "subject": "T-042",
        "actor": "hr-sync",
        "data": {
            "staff_id": "T-042",
            "name": "Tom Reid",
            "email": "t.reid@walmley.example",
            "school_id": "S-WALMLEY",
            "roles": ["teacher"],
            "contract": "full_time",
            "started_on": "2019-09-01",
        },
    }
    adapter = RabbitAdapter("amqp://unused", EventProcessor(store, Waiters()), max_deliver=3)
    async with TestRabbitBroker(adapter.broker) as broker:
        await broker.publish(encode(staff), queue=adapter.queue)
        await broker.publish(encode(staff), queue=adapter.queue)  # redelivered: no change

    (status,) = await store.event_status("hr-1", "urn:trust:hr")
    assert status.status == "applied"
    versions = await store.on_reader(
        lambda db: db.execute("SELECT COUNT(*) FROM staff_versions").fetchone()[0]
    )
    assert versions == 1
