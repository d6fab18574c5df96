"""Delegations: in force from `from` to `until` inclusive (school dates), until revoked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.workflow.directory_builders import TERM_START, applied, delegated, revoked, staff
from workflow.clock import FakeClock
from workflow.directory import active_delegations
from workflow.store import Store


async def delegates(store: Store, step: str, at: datetime) -> list[tuple[str, str]]:
    found = await store.on_reader(active_delegations, step, at)
    return [(d.from_staff_id, d.to_staff_id) for d in found]


async def test_a_delegation_is_in_force_on_every_school_day_of_its_window_and_no_other(
    store: Store,
) -> None:
    await applied(store, staff("head"), staff("deputy"))
    await applied(store, delegated("head", "deputy", "head", "2026-09-10", "2026-09-12"))

    # London is on BST (UTC+1): 23:30 UTC on the 9th is already the 10th at school.
    assert await delegates(store, "head", datetime(2026, 9, 9, 22, 59, tzinfo=UTC)) == []
    assert await delegates(store, "head", datetime(2026, 9, 9, 23, 30, tzinfo=UTC)) == [
        ("head", "deputy")
    ]
    assert await delegates(store, "head", datetime(2026, 9, 12, 22, 59, tzinfo=UTC)) == [
        ("head", "deputy")
    ]
    assert await delegates(store, "head", datetime(2026, 9, 12, 23, 0, tzinfo=UTC)) == []
    assert await delegates(store, "executive", datetime(2026, 9, 11, 9, tzinfo=UTC)) == []


async def test_a_revoked_delegation_ends_when_it_is_revoked(store: Store, clock: FakeClock) -> None:
    await applied(store, staff("head"), staff("deputy"))
    await applied(store, delegated("head", "deputy", "head", "2026-09-07", "2026-09-30"))
    before = clock.now()
    clock.advance(timedelta(days=2))
    await applied(store, revoked("head", "deputy"))

    assert await delegates(store, "head", before) == [("head", "deputy")]
    assert await delegates(store, "head", clock.now()) == []


async def test_revoking_a_delegation_that_does_not_exist_is_refused(store: Store) -> None:
    await applied(store, staff("head"), staff("deputy"))

    outcome = await store.apply(revoked("head", "deputy", "executive"))

    assert outcome.status.status == "rejected"
    assert "no delegation of the executive step to deputy" in (outcome.status.reason or "")


async def test_a_delegation_must_be_posted_about_its_delegator(store: Store) -> None:
    await applied(store, staff("head"), staff("deputy"))

    outcome = await store.apply(
        delegated("head", "deputy", "head", "2026-09-07", "2026-09-08", subject="deputy")
    )

    assert (outcome.status.status, outcome.status.code) == ("rejected", "subject_mismatch")


async def test_a_delegation_to_someone_unknown_is_refused(store: Store) -> None:
    await applied(store, staff("head"))

    outcome = await store.apply(delegated("head", "ghost", "head", "2026-09-07", "2026-09-08"))

    assert (outcome.status.status, outcome.status.code) == ("rejected", "unknown_staff")


@pytest.fixture
def clock() -> FakeClock:
    """The directory's dates are written for the first week of the 2026 autumn term."""
    return FakeClock(TERM_START)
