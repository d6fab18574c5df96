"""The store's part in who is calling: the client recorded beside the actor, key rows, and
the directory found by e-mail (a signed-in person) and by line manager (what they read)."""

from __future__ import annotations

from datetime import timedelta

from schemas import CloudEvent, parse_inbound
from tests.workflow.builders import START, event, submitted
from tests.workflow.directory_builders import applied, left, staff
from workflow.clock import FakeClock
from workflow.directory import direct_reports, person_by_email
from workflow.store import Store, api_keys


def with_client(cloud_event: CloudEvent, client: str) -> CloudEvent:
    """As a broker delivers an event that carries its client."""
    return parse_inbound({**cloud_event.model_dump(mode="json"), "cpdclient": client})


async def test_history_records_the_client_beside_the_actor(store: Store) -> None:
    await store.apply(with_client(submitted("req-c"), "staff-portal"))
    await store.apply(with_client(event("cpd.request.executive_approved", "req-c"), "exec-app"))

    entries = await store.history("req-c")

    assert [(e.actor, e.client, e.outcome) for e in entries] == [
        ("staff-ada", "staff-portal", "applied"),
        ("exec-alan", "exec-app", "refused"),  # a refused attempt names its client too
    ]


async def test_an_event_without_a_client_records_none(store: Store) -> None:
    await store.apply(submitted("req-d"))

    assert [e.client for e in await store.history("req-d")] == [None]


async def test_key_rows_say_whether_any_key_was_ever_made(store: Store, clock: FakeClock) -> None:
    assert await store.on_reader(api_keys.lookup, "no-such-hash") == (False, None)

    await store.transaction(
        lambda db: api_keys.create(db, "hr-feed", "hash-1", ["post:staff.*"], None, START)
    )
    await store.transaction(lambda db: api_keys.revoke(db, "hr-feed", START))

    made, found = await store.on_reader(api_keys.lookup, "hash-1")
    assert made and found is not None and found.name == "hr-feed"
    assert found.revoked_at == START.isoformat()
    assert await store.on_reader(api_keys.lookup, "other") == (True, None)


async def test_a_person_is_found_by_email_ignoring_case_until_they_leave(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, staff("ruth-k", "school-north", email="Ruth.K@Trust.Example"))

    found = await store.on_reader(person_by_email, "ruth.k@trust.example", clock.now())
    assert found is not None and found.staff_id == "ruth-k"

    await applied(store, left("ruth-k", (START - timedelta(days=1)).date().isoformat()))
    assert await store.on_reader(person_by_email, "ruth.k@trust.example", clock.now()) is None


async def test_an_email_a_record_no_longer_has_finds_nobody(store: Store, clock: FakeClock) -> None:
    await applied(store, staff("sam-p", email="sam@trust.example"))
    clock.advance(timedelta(minutes=1))
    await applied(store, staff("sam-p", email="samuel@trust.example"))

    assert await store.on_reader(person_by_email, "sam@trust.example", clock.now()) is None


async def test_direct_reports_are_those_whose_current_record_names_the_manager(
    store: Store, clock: FakeClock
) -> None:
    await applied(
        store,
        staff("rep-1", line_manager_id="boss-1"),
        staff("rep-2", line_manager_id="boss-1"),
        staff("rep-3", line_manager_id="boss-2"),
    )
    clock.advance(timedelta(minutes=1))
    await applied(store, staff("rep-2", line_manager_id="boss-2"))  # moved to another manager

    assert await store.on_reader(direct_reports, "boss-1", clock.now()) == {"rep-1"}
    assert await store.on_reader(direct_reports, "boss-2", clock.now()) == {"rep-2", "rep-3"}
