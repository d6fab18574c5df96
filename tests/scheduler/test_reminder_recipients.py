"""Reminders name people: each one's recipients come from the staff directory as it fires."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from scheduler.follow_ups import FollowUps
from tests.scheduler.helpers import (
    MONDAY_4_JAN,
    PAST_COURSE,
    follow_ups_on,
    london,
    reminders_recorded,
    reminders_sent,
    submit,
    walk_to,
    with_status,
)
from tests.workflow.builders import EXECUTIVE, HEAD, OFFICE, STAFF
from tests.workflow.directory_builders import applied, left, school, staff
from workflow.audit import search_of
from workflow.clock import FakeClock
from workflow.store.audit_search import search

SECOND_HEAD, LINE_MANAGER, CPD_LEAD = "head-hopper", "lm-lin", "cpd-carol"
APPROVAL_CHASE_DUE = london(2027, 1, 7, 9, 30)  # three school days after MONDAY_4_JAN


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_4_JAN)


@pytest.fixture
async def follow_ups(db_path: Path, clock: FakeClock) -> AsyncIterator[FollowUps]:
    async with follow_ups_on(db_path, clock, seeded=False) as follow_ups:
        yield follow_ups


async def directory(follow_ups: FollowUps, *without: str, **line_manager: Any) -> None:
    """School North, in a trust with School Central (where the trust-wide people work),
    with two head teachers, a CPD lead and Ada, managed by Lin; less the people `without`."""
    people = [
        staff(HEAD, "school-north", "head_teacher"),
        staff(SECOND_HEAD, "school-north", "head_teacher"),
        staff(CPD_LEAD, "school-north", "cpd_lead", "teacher"),
        staff(LINE_MANAGER, "school-north", "leadership"),
        staff(EXECUTIVE, "school-central", "executive_lead"),
        staff(OFFICE, "school-central", "booking_office"),
        staff(STAFF, "school-north", "teacher", **line_manager),
    ]
    trust = [school("school-north", "trust-oaks"), school("school-central", "trust-oaks")]
    await applied(follow_ups.store, *trust, *(p for p in people if p.subject not in without))


def person(staff_id: str, role: str, unassigned_role: bool = False) -> dict[str, Any]:
    """A recipient as the directory builders name people."""
    name = staff_id.replace("-", " ").title()
    email = f"{staff_id}@trust.example"
    return {
        "staff_id": staff_id,
        "name": name,
        "email": email,
        "role": role,
        "unassigned_role": unassigned_role,
    }


async def fire_at(follow_ups: FollowUps, clock: FakeClock, moment: Any) -> list[dict[str, Any]]:
    """Fire what is due at `moment`; the reminders published, as CloudEvent `data`."""
    clock.set(moment)
    assert await follow_ups.fire_due() > 0
    return [sent["data"] for sent in await reminders_sent(follow_ups)]


# The state a request is walked to, and whom its first reminders then name, by role.
ROLES = {
    "requested": {"head_teacher": [HEAD, SECOND_HEAD]},
    "head_approved": {"executive_lead": [EXECUTIVE]},  # trust-wide: from another school
    "executive_approved": {"booking_office": [OFFICE]},
    "booked": {"participant": [STAFF]},
    "evaluated": {"participant": [STAFF], "line_manager": [LINE_MANAGER], "cpd_lead": [CPD_LEAD]},
}


@pytest.mark.parametrize("state", list(ROLES))
async def test_each_recipient_role_is_resolved_to_named_people(
    follow_ups: FollowUps, clock: FakeClock, state: str
) -> None:
    await directory(follow_ups, line_manager_id=LINE_MANAGER)
    await walk_to(follow_ups, state, **PAST_COURSE)
    sent = await fire_at(follow_ups, clock, MONDAY_4_JAN + timedelta(days=60))

    named = {r["recipient_role"]: [p["staff_id"] for p in r["recipients"]] for r in sent}
    assert named == ROLES[state]
    for reminder in sent:
        role = reminder["recipient_role"]
        assert reminder["recipients"] == [person(p, role) for p in ROLES[state][role]]


async def test_every_head_teacher_of_the_school_is_reminded(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await directory(follow_ups)
    await submit(follow_ups)

    [sent] = await fire_at(follow_ups, clock, APPROVAL_CHASE_DUE)

    heads = [person(HEAD, "head_teacher"), person(SECOND_HEAD, "head_teacher")]
    assert (sent["recipient_role"], sent["recipients"]) == ("head_teacher", heads)


async def test_recipients_are_in_the_event_the_history_entry_and_the_follow_up_row(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await directory(follow_ups)
    await submit(follow_ups)

    [sent] = await fire_at(follow_ups, clock, APPROVAL_CHASE_DUE)

    [entry] = await reminders_recorded(follow_ups)
    [fired] = await with_status(follow_ups, "fired")
    [pending] = await with_status(follow_ups, "pending")
    assert entry.data["recipients"] == fired.recipients == sent["recipients"]
    assert len(sent["recipients"]) == 2 and entry.reason is None
    assert pending.recipients is None  # the next chase names people only when it fires


async def test_a_role_nobody_holds_goes_to_the_cpd_lead_marked_unassigned(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await directory(follow_ups, HEAD, SECOND_HEAD)
    await submit(follow_ups)

    [sent] = await fire_at(follow_ups, clock, APPROVAL_CHASE_DUE)

    assert sent["recipient_role"] == "head_teacher"
    assert sent["recipients"] == [person(CPD_LEAD, "head_teacher", unassigned_role=True)]
    [entry] = await reminders_recorded(follow_ups)
    assert entry.reason == "nobody holds head_teacher for school-north: sent to the CPD lead"


async def test_with_no_cpd_lead_either_nobody_is_named_and_the_history_says_so(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await directory(follow_ups, HEAD, SECOND_HEAD, CPD_LEAD)
    await submit(follow_ups)

    [sent] = await fire_at(follow_ups, clock, APPROVAL_CHASE_DUE)

    assert sent["recipients"] == []
    [entry] = await reminders_recorded(follow_ups)
    assert entry.data["recipients"] == []
    assert entry.reason is not None
    assert "nobody holds head_teacher for school-north" in entry.reason
    assert "no CPD lead" in entry.reason


async def test_a_head_who_left_before_the_reminder_fired_is_not_a_recipient(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await directory(follow_ups)
    await submit(follow_ups)
    await applied(follow_ups.store, left(SECOND_HEAD, "2027-01-05"))  # a Tuesday

    [sent] = await fire_at(follow_ups, clock, APPROVAL_CHASE_DUE)

    assert sent["recipients"] == [person(HEAD, "head_teacher")]


async def test_a_head_appointed_after_submission_receives_the_reminder(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await directory(follow_ups, SECOND_HEAD)
    await submit(follow_ups)
    clock.advance(timedelta(days=1))
    await applied(follow_ups.store, staff(SECOND_HEAD, "school-north", "head_teacher"))

    [sent] = await fire_at(follow_ups, clock, APPROVAL_CHASE_DUE)

    heads = [person(HEAD, "head_teacher"), person(SECOND_HEAD, "head_teacher")]
    assert sent["recipients"] == heads


async def test_the_line_manager_comes_from_the_submission_when_the_directory_names_none(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await directory(follow_ups)  # Ada's record names no line manager
    await walk_to(follow_ups, "evaluated", line_manager_id=LINE_MANAGER, **PAST_COURSE)

    sent = await fire_at(follow_ups, clock, MONDAY_4_JAN + timedelta(days=60))

    [to_manager] = [r for r in sent if r["recipient_role"] == "line_manager"]
    assert to_manager["recipients"] == [person(LINE_MANAGER, "line_manager")]


async def test_a_head_teachers_own_request_is_chased_with_the_chair_not_the_head(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    chair = "chair-chen"
    await applied(follow_ups.store, staff(chair, "school-north", "chair_of_governors"))
    await directory(follow_ups)
    await submit(follow_ups, staff_id=HEAD, actor=HEAD)

    [sent] = await fire_at(follow_ups, clock, APPROVAL_CHASE_DUE)

    # The same rule as the step itself: the policy's own_request_head_step approves it.
    assert sent["recipients"] == [person(chair, "chair_of_governors")]


async def test_nobody_is_reminded_to_approve_their_own_request(
    follow_ups: FollowUps, clock: FakeClock
) -> None:
    await directory(follow_ups)
    await submit(follow_ups, staff_id=SECOND_HEAD, actor=SECOND_HEAD)

    [sent] = await fire_at(follow_ups, clock, APPROVAL_CHASE_DUE)

    # No chair in this school: the CPD lead stands in; the requesting head is never named.
    assert SECOND_HEAD not in [p["staff_id"] for p in sent["recipients"]]
    assert sent["recipients"] == [person(CPD_LEAD, "chair_of_governors", unassigned_role=True)]


async def test_an_approval_reminder_is_found_in_the_audit_by_each_head_it_reached(
    follow_ups: FollowUps, clock: FakeClock, db_path: Path
) -> None:
    await directory(follow_ups)
    await submit(follow_ups)
    await fire_at(follow_ups, clock, APPROVAL_CHASE_DUE)

    with closing(sqlite3.connect(db_path)) as db:
        found = {
            head: [
                (e["event_type"], e["staff_id"], e["request_seq"])
                for e in search(db, search_of({"staff_id": head, "outcome": "reminder"})).entries
            ]
            for head in (HEAD, SECOND_HEAD)
        }

    assert found == {head: [("cpd.reminder.due", STAFF, 2)] for head in (HEAD, SECOND_HEAD)}
