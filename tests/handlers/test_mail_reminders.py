"""Reminders by e-mail: one per person a reminder names, several in a morning as one digest."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler.policy_sets import load_policy_library
from tests.handlers.mail_helpers import PUBLIC_URL, Mailroom, mailroom
from tests.mail_server import Inbox, body, smtp_server, subject
from tests.scheduler.helpers import (
    MONDAY_4_JAN,
    PAST_COURSE,
    local,
    move,
    submit,
    walk_to,
)
from tests.workflow.builders import HEAD, STAFF
from tests.workflow.governed import FakeDirectory
from tests.workflow.policy_files import head_led, write
from workflow.clock import FakeClock

REQUESTS = ("req-1", "req-2", "req-3")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_4_JAN)


async def fire_next(room: Mailroom, clock: FakeClock) -> None:
    """Move the clock to the next follow-up's due time and fire what is due then."""
    due = await room.follow_ups.next_due()
    assert due is not None
    clock.set(due)
    assert await room.follow_ups.fire_due() > 0


async def three_requests_waiting_for_the_head(room: Mailroom, clock: FakeClock) -> None:
    for request_id in REQUESTS:
        await submit(room.follow_ups, request_id)
    await room.send()  # the new-request mails go at once
    await fire_next(room, clock)  # the three approval reminders fall due together


async def test_a_fired_reminder_queues_a_mail_to_the_person_it_names_with_their_link(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with mailroom(tmp_path, clock) as room:
        await walk_to(room.follow_ups, "completed", **PAST_COURSE)
        await fire_next(room, clock)

        (row,) = room.rows(kind="reminder")
        (fired,) = [f for f in await room.follow_ups.for_request("req-1") if f.status == "fired"]
    assert row["cause"] == fired.id
    assert row["to_staff_id"] == STAFF
    assert row["template"] == "reminder"
    assert row["subject"] == (
        "Reminder: evaluation due for Teaching reading in Key Stage 2 (School-North)"
    )
    assert json.loads(row["context"])["link"].startswith(f"{PUBLIC_URL}/forms/")


async def test_three_reminders_for_one_person_the_same_morning_go_as_one_digest(
    tmp_path: Path, clock: FakeClock
) -> None:
    inbox = Inbox()
    async with smtp_server(inbox) as url, mailroom(tmp_path, clock, url) as room:
        await three_requests_waiting_for_the_head(room, clock)
        fired_at = clock.now()
        assert await room.send() == 0  # the digest waits for its window to close
        clock.advance(timedelta(minutes=30))
        assert await room.send() == 1

        reminders = room.rows(kind="reminder")
    digest = inbox.messages[-1]
    assert len(inbox.messages) == len(REQUESTS) + 1
    assert digest["To"] == f"Head Grace <{HEAD}@trust.example>"
    assert subject(digest) == f"3 CPD reminders for {local(fired_at.isoformat()):%A} 7 January 2027"
    text, html = body(digest, "plain"), body(digest, "html")
    links = {json.loads(r["context"])["link"] for r in reminders}
    assert len(links) == 3 and all(link in text and link in html for link in links)
    assert {r["message_id"] for r in reminders} == {digest["Message-ID"]}
    assert {r["status"] for r in reminders} == {"sent"}


async def test_a_decision_is_not_held_back_by_a_waiting_digest(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with mailroom(tmp_path, clock) as room:
        await three_requests_waiting_for_the_head(room, clock)
        await move(room.follow_ups, "cpd.request.head_approved", "req-1")
        assert await room.send() == 2  # the requester and the executive lead, at once

        assert {r["status"] for r in room.rows(kind="reminder")} == {"queued"}
        assert {r["status"] for r in room.rows(kind="decision")} == {"sent"}


async def test_a_reminder_after_the_digest_went_starts_another_the_same_day(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with mailroom(tmp_path, clock) as room:
        await three_requests_waiting_for_the_head(room, clock)
        clock.advance(timedelta(minutes=30))
        assert await room.send() == 1
        clock.advance(timedelta(hours=2))
        later = {
            "request_id": "req-1",
            "kind": "approval_pending",
            "recipients": [{"staff_id": HEAD, "role": "head_teacher"}],
            "attempt": 2,
        }
        await room.store.transaction(
            lambda db: room.mail.queue.on_reminder(db, "a-later-reminder", later, clock.now())
        )
        clock.advance(timedelta(minutes=30))
        assert await room.send() == 1

        first, *_, last = room.rows(kind="reminder")
    assert first["digest_key"] == last["digest_key"]
    assert first["message_id"] != last["message_id"]
    assert last["subject"].startswith("Reminder: approval waiting for Staff Ada")


async def test_a_policy_set_may_send_each_reminder_on_its_own(
    tmp_path: Path, clock: FakeClock
) -> None:
    files = tmp_path / "policies"
    write(files, "head-led.toml", head_led(extra="[notifications]\ndigest_reminders = false"))
    library = load_policy_library(files)
    directory = FakeDirectory({"school-north": "head-led-school"})
    data = tmp_path / "data"
    async with mailroom(data, clock, policies=library, policy_id_for_school=directory) as room:
        await three_requests_waiting_for_the_head(room, clock)
        assert await room.send() == 3

        reminders = room.rows(kind="reminder")
    assert [r["digest_key"] for r in reminders] == [None, None, None]
    assert len({r["message_id"] for r in reminders}) == 3


async def test_a_reminder_whose_request_moved_on_while_it_waited_is_cancelled(
    tmp_path: Path, clock: FakeClock
) -> None:
    inbox = Inbox()
    async with smtp_server(inbox) as url, mailroom(tmp_path, clock, url) as room:
        await three_requests_waiting_for_the_head(room, clock)
        await move(room.follow_ups, "cpd.request.head_approved", "req-1")
        clock.advance(timedelta(minutes=30))
        await room.send()

        reminders = {r["request_id"]: r for r in room.rows(kind="reminder")}
    overtaken = reminders.pop("req-1")
    assert overtaken["status"] == "cancelled"
    assert overtaken["last_error"] == "not sent: the request moved on to head_approved first"
    assert [r["status"] for r in reminders.values()] == ["sent", "sent"]
    digests = [m for m in inbox.messages if m["Message-ID"] == reminders["req-2"]["message_id"]]
    assert [subject(m)[:19] for m in digests] == ["2 CPD reminders for"]
