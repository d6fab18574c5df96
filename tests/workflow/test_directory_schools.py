"""Schools name a loaded policy set, or none (the default); a school's record is versioned."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from tests.workflow.builders import open_store
from tests.workflow.directory_builders import applied, school
from tests.workflow.policy_files import EXAMPLES
from workflow.clock import FakeClock
from workflow.directory import school_as_of
from workflow.policy import PolicyLibrary, load_policy_dir
from workflow.store import EVENT_REJECTED, Store
from workflow.store import _reads as inbox


async def test_a_school_without_a_policy_set_is_stored_and_follows_the_default(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, school("north", "trust-1"))

    found = await store.on_reader(school_as_of, "north", clock.now())

    assert found is not None
    assert (found.name, found.trust_id, found.policy_id) == ("North", "trust-1", None)


async def test_a_school_naming_a_policy_set_that_is_not_loaded_is_refused_with_a_reason(
    store: Store, clock: FakeClock
) -> None:
    upsert = school("north", policy_id="head-led-school")

    outcome = await store.apply(upsert)

    assert (outcome.status.status, outcome.status.code) == ("rejected", "unknown_policy_set")
    assert "'head-led-school' is not loaded" in (outcome.status.reason or "")
    status = await store.on_reader(inbox.status_sync, upsert.source, upsert.id)
    assert status is not None and status.status == "rejected"
    announced = [json.loads(m.body) for m in await store.unpublished()]
    assert [m["type"] for m in announced] == [EVENT_REJECTED]
    assert await store.on_reader(school_as_of, "north", clock.now()) is None


async def test_a_school_naming_a_set_of_the_injected_library_is_accepted(
    db_path: Path, clock: FakeClock
) -> None:
    library = PolicyLibrary(load_policy_dir(EXAMPLES).sets)
    async with open_store(db_path, clock) as store:
        store.directory.policy_ids = lambda: {s.id for s in library}
        await applied(store, school("north", policy_id="elston-hall-trust"))

        found = await store.on_reader(school_as_of, "north", clock.now())

    assert found is not None and found.policy_id == "elston-hall-trust"


async def test_a_later_upsert_of_a_school_keeps_the_earlier_version(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, school("north", "trust-1"))
    before = clock.now()
    clock.advance(timedelta(days=1))
    await applied(store, school("north", None, name="North Academy"))

    then = await store.on_reader(school_as_of, "north", before)
    now = await store.on_reader(school_as_of, "north", clock.now())

    assert then is not None and now is not None
    assert (then.name, then.trust_id) == ("North", "trust-1")
    assert (now.name, now.trust_id) == ("North Academy", None)


async def test_a_school_names_its_nation_and_a_term_dates_file_the_service_has_read(
    store: Store, clock: FakeClock
) -> None:
    store.directory.term_dates = lambda: {"north.json"}
    await applied(store, school("north", nation="wales", term_dates="north.json"))

    found = await store.on_reader(school_as_of, "north", clock.now())

    assert found is not None and (found.nation, found.term_dates) == ("wales", "north.json")


async def test_a_school_record_kept_before_nations_reads_back_with_neither(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, school("north"))
    old = json.dumps({"school_id": "north", "name": "North", "policy_id": None, "trust_id": None})
    await store.transaction(
        lambda db: db.execute(
            "UPDATE school_versions SET record = ? WHERE school_id = ?", (old, "north")
        )
    )

    found = await store.on_reader(school_as_of, "north", clock.now())

    assert found is not None and (found.nation, found.term_dates) == (None, None)


async def test_a_term_dates_path_is_refused_naming_the_rule(store: Store) -> None:
    store.directory.term_dates = lambda: {"north.json"}

    outcome = await store.apply(school("north", term_dates="../north.json"))

    assert (outcome.status.status, outcome.status.code) == ("rejected", "unknown_term_dates")
    assert "rule term_dates.file_name" in (outcome.status.reason or "")
