"""Who acts where: school roles for their schools, trust roles across the trust; holders."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.workflow.builders import open_store
from tests.workflow.directory_builders import applied, left, school, staff
from workflow.clock import FakeClock
from workflow.directory import holders, roles_for_school, schools_acted_for
from workflow.policy import Role
from workflow.store import Store


@pytest.fixture
async def trust(db_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    """North and South in one trust, East on its own, West in another trust."""
    async with open_store(db_path, clock) as store:
        await applied(
            store,
            school("north", "trust-1"),
            school("south", "trust-1"),
            school("east"),
            school("west", "trust-2"),
            staff("exec-head", "north", "head_teacher", extra_school_ids=["south"]),
            staff("head-south", "south", "head_teacher"),
            staff("exec-lead", "north", "executive_lead"),
            staff("lead-east", "east", "executive_lead"),
            staff("office", "south", "booking_office"),
            staff("chair", "north", "chair_of_governors", "governor"),
            staff("trustee", "west", "trustee"),
            staff("teacher", "north", "teacher"),
        )
        yield store


async def acts_for(store: Store, clock: FakeClock, staff_id: str) -> frozenset[str]:
    found: frozenset[str] = await store.on_reader(schools_acted_for, staff_id, clock.now())
    return found


@pytest.mark.parametrize(
    ("staff_id", "schools"),
    [
        ("exec-head", {"north", "south"}),  # head teacher of two schools
        ("head-south", {"south"}),
        ("exec-lead", {"north", "south"}),  # the trust, not East or West
        ("lead-east", {"east"}),  # a school without a trust is a trust of its own
        ("office", {"north", "south"}),
        ("chair", {"north"}),
        ("trustee", {"west"}),
        ("teacher", {"north"}),
        ("nobody", set()),
    ],
)
async def test_each_role_acts_for_its_school_or_its_trust(
    trust: Store, clock: FakeClock, staff_id: str, schools: set[str]
) -> None:
    assert await acts_for(trust, clock, staff_id) == schools


async def test_roles_for_a_school_are_only_those_held_there(trust: Store, clock: FakeClock) -> None:
    now = clock.now()

    assert await trust.on_reader(roles_for_school, "exec-head", "south", now) == {Role.HEAD_TEACHER}
    assert await trust.on_reader(roles_for_school, "teacher", "south", now) == frozenset()
    assert await trust.on_reader(roles_for_school, "exec-lead", "west", now) == frozenset()


async def test_every_head_teacher_of_a_school_is_found_for_a_reminder(
    trust: Store, clock: FakeClock
) -> None:
    found = await trust.on_reader(holders, Role.HEAD_TEACHER, "south", clock.now())

    assert [m.staff_id for m in found] == ["exec-head", "head-south"]


async def test_trust_roles_are_found_for_every_school_of_the_trust(
    trust: Store, clock: FakeClock
) -> None:
    found = await trust.on_reader(holders, Role.BOOKING_OFFICE, "north", clock.now())

    assert [m.staff_id for m in found] == ["office"]
    assert await trust.on_reader(holders, Role.BOOKING_OFFICE, "east", clock.now()) == []


async def test_a_leaver_holds_no_role_once_their_last_day_has_ended(
    trust: Store, clock: FakeClock
) -> None:
    await applied(trust, left("head-south", "2026-09-04"))

    found = await trust.on_reader(holders, Role.HEAD_TEACHER, "south", clock.now())

    assert [m.staff_id for m in found] == ["exec-head"]
    assert await acts_for(trust, clock, "head-south") == frozenset()


async def test_moving_a_school_to_another_trust_moves_its_trust_roles_from_then(
    trust: Store, clock: FakeClock
) -> None:
    before = clock.now()
    clock.advance(timedelta(days=1))
    await applied(trust, school("south", "trust-2"))

    assert await trust.on_reader(schools_acted_for, "exec-lead", before) == {"north", "south"}
    assert await acts_for(trust, clock, "exec-lead") == {"north"}
