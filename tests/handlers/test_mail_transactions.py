"""Mail is queued in the transaction that produced it: rolled back with it, never alone."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.handlers.mail_helpers import mailroom
from tests.scheduler.helpers import MONDAY_4_JAN, PAST_COURSE, submit, walk_to, with_status
from tests.workflow.builders import submitted
from workflow.clock import FakeClock
from workflow.model import Command, Transition


class Crash(Exception):
    """Stands for anything failing after the mail was written, before the commit."""


def crash_after_mail(*_args: Any) -> None:
    raise Crash("the transaction fails after the mail was queued")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_4_JAN)


async def test_a_step_whose_transaction_rolls_back_queues_no_mail(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with mailroom(tmp_path, clock) as room:
        written: list[int] = []

        def count_then_crash(
            db: sqlite3.Connection, _t: Transition, _c: Command, _now: datetime
        ) -> None:
            written.append(db.execute("SELECT COUNT(*) FROM notifications").fetchone()[0])
            crash_after_mail()

        room.store.add_transaction_hook(count_then_crash)  # runs after the mail queue's hook
        with pytest.raises(Crash):
            await room.store.apply(submitted("req-1"))

        assert written == [1]  # the mail was in the transaction ...
        assert room.rows() == []  # ... and went with it
        assert await room.store.get_request("req-1") is None
        assert await room.send() == 0


async def test_a_reminder_whose_transaction_rolls_back_queues_no_mail(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with mailroom(tmp_path, clock) as room:
        await walk_to(room.follow_ups, "completed", **PAST_COURSE)
        clock.set(await room.follow_ups.next_due() or clock.now())
        room.follow_ups.reminder_hooks.append(crash_after_mail)
        with pytest.raises(Crash):
            await room.follow_ups.fire_due()

        assert room.rows(kind="reminder") == []
        assert len(await with_status(room.follow_ups, "pending")) == 1

        room.follow_ups.reminder_hooks.remove(crash_after_mail)
        assert await room.follow_ups.fire_due() == 1
        assert len(room.rows(kind="reminder")) == 1


async def test_mail_is_queued_once_however_often_its_event_is_posted(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with mailroom(tmp_path, clock) as room:
        event = submitted("req-1")
        await room.store.apply(event)
        again = await room.store.apply(event)

        assert again.status.status == "applied"
        assert len(room.rows()) == 1
        await submit(room.follow_ups, "req-2")
        assert len(room.rows()) == 2
