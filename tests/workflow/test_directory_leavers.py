"""A leaver's open requests are withdrawn by the service, with the reason, when they leave."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from scheduler.follow_ups import FollowUps
from tests.scheduler.helpers import follow_ups_on
from tests.workflow.builders import STAFF, event, submitted
from tests.workflow.directory_builders import TERM_START, applied, left, staff
from workflow.clock import FakeClock
from workflow.store import STATE_CHANGED, Store

TO_BOOKED = ["cpd.request.head_approved", "cpd.request.executive_approved", "cpd.request.booked"]


@pytest.fixture
async def follow_ups(db_path: Path, clock: FakeClock) -> AsyncIterator[FollowUps]:
    async with follow_ups_on(db_path, clock) as planned:
        yield planned


async def request_in(store: Store, request_id: str, steps: list[str], **data: Any) -> None:
    await applied(store, submitted(request_id, **data))
    for event_type in steps:
        await applied(store, event(event_type, request_id))


async def states(store: Store, *request_ids: str) -> dict[str, str]:
    found = {r: await store.get_request(r) for r in request_ids}
    return {r: request.state for r, request in found.items() if request is not None}


async def test_a_past_last_day_withdraws_open_requests_at_once_except_booked_and_started(
    follow_ups: FollowUps,
) -> None:
    store = follow_ups.store
    await applied(store, staff(STAFF))
    await request_in(store, "req-asked", [])
    await request_in(store, "req-approved", TO_BOOKED[:2])
    await request_in(store, "req-booked-later", TO_BOOKED)
    await request_in(store, "req-started", TO_BOOKED, start_date="2026-09-07")
    await request_in(store, "req-done", TO_BOOKED, start_date="2026-09-01", end_date="2026-09-02")
    await applied(store, event("cpd.request.completed", "req-done", completed_on="2026-09-02"))

    await applied(store, left(STAFF, "2026-09-04", "retirement"))

    assert await states(
        store, "req-asked", "req-approved", "req-booked-later", "req-started", "req-done"
    ) == {
        "req-asked": "withdrawn",
        "req-approved": "withdrawn",
        "req-booked-later": "withdrawn",
        "req-started": "booked",
        "req-done": "completed",
    }


async def test_the_withdrawal_is_in_history_by_the_service_with_the_reason(
    follow_ups: FollowUps,
) -> None:
    store = follow_ups.store
    await applied(store, staff(STAFF))
    await request_in(store, "req-1", [])
    departure = left(STAFF, "2026-09-04", "end_of_contract")

    await applied(store, departure)

    last = (await store.history("req-1"))[-1]
    assert (last.event_type, last.actor, last.from_state, last.to_state) == (
        "cpd.request.withdrawn",
        "cpd-workflow",
        "requested",
        "withdrawn",
    )
    assert "last working day 2026-09-04" in last.data["reason"]
    assert "end of contract" in last.data["reason"]
    assert last.data["cause"] == {"source": departure.source, "id": departure.id}


async def test_each_withdrawal_announces_its_own_state_change_and_cancels_follow_ups(
    follow_ups: FollowUps,
) -> None:
    store = follow_ups.store
    await applied(store, staff(STAFF))
    await request_in(store, "req-1", [])
    await request_in(store, "req-2", [])

    await applied(store, left(STAFF, "2026-09-04"))

    changes = [json.loads(m.body) for m in await store.unpublished()]
    changed = [c["data"] for c in changes if c["type"] == STATE_CHANGED]
    withdrawals = [c for c in changed if c["to_state"] == "withdrawn"]
    assert sorted(w["request_id"] for w in withdrawals) == ["req-1", "req-2"]
    assert {w["actor"] for w in withdrawals} == {"cpd-workflow"}
    pending = [f for f in await follow_ups.for_request("req-1") if f.status == "pending"]
    assert pending == []


async def test_a_future_last_day_withdraws_nothing_until_it_ends(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    store = follow_ups.store
    await applied(store, staff(STAFF))
    await request_in(store, "req-1", [])

    await applied(store, left(STAFF, "2026-09-30"))
    clock.set(datetime(2026, 9, 30, 22, 59, tzinfo=UTC))  # 23:59 on the last day, London
    await follow_ups.fire_due()

    assert await states(store, "req-1") == {"req-1": "requested"}


async def test_the_waker_withdraws_when_the_future_last_day_ends_including_later_requests(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    store = follow_ups.store
    await applied(store, staff(STAFF))
    await request_in(store, "req-1", [])
    await applied(store, left(STAFF, "2026-09-30"))
    clock.advance(timedelta(days=1))
    await request_in(store, "req-meanwhile", [])

    end_of_last_day = datetime(2026, 9, 30, 23, 0, tzinfo=UTC)  # midnight BST
    assert await follow_ups.next_due() == min(end_of_last_day, await _first_follow_up(follow_ups))
    clock.set(end_of_last_day)
    await follow_ups.fire_due()

    assert await states(store, "req-1", "req-meanwhile") == {
        "req-1": "withdrawn",
        "req-meanwhile": "withdrawn",
    }


async def test_a_departure_is_carried_out_once_however_often_the_waker_looks(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    store = follow_ups.store
    await applied(store, staff(STAFF))
    await request_in(store, "req-1", [])
    await applied(store, left(STAFF, "2026-09-30"))
    clock.set(datetime(2026, 10, 1, 8, 0, tzinfo=UTC))

    await follow_ups.fire_due()
    await follow_ups.fire_due()

    withdrawals = [h for h in await store.history("req-1") if h.to_state == "withdrawn"]
    assert len(withdrawals) == 1


async def test_a_corrected_last_day_replaces_the_one_announced_before(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    store = follow_ups.store
    await applied(store, staff(STAFF))
    await request_in(store, "req-1", [])
    await applied(store, left(STAFF, "2026-09-10"), left(STAFF, "2026-12-18"))

    clock.set(datetime(2026, 9, 20, 8, 0, tzinfo=UTC))
    await follow_ups.fire_due()

    assert await states(store, "req-1") == {"req-1": "requested"}


async def _first_follow_up(follow_ups: FollowUps) -> datetime:
    due = await follow_ups.due(before=TERM_START + timedelta(days=400))
    return datetime.fromisoformat(due[0].due_at)


@pytest.fixture
def clock() -> FakeClock:
    """The directory's dates are written for the first week of the 2026 autumn term."""
    return FakeClock(TERM_START)
