"""Follow-ups as rows: planned with each state change, fired once, cancelled on moving on."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from scheduler.follow_ups import REMINDER_DUE, FollowUps
from tests.scheduler.helpers import (
    MONDAY_4_JAN,
    NEXT_STEP,
    PAST_COURSE,
    follow_ups_on,
    local,
    london,
    move,
    outbox_refuses_reminders,
    reminders_recorded,
    reminders_sent,
    submit,
    walk_to,
    with_status,
)
from tests.workflow.builders import STAFF, event, submitted
from workflow.clock import FakeClock

APPROVAL, HEAD = "approval_pending", "head_teacher"
RECIPIENT = {"recipient_staff_id", "recipient_role", "recipients"}
REMINDER_FIELDS = {"request_id", "kind", "due_at", "attempt", "late_by_seconds", *RECIPIENT}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_4_JAN)


@pytest.fixture
async def follow_ups(db_path: Path, clock: FakeClock) -> AsyncIterator[FollowUps]:
    async with follow_ups_on(db_path, clock) as follow_ups:
        yield follow_ups


async def test_submitting_a_request_schedules_one_approval_chase(follow_ups: FollowUps) -> None:
    await submit(follow_ups)
    [row] = await follow_ups.for_request("req-1")
    assert (row.kind, row.recipient_role, row.recipient_staff_id) == (APPROVAL, HEAD, None)
    assert (row.attempt, row.status, row.school_id) == (1, "pending", "school-north")
    assert (local(row.due_at), local(row.created_at)) == (london(2027, 1, 7), MONDAY_4_JAN)


async def test_a_due_follow_up_fires_once_into_history_and_outbox(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await submit(follow_ups)
    [chase] = await follow_ups.for_request("req-1")
    clock.set(london(2027, 1, 7, 8, 59))
    assert await follow_ups.fire_due() == 0  # not yet
    clock.set(london(2027, 1, 7, 9, 30))

    assert await follow_ups.fire_due() == 1
    assert await follow_ups.fire_due() == 0

    [entry] = await reminders_recorded(follow_ups)
    assert (entry.event_id, entry.event_source) == (chase.id, "cpd-workflow/scheduler")
    assert entry.from_state == entry.to_state == "requested"
    request = await follow_ups.store.get_request("req-1")
    assert request is not None and (request.state, request.version) == ("requested", 1)
    [sent] = await reminders_sent(follow_ups)
    assert (sent["id"], sent["type"], sent["subject"]) == (chase.id, REMINDER_DUE, "req-1")
    assert set(sent["data"]) == REMINDER_FIELDS and sent["data"] == entry.data
    assert sent["data"]["late_by_seconds"] == 1800 and sent["data"]["attempt"] == 1
    assert local(sent["data"]["due_at"]) == london(2027, 1, 7)
    [fired] = await with_status(follow_ups, "fired")
    assert (fired.id, fired.late_by_seconds) == (chase.id, 1800)
    assert local(fired.fired_at) == london(2027, 1, 7, 9, 30)
    [repeat] = await with_status(follow_ups, "pending")
    assert (repeat.attempt, local(repeat.due_at)) == (2, london(2027, 1, 12, 9, 30))


CANCELLING_MOVES = [
    ("requested", "cpd.request.head_approved", "head_approved"),
    ("requested", "cpd.request.head_rejected", "rejected"),
    ("requested", "cpd.request.withdrawn", "withdrawn"),
    ("head_approved", "cpd.request.executive_approved", "executive_approved"),
    ("head_approved", "cpd.request.executive_rejected", "rejected"),
    ("head_approved", "cpd.request.withdrawn", "withdrawn"),
    ("booked", "cpd.request.completed", "completed"),
    ("booked", "cpd.request.booking_cancelled", "executive_approved"),
    ("booked", "cpd.request.withdrawn", "withdrawn"),
    ("completed", "cpd.request.evaluated", "evaluated"),
    ("evaluated", "cpd.request.disseminated", "disseminated"),
]


@pytest.mark.parametrize(("state", "event_type", "to_state"), CANCELLING_MOVES)
async def test_moving_on_cancels_what_was_pending_and_it_never_fires(
    follow_ups: FollowUps, clock: FakeClock, state: str, event_type: str, to_state: str
) -> None:
    # Completing needs the course to have started; withdrawing, that it has not.
    attended = state in ("completed", "evaluated") or event_type == "cpd.request.completed"
    await walk_to(follow_ups, state, **(PAST_COURSE if attended else {}))
    waiting = await with_status(follow_ups, "pending")
    assert waiting, f"entering {state} should schedule something"
    clock.advance(timedelta(hours=1))
    await move(follow_ups, event_type)

    ids = {w.id for w in waiting}
    moved_at = datetime.fromisoformat((await follow_ups.store.history("req-1"))[-1].at)
    after = [f for f in await follow_ups.for_request("req-1") if f.id in ids]
    assert {(f.status, f.cancel_reason, local(f.cancelled_at)) for f in after} == {
        ("cancelled", f"request moved to {to_state}", moved_at)  # in the same transaction
    }

    clock.advance(timedelta(weeks=30))
    await follow_ups.fire_due()
    assert ids.isdisjoint(m["id"] for m in await reminders_sent(follow_ups))
    assert {f.status for f in await follow_ups.for_request("req-1") if f.id in ids} == {"cancelled"}


async def test_the_third_approval_reminder_also_goes_to_the_cpd_lead(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await submit(follow_ups)
    for day in (7, 12, 15):  # each reminder fires when due, three school days apart
        clock.set(london(2027, 1, day))
        await follow_ups.fire_due()
    sent = [
        (m["data"]["attempt"], m["data"]["recipient_role"])
        for m in await reminders_sent(follow_ups)
    ]
    assert sorted(sent) == [(1, HEAD), (2, HEAD), (3, "cpd_lead"), (3, HEAD)]
    waiting = await with_status(follow_ups, "pending")  # and so on, both of them, each time
    assert sorted((f.attempt, f.recipient_role) for f in waiting) == [(4, "cpd_lead"), (4, HEAD)]


async def test_an_approved_request_chases_the_booking_office_until_it_is_booked(
    follow_ups: FollowUps,
) -> None:
    await walk_to(follow_ups, "executive_approved")
    (waiting,) = await with_status(follow_ups, "pending")
    assert (waiting.kind, waiting.recipient_role) == ("booking_pending", "booking_office")
    await move(follow_ups, NEXT_STEP["executive_approved"])
    kinds = [f.kind for f in await with_status(follow_ups, "pending")]
    assert kinds == ["course_upcoming", "attendance_unconfirmed"]


async def test_an_event_the_workflow_refuses_cancels_nothing(follow_ups: FollowUps) -> None:
    await submit(follow_ups)
    outcome = await follow_ups.store.apply(event("cpd.request.booked", "req-1"))
    assert outcome.status.status == "rejected"
    assert [f.status for f in await follow_ups.for_request("req-1")] == ["pending"]


async def test_catch_up_after_a_restart_fires_each_missed_one_once_and_late(
    db_path: Path, clock: FakeClock
) -> None:
    async with follow_ups_on(db_path, clock) as before:
        await submit(before, "waiting")  # approval due Thursday 7 January
        await walk_to(before, "completed", "done", **PAST_COURSE)  # evaluation due 5 January
    clock.set(london(2027, 2, 8))  # the service was stopped for five weeks

    async with follow_ups_on(db_path, clock) as after:
        assert await after.fire_due() == 2
        assert await after.fire_due() == 0
        sent = {m["subject"]: m["data"] for m in await reminders_sent(after)}
        assert sent["waiting"]["late_by_seconds"] == timedelta(days=32).total_seconds()
        assert sent["done"]["late_by_seconds"] == timedelta(days=34).total_seconds()
        next_ones = await after.due(before=london(2027, 12, 31))
        assert sorted((f.request_id, f.attempt, local(f.due_at)) for f in next_ones) == [
            ("done", 2, london(2027, 2, 22)),  # a week on is half term: the Monday after
            ("waiting", 2, london(2027, 2, 11)),  # three school days from now
        ]


async def test_a_crash_before_recording_leaves_it_pending_and_it_fires_once_later(
    follow_ups: FollowUps, clock: FakeClock, db_path: Path
) -> None:
    await submit(follow_ups)
    clock.set(london(2027, 1, 8))
    with outbox_refuses_reminders(db_path), pytest.raises(sqlite3.DatabaseError, match="crash"):
        await follow_ups.fire_due()

    [row] = await follow_ups.for_request("req-1")
    assert (row.status, row.fired_at, row.late_by_seconds) == ("pending", None, None)
    assert await reminders_recorded(follow_ups) == []
    assert await reminders_sent(follow_ups) == []

    assert await follow_ups.fire_due() == 1
    assert await follow_ups.fire_due() == 0
    assert [m["id"] for m in await reminders_sent(follow_ups)] == [row.id]
    assert [h.event_id for h in await reminders_recorded(follow_ups)] == [row.id]


async def test_a_redelivered_submission_schedules_nothing_more(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    submission = submitted("req-1", start_date="2027-02-01", end_date="2027-02-05")
    await follow_ups.store.apply(submission)
    clock.set(london(2027, 1, 7))
    await follow_ups.fire_due()
    again = await follow_ups.store.apply(submission)
    assert again.duplicate
    rows = await follow_ups.for_request("req-1")
    assert sorted((r.attempt, r.status) for r in rows) == [(1, "fired"), (2, "pending")]


async def test_two_wake_ups_at_once_fire_a_due_follow_up_once(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await submit(follow_ups)
    clock.set(london(2027, 1, 7))
    assert sorted(await asyncio.gather(follow_ups.fire_due(), follow_ups.fire_due())) == [0, 1]
    assert len(await reminders_sent(follow_ups)) == 1
    assert len(await reminders_recorded(follow_ups)) == 1


async def test_a_whole_request_is_reminded_at_every_step_it_lingers(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    async def at(moment: datetime, step: str | None = None) -> int:
        clock.set(moment)
        if step:
            await move(follow_ups, step)
        return await follow_ups.fire_due()

    await submit(follow_ups, line_manager_id="staff-lm")
    assert await at(london(2027, 1, 5), "cpd.request.head_approved") == 0
    assert await at(london(2027, 1, 6), "cpd.request.executive_approved") == 0
    assert await at(london(2027, 1, 7), "cpd.request.booked") == 0
    assert await at(london(2027, 1, 29, 8)) == 1  # the Friday before the Monday course
    assert await at(london(2027, 2, 8, 8)) == 1  # still booked the Monday after it ended
    assert await at(london(2027, 2, 8, 10), "cpd.request.completed") == 0
    assert await at(london(2027, 2, 9, 10)) == 1
    assert await at(london(2027, 2, 10), "cpd.request.evaluated") == 0
    assert await at(london(2027, 2, 24)) == 1
    assert await at(london(2027, 2, 25), "cpd.request.disseminated") == 0
    assert await at(london(2027, 4, 8)) == 3

    sent = [m["data"] for m in await reminders_sent(follow_ups)]
    assert sorted((d["kind"], d["recipient_role"], d["recipient_staff_id"]) for d in sent) == [
        ("attendance_unconfirmed", "participant", STAFF),
        ("course_upcoming", "participant", STAFF),
        ("dissemination_due", "participant", STAFF),
        ("evaluation_due", "participant", STAFF),
        ("impact_review_due", "cpd_lead", None),
        ("impact_review_due", "line_manager", "staff-lm"),
        ("impact_review_due", "participant", STAFF),
    ]
    assert {d["late_by_seconds"] for d in sent} == {0}
    history = await follow_ups.store.history("req-1")
    assert [h.seq for h in history] == list(range(1, 15))
    assert [h.outcome for h in history].count("reminder") == 7
    assert history[-1].to_state == "disseminated"


async def test_a_course_completed_before_the_attendance_check_is_not_checked(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await walk_to(follow_ups, "booked")
    clock.set(london(2027, 2, 5, 16))  # the last day of the course
    await move(follow_ups, "cpd.request.completed")
    clock.set(london(2027, 2, 8, 9))
    assert await follow_ups.fire_due() == 0
    [attendance] = [f for f in await follow_ups.for_request("req-1") if f.kind.startswith("att")]
    assert attendance.status == "cancelled"
