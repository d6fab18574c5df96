"""`cpd notifications`: list mail, and send a failed one again, on the data directory's file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from handlers.cli import main
from tests.handlers.mail_helpers import Mailroom, mailroom
from tests.mail_server import Inbox, smtp_server
from tests.scheduler.helpers import MONDAY_4_JAN, move, submit
from workflow.clock import FakeClock

REFUSED = "550 5.1.1 mailbox unavailable"


@pytest.fixture
async def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
async def room(tmp_path: Path, inbox: Inbox) -> AsyncIterator[Mailroom]:
    """A sent mail (the new request's) and a refused one (the requester's approval)."""
    clock = FakeClock(MONDAY_4_JAN)
    async with smtp_server(inbox) as url, mailroom(tmp_path, clock, url) as room:
        await submit(room.follow_ups)
        await room.send()
        inbox.answers = [REFUSED]
        await move(room.follow_ups, "cpd.request.head_approved")
        await room.send()  # the requester's is refused; the executive lead's goes
        yield room


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["notifications", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


async def test_it_lists_sent_and_failed_mail_with_the_servers_answer(
    room: Mailroom, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--data-dir", str(room.data_dir))

    assert code == 0
    assert out.count(" sent ") == 2 and out.count(" failed ") == 1
    assert f"last error: {REFUSED}" in out
    assert "Approved by your head teacher: Teaching reading in Key Stage 2" in out


async def test_status_lists_only_mail_in_that_state(
    room: Mailroom, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--status", "failed", "--data-dir", str(room.data_dir))

    assert code == 0
    assert " failed " in out and " sent " not in out


async def test_retry_queues_a_failed_mail_again_and_the_service_sends_it(
    room: Mailroom, inbox: Inbox, capsys: pytest.CaptureFixture[str]
) -> None:
    (failed,) = room.rows(status="failed")
    code, out, _ = run(capsys, "retry", str(failed["id"]), "--data-dir", str(room.data_dir))

    assert code == 0 and f"notification {failed['id']}: queued again" in out
    assert room.rows(id=failed["id"])[0]["status"] == "queued"
    assert await room.send() == 1
    assert inbox.messages[-1]["Message-ID"] == failed["message_id"]
    assert room.rows(id=failed["id"])[0]["status"] == "sent"


async def test_retrying_mail_that_has_not_failed_changes_nothing(
    room: Mailroom, capsys: pytest.CaptureFixture[str]
) -> None:
    sent = room.rows(status="sent")[0]
    code, _, err = run(capsys, "--data-dir", str(room.data_dir), "retry", str(sent["id"]))

    assert code == 1 and "is sent, not failed" in err
    assert room.rows(id=sent["id"])[0]["status"] == "sent"
    code, _, err = run(capsys, "retry", "999", "--data-dir", str(room.data_dir))
    assert code == 1 and "does not exist" in err


def test_without_a_database_it_says_where_it_looked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "nowhere"))

    assert code == 2 and "no database at" in err
