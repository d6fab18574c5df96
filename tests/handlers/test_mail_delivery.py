"""Mail reaches a real SMTP server (aiosmtpd, in the test's loop) once, whatever it does."""

from __future__ import annotations

import asyncio
import email
import email.policy
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.handlers.mail_helpers import PUBLIC_URL, mailroom
from tests.mail_server import DROP, Inbox, body, free_port, smtp_server, subject
from tests.scheduler.helpers import MONDAY_4_JAN, submit
from tests.workflow.builders import HEAD
from workflow.clock import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_4_JAN)


async def test_mail_arrives_with_the_right_to_subject_link_and_both_parts(
    tmp_path: Path, clock: FakeClock
) -> None:
    inbox = Inbox()
    async with smtp_server(inbox) as url, mailroom(tmp_path, clock, url) as room:
        await submit(room.follow_ups)
        assert await room.send() == 1

    (message,) = inbox.messages
    (row,) = room.rows()
    assert message["To"] == f"Head Grace <{HEAD}@trust.example>"
    assert message["From"] == "CPD <cpd-workflow@localhost>"
    assert subject(message) == row["subject"]
    assert "School-North" in subject(message)
    assert message["Message-ID"] == row["message_id"]
    text, html = body(message, "plain"), body(message, "html")
    assert f"{PUBLIC_URL}/forms/" in text and f'href="{PUBLIC_URL}/forms/' in html
    assert "by Sunday 31 January 2027, the day before it starts" in text
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 1, None)


async def test_a_refusal_fails_the_mail_at_once_with_the_servers_answer(
    tmp_path: Path, clock: FakeClock
) -> None:
    inbox = Inbox()
    inbox.answers = ["550 5.1.1 <head-grace@trust.example>: mailbox unavailable"]
    async with smtp_server(inbox) as url, mailroom(tmp_path, clock, url) as room:
        await submit(room.follow_ups)
        assert await room.send() == 0
        clock.advance(timedelta(hours=12))
        assert await room.send() == 0  # never tried again

    (row,) = room.rows()
    assert (row["status"], row["attempts"]) == ("failed", 1)
    assert row["last_error"] == "550 5.1.1 <head-grace@trust.example>: mailbox unavailable"
    assert inbox.offered == 1 and inbox.messages == []


async def test_a_temporary_refusal_is_retried_after_a_minute(
    tmp_path: Path, clock: FakeClock
) -> None:
    inbox = Inbox()
    inbox.answers = ["451 4.3.0 try again later"]
    async with smtp_server(inbox) as url, mailroom(tmp_path, clock, url) as room:
        await submit(room.follow_ups)
        assert await room.send() == 0
        (row,) = room.rows()
        assert (row["status"], row["attempts"]) == ("queued", 1)
        assert row["last_error"] == "451 4.3.0 try again later"
        assert await room.send() == 0  # not before its backoff is over
        clock.advance(timedelta(minutes=1))
        assert await room.send() == 1

    (row,) = room.rows()
    assert (row["status"], row["attempts"]) == ("sent", 2)
    assert len(inbox.messages) == 1


async def test_a_connection_dropped_mid_message_is_sent_again_under_the_same_message_id(
    tmp_path: Path, clock: FakeClock
) -> None:
    inbox = Inbox()
    inbox.answers = [DROP]
    async with smtp_server(inbox) as url, mailroom(tmp_path, clock, url) as room:
        await submit(room.follow_ups)
        assert await room.send() == 0
        (row,) = room.rows()
        assert row["status"] == "queued" and row["last_error"]
        clock.advance(timedelta(minutes=1))
        assert await room.send() == 1

    (row,) = room.rows()
    assert inbox.offered == 2
    assert [m["Message-ID"] for m in inbox.messages] == [row["message_id"]]
    assert row["status"] == "sent"


async def test_mail_waits_while_the_server_is_down_and_goes_when_it_is_back(
    tmp_path: Path, clock: FakeClock
) -> None:
    inbox, port = Inbox(), free_port()
    url = f"smtp://127.0.0.1:{port}"
    async with mailroom(tmp_path, clock, url) as room:
        await submit(room.follow_ups)
        assert await room.send() == 0
        (row,) = room.rows()
        assert (row["status"], row["attempts"]) == ("queued", 1)
        assert "cannot reach the SMTP server" in row["last_error"]
        async with smtp_server(inbox, port):
            clock.advance(timedelta(minutes=1))
            assert await room.send() == 1

    assert room.rows()[0]["status"] == "sent"
    assert len(inbox.messages) == 1


async def test_a_server_down_for_good_leaves_the_mail_failed_after_the_last_attempt(
    tmp_path: Path, clock: FakeClock
) -> None:
    url = f"smtp://127.0.0.1:{free_port()}"
    async with mailroom(tmp_path, clock, url, max_attempts=3) as room:
        await submit(room.follow_ups)
        waits = []
        for _ in range(3):
            await room.send()
            (row,) = room.rows()
            waits.append(row["not_before"])
            clock.set(max(clock.now(), _moment(row["not_before"])))

    (row,) = room.rows()
    assert (row["status"], row["attempts"]) == ("failed", 3)
    first, second = _moment(waits[0]), _moment(waits[1])
    assert second - first == timedelta(minutes=5)  # 1 minute, then 5, then given up


async def test_a_clean_restart_sends_nothing_twice(tmp_path: Path, clock: FakeClock) -> None:
    inbox = Inbox()
    async with smtp_server(inbox) as url:
        async with mailroom(tmp_path, clock, url) as room:
            await submit(room.follow_ups)
            assert await room.send() == 1
        async with mailroom(tmp_path, clock, url) as again:
            clock.advance(timedelta(hours=1))
            assert await again.send() == 0

    assert len(inbox.messages) == 1


async def test_stopping_finishes_and_records_the_message_in_hand(
    tmp_path: Path, clock: FakeClock
) -> None:
    inbox = Inbox()
    inbox.release = asyncio.Event()
    async with smtp_server(inbox) as url, mailroom(tmp_path, clock, url) as room:
        room.mail.start()  # the sender as the service runs it, woken by the commit
        await submit(room.follow_ups)
        await inbox.holding.wait()  # the server has the message, and has not answered
        stopping = asyncio.create_task(room.mail.stop())
        inbox.release.set()
        await stopping

        (row,) = room.rows()
    assert row["status"] == "sent"
    assert len(inbox.messages) == 1


async def test_a_crash_before_the_sent_mark_sends_it_once_more_under_the_same_message_id(
    tmp_path: Path, clock: FakeClock
) -> None:
    inbox = Inbox()
    async with smtp_server(inbox) as url:
        async with mailroom(tmp_path, clock, url) as room:
            await submit(room.follow_ups)
            with (
                record_of_sending_fails(tmp_path / "cpd.sqlite3"),
                pytest.raises(sqlite3.IntegrityError),
            ):
                await room.send()  # the server accepted it; our record of that failed
        async with mailroom(tmp_path, clock, url) as again:
            assert await again.send() == 1

    (row,) = again.rows()
    assert row["status"] == "sent"
    assert [m["Message-ID"] for m in inbox.messages] == [row["message_id"]] * 2


@contextmanager
def record_of_sending_fails(path: Path) -> Iterator[None]:
    """The sent mark cannot be written, as if the process died right before it."""
    with closing(sqlite3.connect(path)) as db:
        db.execute(
            "CREATE TRIGGER crash BEFORE UPDATE ON notifications WHEN NEW.status = 'sent'"
            " BEGIN SELECT RAISE(ABORT, 'crash before recording'); END"
        )
        db.commit()
        try:
            yield
        finally:
            db.execute("DROP TRIGGER crash")
            db.commit()


async def test_without_smtp_each_mail_is_an_eml_file_in_the_data_directory(
    tmp_path: Path, clock: FakeClock
) -> None:
    async with mailroom(tmp_path, clock) as room:
        await submit(room.follow_ups)
        assert await room.send() == 1

    (row,) = room.rows()
    (written,) = sorted((tmp_path / "mail").iterdir())
    assert written.name == f"{row['id']:08d}-{row['message_id'][1:].split('@')[0]}.eml"
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Message-ID"] == row["message_id"]
    assert subject(message) == row["subject"]
    assert f"{PUBLIC_URL}/forms/" in body(message, "plain")
    assert f"{PUBLIC_URL}/forms/" in body(message, "html")
    assert row["status"] == "sent"


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)
