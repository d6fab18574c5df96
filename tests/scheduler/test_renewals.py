"""Renewal reminders: statutory training running out, chased in a schedule of its own."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from scheduler.calendar import Holiday, SchoolCalendar
from scheduler.follow_up_rows import FollowUp
from scheduler.follow_ups import REMINDER_DUE, FollowUps
from scheduler.policy import FollowUpPolicy
from tests.scheduler.helpers import FEB_HALF_TERM, local, london
from tests.workflow.builders import STAFF, START, apply_all, event, submitted
from tests.workflow.directory_builders import left
from tests.workflow.obligation_builders import (
    CPD_LEAD,
    applied,
    corrected,
    held,
    obligations_store,
    qualification,
    session,
)
from workflow.audit import search_of
from workflow.clock import FakeClock
from workflow.store.audit_search import search

SUMMER_2027 = Holiday("Summer 2027", date(2027, 7, 22), date(2027, 9, 2))
INSET = date(2027, 9, 2)  # the first day of the autumn term is a training day
CALENDAR = SchoolCalendar([FEB_HALF_TERM, SUMMER_2027], "test", [INSET])
RENEWAL, PARTICIPANT, LEAD = "renewal_due", "participant", "cpd_lead"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)  # Wednesday 7 October 2026


@pytest.fixture
async def follow_ups(db_path: Path, clock: FakeClock) -> AsyncIterator[FollowUps]:
    async with obligations_store(db_path, clock) as store:
        follow_ups = FollowUps(store, CALENDAR, FollowUpPolicy())
        store.add_transaction_hook(follow_ups.plan)
        yield follow_ups


async def reminders(follow_ups: FollowUps, staff_id: str = STAFF) -> list[FollowUp]:
    found = await held(follow_ups.store, staff_id)
    return await follow_ups.for_qualification(found.qualification_id)


def planned(rows: list[FollowUp], status: str = "pending") -> set[tuple[int, str, datetime]]:
    return {(r.attempt, r.recipient_role, local(r.due_at)) for r in rows if r.status == status}


async def sent(follow_ups: FollowUps) -> list[dict[str, Any]]:
    messages = await follow_ups.store.unpublished()
    return [json.loads(m.body) for m in messages if m.event_type == REMINDER_DUE]


async def test_the_holder_and_the_cpd_lead_are_reminded_90_and_30_days_before_and_on_expiry(
    follow_ups: FollowUps,
) -> None:
    await applied(follow_ups.store, qualification())  # valid until Wednesday 1 September 2027
    assert await follow_ups.plan_renewals() == 1
    expected = {
        london(2027, 6, 3, 8): 1,  # 90 days before: Thursday 3 June
        london(2027, 7, 21, 8): 2,  # 30 days before is in the summer: the last day of term
        london(2027, 9, 2, 8): 3,  # the day after its last day: an INSET day, so a school day
    }
    rows = await reminders(follow_ups)
    assert planned(rows) == {(a, role, due) for due, a in expected.items() for role in (
        PARTICIPANT, LEAD)}  # fmt: skip
    assert {r.recipient_staff_id for r in rows if r.recipient_role == PARTICIPANT} == {STAFF}
    assert {(r.kind, r.request_id, r.school_id) for r in rows} == {(RENEWAL, None, "school-north")}


async def test_a_renewal_reminder_fires_as_cpd_reminder_due_about_the_person(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await applied(follow_ups.store, qualification())
    await follow_ups.plan_renewals()
    clock.set(london(2027, 6, 3, 9, 30))
    assert await follow_ups.fire_due() == 2
    assert await follow_ups.fire_due() == 0
    by_role = {m["data"]["recipient_role"]: m for m in await sent(follow_ups)}
    mine, lead = by_role[PARTICIPANT], by_role[LEAD]
    assert mine["subject"] == STAFF and mine["id"] != lead["id"]
    assert {k: mine["data"][k] for k in ("request_id", "kind", "attempt", "late_by_seconds")} == {
        "request_id": None,
        "kind": RENEWAL,
        "attempt": 1,
        "late_by_seconds": 5400,
    }
    assert (mine["data"]["statutory_kind"], mine["data"]["valid_until"]) == (
        "safeguarding",
        "2027-09-01",
    )
    assert [r["staff_id"] for r in mine["data"]["recipients"]] == [STAFF]
    assert [(r["staff_id"], r["role"]) for r in lead["data"]["recipients"]] == [(CPD_LEAD, LEAD)]
    [fired] = [r for r in await reminders(follow_ups) if r.id == mine["id"]]
    assert fired.status == "fired" and fired.recipients == mine["data"]["recipients"]


async def test_a_requests_state_changes_never_cancel_them(follow_ups: FollowUps) -> None:
    await applied(follow_ups.store, qualification())
    await follow_ups.plan_renewals()
    await apply_all(
        follow_ups.store,
        [
            submitted("req-1", statutory_kind="safeguarding"),
            event("cpd.request.head_approved", "req-1"),
            event("cpd.request.withdrawn", "req-1"),
        ],
    )
    rows = await reminders(follow_ups)
    assert len(planned(rows)) == 6 and not planned(rows, "cancelled")


async def test_a_completed_renewal_ends_the_older_reminders_and_starts_its_own(
    follow_ups: FollowUps,
) -> None:
    await applied(follow_ups.store, qualification(achieved_on="2026-09-01"))
    await follow_ups.plan_renewals()
    older = await reminders(follow_ups)
    await applied(follow_ups.store, qualification(achieved_on="2026-10-01"))
    await follow_ups.plan_renewals()
    ended = await follow_ups.for_qualification(older[0].qualification_id or "")
    assert {(r.status, r.cancel_reason) for r in ended} == {("cancelled", "renewed")}
    newer = await reminders(follow_ups)
    assert newer[0].qualification_id != older[0].qualification_id
    assert len(planned(newer)) == 6


async def test_an_older_certificate_recorded_later_changes_nothing(follow_ups: FollowUps) -> None:
    await applied(follow_ups.store, qualification(achieved_on="2026-09-01"))
    await follow_ups.plan_renewals()
    before = planned(await reminders(follow_ups))
    await applied(follow_ups.store, qualification(achieved_on="2025-09-01"))
    await follow_ups.plan_renewals()
    assert planned(await reminders(follow_ups)) == before


async def test_training_recorded_late_gets_only_the_latest_reminder_it_missed_now(
    follow_ups: FollowUps,
) -> None:
    await applied(
        follow_ups.store, qualification(achieved_on="2025-10-01", valid_until="2026-10-20")
    )
    await follow_ups.plan_renewals()
    rows = await reminders(follow_ups)
    now = START.astimezone(london(2026, 1, 1).tzinfo)
    assert planned(rows) == {
        (2, PARTICIPANT, now),  # 30 days before was 20 September: missed, so due now
        (2, LEAD, now),
        (3, PARTICIPANT, london(2026, 10, 21, 8)),
        (3, LEAD, london(2026, 10, 21, 8)),
    }


async def test_taking_someone_off_a_sessions_register_brings_back_their_older_reminders(
    follow_ups: FollowUps,
) -> None:
    await applied(follow_ups.store, qualification(achieved_on="2025-11-01"))
    await follow_ups.plan_renewals()
    older = planned(await reminders(follow_ups))
    await applied(follow_ups.store, session(statutory_kind="safeguarding", date="2026-10-05"))
    await follow_ups.plan_renewals()
    assert (await held(follow_ups.store)).source == "session"
    await applied(follow_ups.store, corrected([CPD_LEAD]))
    await follow_ups.plan_renewals()
    assert (await held(follow_ups.store)).source == "recorded"
    assert planned(await reminders(follow_ups)) == older


async def test_someone_who_has_left_is_not_chased(follow_ups: FollowUps, clock: FakeClock) -> None:
    await applied(follow_ups.store, qualification())
    await follow_ups.plan_renewals()
    await applied(follow_ups.store, left(STAFF, "2027-04-30"))
    clock.set(london(2027, 6, 3, 9))
    await follow_ups.fire_due()  # carries out the departure, then reaches the reminders
    assert await sent(follow_ups) == []
    rows = await reminders(follow_ups)
    assert {(r.attempt, r.status, r.cancel_reason) for r in rows if r.attempt == 1} == {
        (1, "cancelled", "left the school")
    }


async def test_planning_twice_plans_once(follow_ups: FollowUps) -> None:
    await applied(follow_ups.store, qualification())
    assert await follow_ups.plan_renewals() == 1
    assert await follow_ups.plan_renewals() == 0
    assert len(await reminders(follow_ups)) == 6


async def test_the_waker_plans_before_it_fires(follow_ups: FollowUps, clock: FakeClock) -> None:
    await applied(
        follow_ups.store, qualification(achieved_on="2025-10-01", valid_until="2026-10-20")
    )
    assert await follow_ups.fire_due() == 2  # planned, and the missed one fired at once
    assert {m["data"]["attempt"] for m in await sent(follow_ups)} == {2}


async def test_a_renewal_reminder_is_in_the_audit_chain_found_by_whom_it_reached(
    follow_ups: FollowUps, clock: FakeClock, db_path: Path
) -> None:
    await applied(follow_ups.store, qualification())
    await follow_ups.plan_renewals()
    clock.set(london(2027, 6, 3, 9, 30))
    await follow_ups.fire_due()

    def reminded(staff_id: str) -> list[tuple[str, str, str | None]]:
        asked = search_of({"staff_id": staff_id, "outcome": "reminder"})
        return [(e["kind"], e["event_type"], e["staff_id"]) for e in search(db, asked).entries]

    with closing(sqlite3.connect(db_path)) as db:
        holder, lead = reminded(STAFF), reminded(CPD_LEAD)

    # The holder: theirs, and the lead's about them; the lead: theirs.
    assert holder == [("qualifications", REMINDER_DUE, STAFF)] * 2
    assert lead == [("qualifications", REMINDER_DUE, STAFF)]
