"""The waker: fires whatever the follow_ups table says is due, on waking and on start."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler.follow_ups import FollowUps
from scheduler.waker import Waker
from tests.scheduler.helpers import (
    follow_ups_on,
    local,
    london,
    outbox_refuses_reminders,
    reminders_recorded,
    submit,
    with_status,
)
from workflow.clock import FakeClock

# APScheduler's alarms run on the real clock. Keeping the fake one years ahead of it means
# no alarm goes off by itself mid-test: only the wake-ups a test asks for happen.
MONDAY = london(2040, 1, 9)
THURSDAY = london(2040, 1, 12)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
async def follow_ups(db_path: Path, clock: FakeClock) -> AsyncIterator[FollowUps]:
    async with follow_ups_on(db_path, clock) as follow_ups:
        yield follow_ups


async def test_waking_fires_everything_due_and_says_how_many(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await submit(follow_ups, "req-1")
    await submit(follow_ups, "req-2")
    clock.set(THURSDAY)
    waker = Waker(follow_ups)

    assert await waker.wake() == 2
    assert await waker.wake() == 0
    assert waker.fired == 2
    assert [len(await reminders_recorded(follow_ups, r)) for r in ("req-1", "req-2")] == [1, 1]


async def test_waking_with_nothing_due_fires_nothing(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    waker = Waker(follow_ups)
    assert await waker.wake() == 0
    assert await follow_ups.next_due() is None
    await submit(follow_ups)
    clock.set(THURSDAY - timedelta(minutes=1))
    assert await waker.wake() == 0
    assert await follow_ups.next_due() == THURSDAY


async def test_after_waking_the_next_due_time_is_the_earliest_still_pending(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await submit(follow_ups, "early")  # due Thursday 09:00
    clock.set(london(2040, 1, 9, 11))
    await submit(follow_ups, "late")  # due Thursday 11:00
    waker = Waker(follow_ups)

    clock.set(london(2040, 1, 12, 9, 30))
    assert await waker.wake() == 1
    assert await follow_ups.next_due() == london(2040, 1, 12, 11)

    clock.set(london(2040, 1, 12, 11))
    assert await waker.wake() == 1
    assert await follow_ups.next_due() == london(2040, 1, 17, 9, 30)  # early's repeat


async def test_starting_catches_up_on_what_fell_due_while_stopped(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await submit(follow_ups)
    clock.set(london(2040, 2, 13))  # five weeks on
    waker = Waker(follow_ups)
    await waker.start()
    try:
        assert waker.fired == 1
        [fired] = await with_status(follow_ups, "fired")
        assert fired.late_by_seconds == timedelta(days=32).total_seconds()
        [entry] = await reminders_recorded(follow_ups)
        assert entry.event_id == fired.id
        [repeat] = await with_status(follow_ups, "pending")
        assert local(repeat.due_at) == london(2040, 2, 16)  # counted from now: no burst
        assert await follow_ups.next_due() == london(2040, 2, 16)
    finally:
        await waker.stop()


async def test_a_wake_that_fails_leaves_the_follow_up_for_the_next_one(
    follow_ups: FollowUps, clock: FakeClock, db_path: Path
) -> None:
    await submit(follow_ups)
    clock.set(THURSDAY)
    waker = Waker(follow_ups)
    with outbox_refuses_reminders(db_path):
        assert await waker.wake() == 0
    assert [f.status for f in await follow_ups.for_request("req-1")] == ["pending"]

    assert await waker.wake() == 1
    assert len(await reminders_recorded(follow_ups)) == 1
