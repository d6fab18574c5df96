"""A school's compliance list: each person, each statutory kind their roles require, and
where they stand today (expired, expiring within 90 days, valid, missing)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.directory_seed import Person, seed_store
from tests.workflow.builders import EXECUTIVE, HEAD, OFFICE, STAFF, START
from tests.workflow.directory_builders import left
from tests.workflow.obligation_builders import (
    CPD_LEAD,
    GOVERNOR,
    SUPPORT,
    TEACHER_2,
    applied,
    obligations_store,
    qualification,
)
from tests.workflow.policy_files import head_led, write
from workflow.compliance import Status, StatutoryStanding, compliance_of
from workflow.directory import staff_as_of
from workflow.model import local_today
from workflow.policy import PolicyLibrary, PolicySet, default_policy_set, load_policy_dir
from workflow.store import Store

TODAY = local_today(default_policy_set(), START)  # Wednesday 7 October 2026


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with obligations_store(db_path) as store:
        yield store


async def rows(store: Store, policy: PolicySet | None = None) -> list[StatutoryStanding]:
    policy = policy or default_policy_set()
    found = await store.on_reader(compliance_of, "school-north", policy, START)
    assert found.on == TODAY and found.school_id == "school-north"
    return found.rows


def until(days_from_today: int) -> str:
    return (TODAY + timedelta(days=days_from_today)).isoformat()


@pytest.mark.parametrize(
    ("last_day", "status"),
    [
        (-30, Status.EXPIRED),
        (-1, Status.EXPIRED),
        (0, Status.EXPIRING),  # its last valid day is today
        (1, Status.EXPIRING),
        (90, Status.EXPIRING),
        (91, Status.VALID),
        (400, Status.VALID),
    ],
)
async def test_status_is_judged_by_the_last_valid_day_against_today(
    store: Store, last_day: int, status: Status
) -> None:
    await applied(store, qualification(achieved_on="2025-01-01", valid_until=until(last_day)))
    mine = [r for r in await rows(store) if r.staff_id == STAFF]
    assert mine == [
        StatutoryStanding(
            STAFF, "Staff Ada", "safeguarding", status, date.fromisoformat(until(last_day))
        )
    ]


async def test_every_person_of_the_school_whose_roles_require_it_has_a_row(store: Store) -> None:
    await applied(store, qualification(SUPPORT, valid_until=until(200)))
    found = {r.staff_id: r for r in await rows(store)}
    # The default set asks safeguarding of teachers, support staff, leaders and heads; the
    # governor, the executive lead and the booking office hold no role that requires it.
    assert set(found) == {STAFF, HEAD, CPD_LEAD, TEACHER_2, SUPPORT}
    assert {GOVERNOR, EXECUTIVE, OFFICE}.isdisjoint(found)
    assert found[SUPPORT].status == Status.VALID
    assert (found[STAFF].status, found[STAFF].valid_until) == (Status.MISSING, None)


async def test_only_the_people_of_that_school_are_listed(store: Store) -> None:
    await seed_store(store, ["school-south"], [Person("staff-south", "school-south")])
    assert "staff-south" not in {r.staff_id for r in await rows(store)}


async def test_a_leaver_is_no_longer_listed(store: Store) -> None:
    await applied(store, left(TEACHER_2, "2026-09-30"))
    assert await store.on_reader(staff_as_of, TEACHER_2, START) is not None
    assert TEACHER_2 not in {r.staff_id for r in await rows(store)}


async def test_each_kind_the_school_s_set_requires_is_listed_for_the_roles_it_names(
    store: Store, tmp_path: Path
) -> None:
    extra = """
[statutory.safeguarding]
valid_months = 12
required_for_roles = ["teacher", "support", "leadership", "head_teacher", "governor"]
[statutory.prevent]
valid_months = 24
required_for_roles = ["teacher"]
[statutory.first_aid]
valid_months = 36
required_for_roles = []
"""
    write(tmp_path / "sets", "north.toml", head_led(policy_id="north", extra=extra))
    policy = PolicyLibrary(load_policy_dir(tmp_path / "sets").sets).current("north", TODAY)
    found = {(r.staff_id, r.kind) for r in await rows(store, policy)}
    assert (GOVERNOR, "safeguarding") in found
    assert {(STAFF, "prevent"), (CPD_LEAD, "prevent"), (TEACHER_2, "prevent")} <= found
    assert (SUPPORT, "prevent") not in found
    assert not any(kind == "first_aid" for _, kind in found)  # tracked, required of nobody
    assert [k for s, k in sorted(found) if s == STAFF] == ["prevent", "safeguarding"]
