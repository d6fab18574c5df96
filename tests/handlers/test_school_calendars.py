"""Each school's own calendar: its term-dates file and its nation's bank holidays, as the
staff directory's `school.upserted` names them, read from CPD_TERM_DATES_DIR at start."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from scheduler.calendar import CalendarError
from tests.lifecycle import SCHOOL, directory_event, event, load_directory, submitted_data
from workflow.clock import FakeClock

LONDON = ZoneInfo("Europe/London")
# Years ahead of the real clock the waker's alarms run on, so none goes off by itself.
TUESDAY_27_NOV_2040 = datetime(2040, 11, 27, 9, tzinfo=LONDON)
WALMLEY_TERM_DATES = {
    "name": "Walmley Infant School",
    "holidays": [{"name": "Closed for polling", "start": "2040-11-28", "end": "2040-11-28"}],
    "inset": ["2040-09-03"],
}


def walmley(**fields: Any) -> dict[str, Any]:
    """The school's record again, with `fields`: a new event (its own id) each time."""
    data = {"school_id": SCHOOL, "name": "Walmley Infant School", "trust_id": "TR-OAKS"}
    body = directory_event("school.upserted", SCHOOL, {**data, **fields})
    return {**body, "id": str(uuid.uuid4())}


def term_dates_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "term-dates"
    directory.mkdir()
    (directory / "walmley.json").write_text(json.dumps(WALMLEY_TERM_DATES), encoding="utf-8")
    (directory / "README.txt").write_text("one JSON file per school calendar", encoding="utf-8")
    return directory


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    settings = Settings(data_dir=tmp_path / "data", term_dates_dir=term_dates_dir(tmp_path))
    service = Service(settings, clock=FakeClock(TUESDAY_27_NOV_2040))
    try:
        await service.start()
        await load_directory(service.store)
        yield service
    finally:
        await service.stop()


@pytest.fixture
async def client(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
        yield http


async def post(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    """What became of the event, as the service recorded it (applied, or rejected with
    its code and reason)."""
    answer = await client.post("/events?wait=true", json=body)
    assert answer.status_code in (200, 409), answer.text
    recorded = await client.get(f"/events/{body['id']}")
    assert recorded.status_code == 200, recorded.text
    status: dict[str, Any] = recorded.json()
    return status


async def test_a_school_upserted_with_a_nation_and_term_dates_is_applied_and_shown(
    client: httpx.AsyncClient,
) -> None:
    status = await post(client, walmley(nation="scotland", term_dates="walmley.json"))
    assert status["status"] == "applied", status

    shown = (await client.get(f"/schools/{SCHOOL}")).json()
    assert (shown["nation"], shown["term_dates"]) == ("scotland", "walmley.json")


async def test_a_school_upserted_as_before_keeps_the_default_calendar(
    client: httpx.AsyncClient,
) -> None:
    shown = (await client.get(f"/schools/{SCHOOL}")).json()
    assert (shown["nation"], shown["term_dates"]) == (None, None)


async def test_a_requests_chase_falls_due_on_its_own_schools_school_days(
    client: httpx.AsyncClient, service: Service
) -> None:
    await post(client, walmley(nation="scotland", term_dates="walmley.json"))
    await post(client, event("submitted", "REQ-1", "T-042", submitted_data()))

    [waiting] = (await client.get("/requests/REQ-1/follow-ups")).json()["follow_ups"]
    # Three school days from Tuesday 27 November: not Wednesday (closed for polling in the
    # school's file), Thursday, not Friday (St Andrew's Day, a Scottish bank holiday),
    # Monday, Tuesday 4 December; by the default calendar it would be Friday 30 November.
    assert datetime.fromisoformat(waiting["due_at"]) == datetime(2040, 12, 4, 9, tzinfo=LONDON)
    assert service.calendar.add_school_days(date(2040, 11, 27), 3) == date(2040, 11, 30)


async def test_the_head_queue_counts_the_wait_in_its_schools_school_days(
    client: httpx.AsyncClient, service: Service
) -> None:
    await post(client, walmley(nation="scotland", term_dates="walmley.json"))
    await post(client, event("submitted", "REQ-2", "T-042", submitted_data()))
    assert isinstance(service.clock, FakeClock)
    service.clock.set(datetime(2040, 12, 3, 9, tzinfo=LONDON))

    answer = await client.get("/queues/head", params={"school_id": SCHOOL})
    [waiting] = answer.json()["items"]
    # Since Tuesday: Thursday and Monday; Wednesday was closed, Friday St Andrew's Day.
    assert (waiting["request_id"], waiting["days_waiting"]) == ("REQ-2", 2)


@pytest.mark.parametrize(
    ("term_dates", "rule"),
    [
        ("../walmley.json", "term_dates.file_name"),
        ("/etc/passwd", "term_dates.file_name"),
        ("sub/walmley.json", "term_dates.file_name"),
        ("oakwood.json", "term_dates.known_file"),
        ("README.txt", "term_dates.known_file"),
    ],
)
async def test_a_term_dates_value_that_is_not_a_file_of_the_directory_is_refused(
    client: httpx.AsyncClient, term_dates: str, rule: str
) -> None:
    status = await post(client, walmley(term_dates=term_dates))

    assert (status["status"], status["code"]) == ("rejected", "unknown_term_dates"), status
    assert f"term_dates '{term_dates}'" in status["reason"] and rule in status["reason"]
    shown = (await client.get(f"/schools/{SCHOOL}")).json()
    assert shown["term_dates"] is None  # the record stays as it was


async def test_an_unknown_term_dates_file_is_refused_naming_the_files_there(
    client: httpx.AsyncClient,
) -> None:
    status = await post(client, walmley(term_dates="oakwood.json"))
    assert "(files: walmley.json;" in status["reason"] and "restart" in status["reason"]


async def test_term_dates_are_refused_when_no_term_dates_directory_is_set(tmp_path: Path) -> None:
    service = Service(Settings(data_dir=tmp_path / "data"), clock=FakeClock(TUESDAY_27_NOV_2040))
    await service.start()
    try:
        await load_directory(service.store)
        transport = httpx.ASGITransport(app=create_app(service))
        async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
            status = await post(client, walmley(term_dates="walmley.json"))
            assert (status["status"], status["code"]) == ("rejected", "unknown_term_dates")
            assert "CPD_TERM_DATES_DIR is not set" in status["reason"]
            assert (await post(client, walmley(nation="wales")))["status"] == "applied"
    finally:
        await service.stop()


async def test_a_broken_file_in_the_term_dates_directory_stops_the_start_naming_it(
    tmp_path: Path,
) -> None:
    directory = term_dates_dir(tmp_path)
    (directory / "oakwood.json").write_text('{"holidays": [', encoding="utf-8")
    service = Service(Settings(data_dir=tmp_path / "data", term_dates_dir=directory))

    with pytest.raises(CalendarError, match=r"oakwood\.json: not valid JSON"):
        await service.start()


async def test_the_start_warns_when_the_default_term_dates_run_out_within_90_days(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(datetime(2028, 7, 1, 9, tzinfo=LONDON))
    service = Service(Settings(data_dir=tmp_path / "data"), clock=clock)
    with caplog.at_level(logging.WARNING, logger="cpd.calendar"):
        await service.start()
    try:
        [warning] = [r.getMessage() for r in caplog.records if r.name == "cpd.calendar"]
        assert "england_term_dates.json end on 2028-09-01 (in 62 days)" in warning
        assert service.calendar_warnings() == [warning]

        clock.set(datetime(2028, 12, 1, 9, tzinfo=LONDON))
        [later] = service.calendar_warnings()
        assert "ended on 2028-09-01 (91 days ago)" in later
    finally:
        await service.stop()
