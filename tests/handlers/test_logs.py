"""The service's log: JSON lines or text, each line about an event naming its request, event
id and type; and an idle service says nothing at INFO once it has started."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from handlers.logs import CHATTY, configure_logging
from handlers.service import Service
from handlers.settings import Settings
from schemas import parse_inbound
from tests.lifecycle import event, lifecycle, load_directory
from workflow import log_context
from workflow.clock import FakeClock


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """Where the log is written; the logging set-up is put back as it was afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in CHATTY}
    yield io.StringIO()
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, was in levels.items():
        logging.getLogger(name).setLevel(was)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


async def test_json_lines_name_the_request_event_and_type_of_an_applied_and_a_refused_event(
    log: io.StringIO, client: httpx.AsyncClient
) -> None:
    configure_logging(Settings(log_format="json", log_level="DEBUG"), log)
    submitted = lifecycle("REQ-L1")[0]
    own_approval = event("head_approved", "REQ-L1", "T-042")

    assert (await client.post("/events?wait=true", json=submitted)).status_code == 200
    assert (await client.post("/events?wait=true", json=own_approval)).status_code == 409

    lines = json_lines(log.getvalue())  # every line parses
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    applied = [line for line in lines if line.get("event_id") == submitted["id"]]
    refused = [line for line in lines if line.get("event_id") == own_approval["id"]]
    assert any(line["message"].startswith("applied") for line in applied)
    (refusal,) = [line for line in refused if line["level"] == "INFO"]
    assert refusal["message"].startswith("refused cpd.request.head_approved")
    assert (refusal["request_id"], refusal["event_type"]) == ("REQ-L1", own_approval["type"])
    assert all(line["request_id"] == "REQ-L1" for line in applied + refused)


async def test_text_lines_carry_the_same_ids(log: io.StringIO, client: httpx.AsyncClient) -> None:
    configure_logging(Settings(log_format="text", log_level="INFO"), log)
    own_approval = event("head_approved", "REQ-L2", "T-042")
    await client.post("/events?wait=true", json=lifecycle("REQ-L2")[0])
    await client.post("/events?wait=true", json=own_approval)

    # The refusal only (an applied step is not news at INFO); the test's own client logs too.
    (line,) = [line for line in log.getvalue().splitlines() if "httpx" not in line]
    assert " INFO cpd.processing: refused cpd.request.head_approved: " in line
    ids = f"[request_id=REQ-L2 event_id={own_approval['id']} event_type={own_approval['type']}]"
    assert line.endswith(ids)


def test_a_json_line_carries_the_exception_and_a_line_about_nothing_carries_no_ids(
    log: io.StringIO,
) -> None:
    configure_logging(Settings(log_format="json"), log)
    with log_context.about(request_id="REQ-9", event_id="e-9"):
        try:
            raise ValueError("bad row")
        except ValueError:
            logging.getLogger("cpd.test").exception("could not apply")
    logging.getLogger("cpd.test").warning("nothing in particular")

    about, plain = json_lines(log.getvalue())
    assert (about["request_id"], about["event_id"], about["level"]) == ("REQ-9", "e-9", "ERROR")
    assert "ValueError: bad row" in about["exception"]
    assert "event_type" not in about
    assert set(plain) == {"time", "level", "logger", "message"}


def test_library_chatter_is_heard_only_when_debugging(log: io.StringIO) -> None:
    configure_logging(Settings(log_level="INFO"), log)
    assert not logging.getLogger("apscheduler.scheduler").isEnabledFor(logging.INFO)
    assert not logging.getLogger("faststream.access.nats").isEnabledFor(logging.INFO)
    assert logging.getLogger("apscheduler").isEnabledFor(logging.WARNING)

    configure_logging(Settings(log_level="DEBUG"), log)
    assert logging.getLogger("apscheduler.scheduler").isEnabledFor(logging.DEBUG)
    logging.getLogger("cpd.test").warning("said once")
    assert log.getvalue().count("said once") == 1  # configured again, not twice over


async def test_an_idle_service_writes_nothing_at_info_after_starting(
    log: io.StringIO, tmp_path: Path
) -> None:
    configure_logging(Settings(log_format="json", log_level="INFO"), log)
    clock = FakeClock(datetime.now(UTC))
    service = Service(Settings(data_dir=tmp_path / "data"), clock=clock)
    await service.start()
    try:
        await load_directory(service.store)
        await service.store.apply(parse_inbound(lifecycle("REQ-L3")[0]))  # a chase to come
        started = len(log.getvalue())
        assert service.waker is not None
        for _ in range(8):  # the scheduler wakes daily, follow-ups are checked and fire
            clock.advance(timedelta(days=1))
            await service.waker.wake()
            await service.mail.sender.send_due()
        idle = log.getvalue()[started:]
        history = await service.store.history("REQ-L3")
        sent = await service.mail.listed("sent", 10)
    finally:
        await service.stop()

    assert any(entry.outcome == "reminder" for entry in history)  # it was busy, unasked
    assert sent, "the reminder's mail went"
    assert json_lines(idle) == []
    assert "cpd-workflow ready" in log.getvalue()[:started]  # start-up says so, once
