"""Staff records are versioned: a later upsert replaces the current one, earlier ones stay."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.workflow.directory_builders import HR, TERM_START, applied, left, staff
from workflow.clock import FakeClock
from workflow.directory import roles_at, staff_as_of
from workflow.directory import store as rows
from workflow.policy import Role
from workflow.store import Store


async def test_an_upserted_member_of_staff_is_in_the_directory_from_then(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, staff("t-ada", "school-north", "teacher", is_ect=True))

    member = await store.on_reader(staff_as_of, "t-ada", clock.now())

    assert member is not None
    assert (member.school_id, member.roles, member.is_ect) == (
        "school-north",
        frozenset({Role.TEACHER}),
        True,
    )
    assert await store.on_reader(staff_as_of, "t-ada", TERM_START - timedelta(seconds=1)) is None


async def test_a_later_upsert_replaces_the_record_and_keeps_the_earlier_version(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, staff("t-ada", "school-north", "teacher"))
    before = clock.now()
    clock.advance(timedelta(days=30))
    await applied(store, staff("t-ada", "school-north", "teacher", "head_teacher"))

    then = await store.on_reader(staff_as_of, "t-ada", before)
    now = await store.on_reader(staff_as_of, "t-ada", clock.now())
    versions = await store.on_reader(rows.staff_versions, "t-ada")

    assert then is not None and now is not None
    assert then.roles == {Role.TEACHER}
    assert now.roles == {Role.TEACHER, Role.HEAD_TEACHER}
    assert [v.valid_from for v in versions] == [before, clock.now()]


async def test_each_version_keeps_the_hr_event_it_came_from(store: Store) -> None:
    upsert = staff("t-ada")
    await applied(store, upsert)

    row = await store.on_reader(
        lambda db: db.execute(
            "SELECT event_source, event_id, actor, record FROM staff_versions"
            " WHERE staff_id = 't-ada'"
        ).fetchone()
    )

    assert row[:3] == (HR, upsert.id, "hr-sync")
    assert json.loads(row[3])["email"] == "t-ada@trust.example"


async def test_the_same_upsert_posted_twice_makes_one_version(store: Store) -> None:
    upsert = staff("t-ada")
    await applied(store, upsert)

    again = await store.apply(upsert)

    assert again.duplicate
    assert len(await store.on_reader(rows.staff_versions, "t-ada")) == 1


async def test_a_leaver_may_act_until_their_last_working_day_ends_in_london(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, staff("t-ada", "school-north", "cpd_lead"), left("t-ada", "2026-09-30"))
    last_minute = TERM_START.replace(month=9, day=30, hour=22, minute=59)  # 23:59 BST
    next_day = TERM_START.replace(month=9, day=30, hour=23, minute=0)  # 00:00 BST on 1 October

    assert await store.on_reader(roles_at, "t-ada", last_minute) == {Role.CPD_LEAD}
    assert await store.on_reader(roles_at, "t-ada", next_day) == frozenset()
    record = await store.on_reader(staff_as_of, "t-ada", next_day)
    assert record is not None and str(record.left_on) == "2026-09-30"


async def test_an_hr_export_re_sent_after_someone_left_does_not_bring_them_back(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, staff("t-ada"), left("t-ada", "2026-09-04"))
    clock.advance(timedelta(days=1))
    await applied(store, staff("t-ada"))

    member = await store.on_reader(staff_as_of, "t-ada", clock.now())

    assert member is not None and str(member.left_on) == "2026-09-04"


async def test_someone_rehired_with_a_later_start_date_can_act_again(
    store: Store, clock: FakeClock
) -> None:
    await applied(store, staff("t-ada"), left("t-ada", "2026-09-04"))
    clock.advance(timedelta(days=1))
    await applied(store, staff("t-ada", started_on="2026-09-08"))

    assert await store.on_reader(roles_at, "t-ada", clock.now()) == {Role.TEACHER}


async def test_a_leaving_date_for_someone_unknown_is_refused(store: Store) -> None:
    outcome = await store.apply(left("nobody", "2026-09-30"))

    assert (outcome.status.status, outcome.status.code) == ("rejected", "unknown_staff")
    assert "nobody" in (outcome.status.reason or "")


async def test_an_upsert_whose_subject_is_not_its_staff_id_is_refused(store: Store) -> None:
    upsert = staff("t-ada").model_copy(update={"subject": "t-bob"})

    outcome = await store.apply(upsert)

    assert (outcome.status.status, outcome.status.code) == ("rejected", "subject_mismatch")


@pytest.fixture
def clock() -> FakeClock:
    """The directory's dates are written for the first week of the 2026 autumn term."""
    return FakeClock(TERM_START)
