"""Renewal reminders by e-mail: to the holder of the training and to the school's CPD lead."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.directory_seed import seed_store
from tests.handlers.mail_helpers import Mailroom, mailroom
from tests.scheduler.helpers import london
from tests.workflow.builders import STAFF, START
from tests.workflow.obligation_builders import (
    CPD_LEAD,
    OBLIGATION_PEOPLE,
    applied,
    qualification,
)
from workflow.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
async def room(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Mailroom]:
    async with mailroom(tmp_path, clock) as room:
        await seed_store(room.store, ["school-north"], OBLIGATION_PEOPLE)
        yield room


async def fire_at(room: Mailroom, clock: FakeClock, year: int, month: int, day: int) -> int:
    await room.follow_ups.plan_renewals()
    clock.set(london(year, month, day, 8))
    return await room.follow_ups.fire_due()


async def test_the_holder_and_the_cpd_lead_each_get_a_mail_saying_when_it_runs_out(
    room: Mailroom, clock: FakeClock
) -> None:
    await applied(room.store, qualification())  # valid until Wednesday 1 September 2027
    assert await fire_at(room, clock, 2027, 6, 3) == 2
    rows = {r["to_staff_id"]: r for r in room.rows(kind="reminder")}
    assert set(rows) == {STAFF, CPD_LEAD}
    assert {(r["template"], r["request_id"]) for r in rows.values()} == {("renewal_due", None)}
    mine, lead = rows[STAFF], rows[CPD_LEAD]
    assert mine["subject"] == (
        "Reminder: your safeguarding training is valid until Wednesday 1 September 2027"
        " (School-North)"
    )
    assert "Please renew it before then" in mine["text"]
    assert lead["subject"].startswith("Reminder: safeguarding training for Staff Ada is valid")
    assert "Who: Staff Ada (School-North)" in lead["text"]
    assert "Valid until" in lead["html"] and "Wednesday 1 September 2027" in lead["html"]


async def test_on_expiry_the_mail_says_it_has_expired(room: Mailroom, clock: FakeClock) -> None:
    await applied(room.store, qualification())
    clock.set(london(2027, 8, 31, 12))  # the first two have gone by now
    await room.follow_ups.fire_due()
    assert await fire_at(room, clock, 2027, 9, 2) == 2
    latest = [r for r in room.rows(kind="reminder", to_staff_id=STAFF)][-1]
    assert latest["subject"].startswith("Reminder: your safeguarding training has expired")
    assert "has now expired" in latest["text"]


async def test_renewal_mail_is_sent_like_every_reminder(room: Mailroom, clock: FakeClock) -> None:
    await applied(room.store, qualification())
    assert await fire_at(room, clock, 2027, 6, 3) == 2
    clock.advance(timedelta(hours=1))  # past the digest window
    assert await room.send() == 2
    assert {r["status"] for r in room.rows(kind="reminder")} == {"sent"}
    assert len(list((room.data_dir / "mail").glob("*.eml"))) == 2
