"""Shared set-up for the follow-up tests: London times, a term with a half term, a store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, closing, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.calendar import Holiday, SchoolCalendar
from scheduler.follow_up_rows import FollowUp
from scheduler.follow_ups import REMINDER_DUE, FollowUps
from scheduler.policy import FollowUpPolicy
from tests.workflow.builders import event, open_store, submitted
from workflow.clock import FakeClock

LONDON = ZoneInfo("Europe/London")
FEB_HALF_TERM = Holiday("February half term 2027", date(2027, 2, 15), date(2027, 2, 19))
CALENDAR = SchoolCalendar([FEB_HALF_TERM], name="test")
COURSE = {"start_date": "2027-02-01", "end_date": "2027-02-05"}  # Monday to Friday
# A course over before MONDAY_4_JAN: a request for it can be completed at once (a course is
# completed on or after its start date, and never in the future).
PAST_COURSE = {"start_date": "2026-12-14", "end_date": "2026-12-18"}

# The step that takes a request out of each state along the happy path.
NEXT_STEP = {
    "requested": "cpd.request.head_approved",
    "head_approved": "cpd.request.executive_approved",
    "executive_approved": "cpd.request.booked",
    "booked": "cpd.request.completed",
    "completed": "cpd.request.evaluated",
    "evaluated": "cpd.request.disseminated",
}
HAPPY_PATH = list(NEXT_STEP)


def london(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


MONDAY_4_JAN = london(2027, 1, 4)  # a term-time Monday morning, where most stories start


def local(stamp: str | None) -> datetime:
    """A stored UTC timestamp, as a London wall-clock time."""
    assert stamp is not None
    return datetime.fromisoformat(stamp).astimezone(LONDON)


@asynccontextmanager
async def follow_ups_on(
    path: Path, clock: FakeClock, *, seeded: bool = True
) -> AsyncIterator[FollowUps]:
    """A store on a real SQLite file whose state changes plan follow-ups, as the service does
    (with the builders' people in its directory unless `seeded` is false)."""
    async with open_store(path, clock, seeded=seeded) as store:
        follow_ups = FollowUps(store, CALENDAR, FollowUpPolicy())
        store.add_transaction_hook(follow_ups.plan)
        yield follow_ups


async def submit(follow_ups: FollowUps, request_id: str = "req-1", **data: Any) -> None:
    await _applied(follow_ups, submitted(request_id, **{**COURSE, **data}))


async def move(follow_ups: FollowUps, event_type: str, request_id: str = "req-1") -> None:
    """Take the step; a completion is dated the last day of the request's course."""
    changes: dict[str, Any] = {}
    if event_type == "cpd.request.completed":
        request = await follow_ups.store.get_request(request_id)
        assert request is not None
        changes["completed_on"] = request.end_date.isoformat()
    await _applied(follow_ups, event(event_type, request_id, **changes))


async def walk_to(
    follow_ups: FollowUps, state: str, request_id: str = "req-1", **course: Any
) -> None:
    """Submit a request (for COURSE unless told) and take it along the happy path until it
    is in `state`."""
    await submit(follow_ups, request_id, **course)
    for step in HAPPY_PATH[: HAPPY_PATH.index(state)]:
        await move(follow_ups, NEXT_STEP[step], request_id)


async def _applied(follow_ups: FollowUps, cloud_event: Any) -> None:
    outcome = await follow_ups.store.apply(cloud_event)
    assert outcome.status.status == "applied", outcome.status.reason


async def with_status(
    follow_ups: FollowUps, status: str, request_id: str = "req-1"
) -> list[FollowUp]:
    return [f for f in await follow_ups.for_request(request_id) if f.status == status]


async def reminders_sent(follow_ups: FollowUps) -> list[dict[str, Any]]:
    """The cpd.reminder.due CloudEvents waiting in the outbox, oldest first."""
    messages = await follow_ups.store.unpublished()
    return [json.loads(m.body) for m in messages if m.event_type == REMINDER_DUE]


async def reminders_recorded(follow_ups: FollowUps, request_id: str = "req-1") -> list[Any]:
    """The request's history entries for reminders, oldest first."""
    return [h for h in await follow_ups.store.history(request_id) if h.event_type == REMINDER_DUE]


@contextmanager
def outbox_refuses_reminders(path: Path) -> Iterator[None]:
    """Make the firing transaction fail at its last write, as a crash there would."""
    with closing(sqlite3.connect(path)) as db:
        db.execute(
            "CREATE TRIGGER crash BEFORE INSERT ON outbox WHEN NEW.event_type = 'cpd.reminder.due'"
            " BEGIN SELECT RAISE(ABORT, 'crash before recording'); END"
        )
        db.commit()
        try:
            yield
        finally:
            db.execute("DROP TRIGGER crash")
            db.commit()
