"""A form link is used up in the transaction of the event it sent, and only if it applies."""

from __future__ import annotations

from schemas import CloudEvent, parse_inbound
from tests.workflow.builders import HEAD, STAFF, START, event, submitted
from workflow.clock import FakeClock
from workflow.store import Store
from workflow.store.used_links import in_flight, used

FORMS = "cpd-workflow/forms"


def from_link(sent: CloudEvent, nonce: str) -> CloudEvent:
    """The same event as a form sends it: the link's nonce in the `cpdlink` extension."""
    return parse_inbound({**sent.model_dump(mode="json"), "cpdlink": nonce})


async def test_an_applied_event_from_a_link_uses_the_link_up(
    store: Store, clock: FakeClock
) -> None:
    await store.apply(submitted())
    outcome = await store.apply(from_link(event("cpd.request.head_approved"), "n0nce-1"))
    assert outcome.status.status == "applied"

    row = await store.on_reader(used, "n0nce-1")

    assert row is not None
    assert (row.request_id, row.event_type, row.staff_id) == (
        "req-1",
        "cpd.request.head_approved",
        HEAD,
    )
    assert row.used_at == clock.now().isoformat() == START.isoformat()


async def test_a_refused_event_leaves_its_link_usable(store: Store) -> None:
    await store.apply(submitted())
    own_approval = from_link(event("cpd.request.head_approved", actor=STAFF), "n0nce-2")

    outcome = await store.apply(own_approval)

    assert outcome.status.status == "rejected"
    assert await store.on_reader(used, "n0nce-2") is None


async def test_an_event_from_anywhere_else_uses_no_link(store: Store) -> None:
    await store.apply(submitted())
    await store.apply(event("cpd.request.head_approved"))

    count = await store.on_reader(
        lambda db: db.execute("SELECT count(*) FROM used_links").fetchone()[0]
    )
    assert count == 0


async def test_an_event_still_queued_from_a_link_is_in_flight_until_it_is_applied(
    store: Store,
) -> None:
    await store.apply(submitted())
    sent = parse_inbound(
        {
            **event("cpd.request.head_approved").model_dump(mode="json"),
            "id": "n0nce-3.first-try",
            "source": FORMS,
            "cpdlink": "n0nce-3",
        }
    )
    await store.record_queued(sent.source, sent.id, sent.type, sent.subject)
    assert await store.on_writer(in_flight, FORMS, "n0nce-3")
    assert not await store.on_writer(in_flight, FORMS, "n0nce-4")

    await store.apply(sent)

    assert not await store.on_writer(in_flight, FORMS, "n0nce-3")
    assert await store.on_reader(used, "n0nce-3") is not None
