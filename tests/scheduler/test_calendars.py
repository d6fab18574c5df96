"""Every school's calendar: the term-dates directory read at start, a school's own file and
nation from its directory record, and the warnings before a file's dates run out."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduler.calendar import SchoolCalendar, load_calendar
from scheduler.calendar_coverage import CoverageWatch, term_dates_warning, term_dates_warnings
from scheduler.calendars import Calendars, load_calendars
from scheduler.term_dates import CalendarError
from schemas.directory import Nation
from tests.workflow.builders import open_store
from tests.workflow.directory_builders import school
from workflow.clock import FakeClock

LONDON = ZoneInfo("Europe/London")
ST_ANDREWS_DAY_2028 = date(2028, 11, 30)
OAKWOOD = {"name": "Oakwood", "holidays": [], "inset": ["2029-01-02"]}  # known to 2 Jan 2029


def write(directory: Path, name: str, content: Any) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


def test_every_json_file_of_the_directory_is_a_calendar_named_by_its_file(tmp_path: Path) -> None:
    write(tmp_path / "dates", "oakwood.json", OAKWOOD)
    write(tmp_path / "dates", "notes.txt", "not a calendar")
    calendars = load_calendars(None, tmp_path / "dates")

    assert calendars.names() == {"oakwood.json"}
    assert calendars.calendar("oakwood.json").name == "Oakwood"
    assert calendars.calendar().source == "england_term_dates.json"
    assert [c.source for c in calendars] == ["england_term_dates.json", "oakwood.json"]


def test_without_a_directory_no_file_may_be_named(tmp_path: Path) -> None:
    assert load_calendars().names() is None


def test_a_broken_file_in_the_directory_is_a_calendar_error_naming_it(tmp_path: Path) -> None:
    write(tmp_path / "dates", "oakwood.json", OAKWOOD)
    broken = write(tmp_path / "dates", "walmley.json", {"holidays": [{"name": "Summer"}]})
    with pytest.raises(CalendarError, match="missing 'start', 'end'") as caught:
        load_calendars(None, tmp_path / "dates")
    assert str(caught.value).startswith(str(broken))


def test_a_directory_that_is_not_there_is_a_calendar_error(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="CPD_TERM_DATES_DIR is not a directory"):
        load_calendars(None, tmp_path / "missing")


def test_a_school_gets_its_own_file_with_its_nations_bank_holidays(tmp_path: Path) -> None:
    write(tmp_path / "dates", "oakwood.json", OAKWOOD)
    calendars = load_calendars(None, tmp_path / "dates")

    scottish = calendars.calendar("oakwood.json", "scotland")
    assert scottish.is_school_day(date(2029, 1, 2))  # a Scottish bank holiday, worked as INSET
    assert not scottish.is_school_day(ST_ANDREWS_DAY_2028)
    assert calendars.calendar("oakwood.json").is_school_day(ST_ANDREWS_DAY_2028)
    assert calendars.calendar(None, "scotland").source == "england_term_dates.json"
    assert calendars.calendar("gone.json", "wales").source == "england_term_dates.json"


def test_one_calendar_handed_over_serves_every_school_as_it_is() -> None:
    plain = SchoolCalendar(name="no bank holidays")
    calendars = Calendars(plain, per_nation=False)
    assert calendars.calendar("oakwood.json", "scotland") is plain


async def test_a_schools_calendar_follows_its_directory_record(tmp_path: Path) -> None:
    write(tmp_path / "dates", "oakwood.json", OAKWOOD)
    calendars = load_calendars(None, tmp_path / "dates")
    now = datetime(2028, 11, 1, 9, tzinfo=LONDON)
    async with open_store(tmp_path / "cpd.sqlite3", FakeClock(now)) as store:
        store.directory.term_dates = calendars.names
        upserted = school("S-OAK", nation="scotland", term_dates="oakwood.json")
        assert (await store.apply(upserted)).status.status == "applied"

        async def calendar_of(school_id: str) -> SchoolCalendar:
            return await store.on_reader(calendars.for_school, school_id, now)

        oakwood = await calendar_of("S-OAK")
        assert (oakwood.name, oakwood.is_school_day(ST_ANDREWS_DAY_2028)) == ("Oakwood", False)
        unknown = await calendar_of("S-NEVER-UPSERTED")
        assert (unknown.source, unknown.is_school_day(ST_ANDREWS_DAY_2028)) == (
            "england_term_dates.json",
            True,
        )


# --- warnings before the dates run out --------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2028, 6, 2), None),  # 91 days before the end
        (date(2028, 6, 3), "england_term_dates.json end on 2028-09-01 (in 90 days)"),
        (date(2028, 8, 31), "england_term_dates.json end on 2028-09-01 (in 1 day)"),
        (date(2028, 9, 1), "england_term_dates.json end on 2028-09-01 (in 0 days)"),
        (date(2028, 12, 25), "england_term_dates.json ended on 2028-09-01 (115 days ago)"),
    ],
)
def test_a_calendar_warns_from_90_days_before_its_term_dates_end(
    today: date, expected: str | None
) -> None:
    warning = term_dates_warning(load_calendar(), today)
    if expected is None:
        assert warning is None
    else:
        assert warning is not None and f"term dates {expected}" in warning
        assert "only weekends and bank holidays are kept" in warning


def test_a_file_without_any_dates_warns_that_it_has_none(tmp_path: Path) -> None:
    empty = load_calendar(write(tmp_path, "empty.json", {"holidays": []}))
    assert term_dates_warning(empty, date(2026, 1, 5)) == (
        "term dates empty.json list no holidays or INSET days:"
        " only weekends and bank holidays are kept"
    )


def test_each_file_running_out_is_warned_of_once(tmp_path: Path) -> None:
    write(tmp_path / "dates", "oakwood.json", OAKWOOD)
    write(tmp_path / "dates", "walmley.json", {"holidays": [], "inset": ["2031-01-06"]})
    calendars = load_calendars(None, tmp_path / "dates")

    warnings = term_dates_warnings(calendars, date(2028, 11, 1))
    assert [w.split(" ")[2] for w in warnings] == ["england_term_dates.json", "oakwood.json"]


def test_the_daily_check_logs_each_warning_for_the_clocks_today(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock(datetime(2028, 1, 10, 9, tzinfo=LONDON))
    watch = CoverageWatch(load_calendars(), clock, LONDON)
    with caplog.at_level(logging.WARNING, logger="cpd.calendar"):
        assert watch.check() == []
        clock.set(datetime(2028, 7, 1, 5, 30, tzinfo=LONDON))
        [warning] = watch.check()
    assert [r.getMessage() for r in caplog.records] == [warning]
    assert caplog.records[0].levelname == "WARNING"
    assert "end on 2028-09-01 (in 62 days)" in warning


def test_a_nation_is_one_of_the_four() -> None:
    assert [n.value for n in Nation] == ["england", "wales", "scotland", "northern_ireland"]
