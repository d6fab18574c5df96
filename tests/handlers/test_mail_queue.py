"""Who is told what: the mail queued in the transaction of each step, read from the store."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from handlers.forms.tokens import FormLink, link_secret, read
from tests.handlers.mail_helpers import PUBLIC_URL, Mailroom, mailroom
from tests.scheduler.helpers import COURSE, MONDAY_4_JAN, PAST_COURSE, move, submit, walk_to
from tests.workflow.builders import EXECUTIVE, HEAD, OFFICE, STAFF, event
from tests.workflow.directory_builders import applied, delegated, school, staff
from workflow.clock import FakeClock

SECOND_HEAD, DEPUTY, SECOND_EXECUTIVE = "head-hopper", "deputy-dan", "exec-edith"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_4_JAN)


@pytest.fixture
async def room(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Mailroom]:
    async with mailroom(tmp_path, clock) as room:
        yield room


def recipients(room: Mailroom, template: str) -> list[str]:
    return [row["to_staff_id"] for row in room.rows(template=template)]


def link_of(room: Mailroom, row: dict[str, object]) -> str:
    link = json.loads(str(row["context"]))["link"]
    assert isinstance(link, str)
    return link


def token_of(room: Mailroom, row: dict[str, object], clock: FakeClock) -> FormLink:
    """What the row's link is signed for, read as the form page reads it."""
    link = link_of(room, row)
    assert link.startswith(f"{PUBLIC_URL}/forms/")
    token = link.removeprefix(f"{PUBLIC_URL}/forms/")
    return read(link_secret(room.data_dir), token, clock.now() + timedelta(days=13), 14)


async def test_a_new_request_asks_every_head_teacher_and_a_delegate_in_their_window(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with mailroom(tmp_path, clock, seeded=False) as room:
        await applied(
            room.store,
            school("school-north", "trust-oaks"),
            staff(HEAD, "school-north", "head_teacher"),
            staff(SECOND_HEAD, "school-north", "head_teacher"),
            staff(DEPUTY, "school-north", "leadership"),
            staff("deputy-out-of-window", "school-north", "leadership"),
            staff(STAFF, "school-north", "teacher"),
            delegated(HEAD, DEPUTY, "head", "2027-01-01", "2027-01-08"),
            delegated(HEAD, "deputy-out-of-window", "head", "2027-02-01", "2027-02-05"),
        )
        await submit(room.follow_ups)

        assert recipients(room, "approval_needed") == [DEPUTY, HEAD, SECOND_HEAD]
        row = room.rows(to_staff_id=DEPUTY)[0]
        assert (row["kind"], row["status"], row["to_address"]) == (
            "decision",
            "queued",
            f"{DEPUTY}@trust.example",
        )
        assert "Approval needed: Staff Ada" in row["subject"]


async def test_each_approver_gets_a_link_of_their_own_to_the_approval_page(
    room: Mailroom, clock: FakeClock
) -> None:
    await submit(room.follow_ups)

    (row,) = room.rows(template="approval_needed")
    signed = token_of(room, row, clock)
    assert (signed.request_id, signed.step, signed.staff_id) == ("req-1", "approve_head", HEAD)
    assert link_of(room, row) in row["text"] and link_of(room, row) in row["html"]


async def test_a_head_approval_asks_every_executive_lead_and_tells_the_requester(
    room: Mailroom, clock: FakeClock
) -> None:
    await submit(room.follow_ups)
    await move(room.follow_ups, "cpd.request.head_approved")

    assert recipients(room, "approval_needed") == [HEAD, EXECUTIVE]
    (told,) = room.rows(template="decision")
    assert told["to_staff_id"] == STAFF
    assert told["subject"] == "Approved by your head teacher: Teaching reading in Key Stage 2"
    assert "It now needs the executive approval" in told["text"]
    executive = room.rows(template="approval_needed", to_staff_id=EXECUTIVE)[0]
    assert token_of(room, executive, clock).step == "approve_executive"


async def test_the_head_who_approved_is_not_asked_for_the_executive_approval(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with mailroom(tmp_path, clock, seeded=False) as room:
        await applied(
            room.store,
            school("school-north", "trust-oaks"),
            staff(HEAD, "school-north", "head_teacher", "executive_lead"),
            staff(SECOND_EXECUTIVE, "school-north", "executive_lead"),
            staff(STAFF, "school-north", "teacher"),
        )
        await submit(room.follow_ups)
        await move(room.follow_ups, "cpd.request.head_approved")

        asked = room.rows(template="approval_needed")
        assert [r["to_staff_id"] for r in asked] == [HEAD, SECOND_EXECUTIVE]
        assert "executive approval" in asked[1]["text"]


async def test_full_approval_that_needs_booking_tells_the_booking_office(room: Mailroom) -> None:
    await walk_to(room.follow_ups, "executive_approved")

    (booking,) = room.rows(template="booking_needed")
    assert booking["to_staff_id"] == OFFICE
    assert booking["subject"].startswith("Booking needed: Teaching reading in Key Stage 2")
    decisions = room.rows(template="decision")
    assert [d["to_staff_id"] for d in decisions] == [STAFF, STAFF]
    assert "fully approved" in decisions[1]["text"]


async def test_a_rejection_tells_the_requester_the_reason(room: Mailroom) -> None:
    await submit(room.follow_ups)
    outcome = await room.store.apply(
        event("cpd.request.head_rejected", reason="No cover available that week")
    )
    assert outcome.status.status == "applied"

    (told,) = room.rows(template="decision")
    assert told["to_staff_id"] == STAFF
    assert told["subject"] == "Not approved: Teaching reading in Key Stage 2"
    assert "The reason given: No cover available that week" in told["text"]


async def test_a_booking_tells_the_requester_its_reference_and_dates(room: Mailroom) -> None:
    await walk_to(room.follow_ups, "booked")

    told = room.rows(template="decision")[-1]
    assert told["subject"] == "Booked: Teaching reading in Key Stage 2"
    assert "Booking reference: BK-1042" in told["text"]
    assert "Monday 1 February 2027 to Friday 5 February 2027" in told["text"]


async def test_a_completion_asks_the_participant_for_an_evaluation_by_a_date(
    room: Mailroom, clock: FakeClock
) -> None:
    await walk_to(room.follow_ups, "completed", **PAST_COURSE)

    (asked,) = room.rows(template="evaluation_asked")
    assert asked["to_staff_id"] == STAFF
    assert asked["subject"] == "Please evaluate: Teaching reading in Key Stage 2"
    assert "by Monday 11 January 2027" in asked["text"]  # a week from the completion
    assert token_of(room, asked, clock).step == "evaluate"


async def test_an_evaluation_asks_for_dissemination_when_the_policy_does(room: Mailroom) -> None:
    await walk_to(room.follow_ups, "evaluated", **PAST_COURSE)

    (asked,) = room.rows(template="dissemination_asked")
    assert asked["to_staff_id"] == STAFF
    assert "School-North's policy asks you to share what you learned" in asked["text"]


async def test_steps_that_decide_nothing_send_nothing(room: Mailroom) -> None:
    await submit(room.follow_ups, **COURSE)
    before = len(room.rows())
    outcome = await room.store.apply(event("cpd.request.withdrawn"))
    assert outcome.status.status == "applied"

    assert len(room.rows()) == before


async def test_a_refused_step_queues_no_mail(room: Mailroom) -> None:
    await submit(room.follow_ups)
    before = len(room.rows())
    outcome = await room.store.apply(event("cpd.request.head_approved", actor=STAFF))
    assert outcome.status.status == "rejected"

    assert len(room.rows()) == before
