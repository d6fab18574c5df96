"""The school calendar: school days, skipping holidays, and loading term-dates files."""

import json
import random
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scheduler.calendar import (
    CalendarError,
    Holiday,
    SchoolCalendar,
    default_calendar_path,
    load_calendar,
)

LONDON = ZoneInfo("Europe/London")

CHRISTMAS_2026 = Holiday("Christmas 2026", date(2026, 12, 21), date(2027, 1, 1))
HALF_TERM_OCT_2026 = Holiday("Autumn half term 2026", date(2026, 10, 26), date(2026, 10, 30))
TERM = SchoolCalendar([CHRISTMAS_2026, HALF_TERM_OCT_2026], name="test")

THURSDAY = date(2026, 11, 5)
FRIDAY = date(2026, 11, 6)
SATURDAY = date(2026, 11, 7)
SUNDAY = date(2026, 11, 8)
MONDAY = date(2026, 11, 9)
TUESDAY = date(2026, 11, 10)


def write_term_dates(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "term_dates.json"
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return path


# --- school days ------------------------------------------------------------------------------


def test_a_weekday_in_term_is_a_school_day() -> None:
    assert TERM.is_school_day(THURSDAY)


def test_a_saturday_is_not_a_school_day() -> None:
    assert not TERM.is_school_day(SATURDAY)


def test_a_sunday_is_not_a_school_day() -> None:
    assert not TERM.is_school_day(SUNDAY)


def test_a_weekday_in_the_christmas_holidays_is_not_a_school_day() -> None:
    assert not TERM.is_school_day(date(2026, 12, 23))


def test_the_first_and_last_days_of_a_holiday_are_both_holiday() -> None:
    assert not TERM.is_school_day(CHRISTMAS_2026.start)
    assert not TERM.is_school_day(CHRISTMAS_2026.end)
    assert TERM.is_school_day(CHRISTMAS_2026.start - timedelta(days=3))  # the Friday before


def test_a_calendar_without_holidays_has_every_weekday_as_a_school_day() -> None:
    plain = SchoolCalendar()
    assert [plain.is_school_day(MONDAY + timedelta(days=n)) for n in range(7)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


def test_holiday_on_names_the_holiday_covering_a_day() -> None:
    assert TERM.holiday_on(date(2026, 12, 25)) == CHRISTMAS_2026
    assert TERM.holiday_on(date(2026, 10, 28)) == HALF_TERM_OCT_2026


def test_holiday_on_a_term_day_or_a_term_weekend_is_none() -> None:
    assert TERM.holiday_on(THURSDAY) is None
    assert TERM.holiday_on(SATURDAY) is None


def test_holiday_on_finds_a_short_holiday_inside_a_long_one() -> None:
    summer = Holiday("Summer", date(2026, 7, 22), date(2026, 9, 1))
    inset = Holiday("INSET day", date(2026, 8, 3), date(2026, 8, 3))
    later = Holiday("Half term", date(2026, 10, 26), date(2026, 10, 30))
    calendar = SchoolCalendar([later, inset, summer])
    assert calendar.holiday_on(date(2026, 8, 3)) == inset
    assert calendar.holiday_on(date(2026, 8, 20)) == summer
    assert calendar.holiday_on(date(2026, 9, 2)) is None


def test_holidays_are_kept_in_date_order() -> None:
    assert TERM.holidays == (HALF_TERM_OCT_2026, CHRISTMAS_2026)


# --- next school day --------------------------------------------------------------------------


def test_the_next_school_day_from_a_school_day_is_that_day() -> None:
    assert TERM.next_school_day(THURSDAY) == THURSDAY


def test_the_next_school_day_from_a_saturday_is_the_monday() -> None:
    assert TERM.next_school_day(SATURDAY) == MONDAY


def test_the_next_school_day_from_half_term_is_the_monday_after() -> None:
    assert TERM.next_school_day(date(2026, 10, 27)) == date(2026, 11, 2)


def test_the_next_school_day_from_christmas_day_is_the_first_day_of_spring_term() -> None:
    assert TERM.next_school_day(date(2026, 12, 25)) == date(2027, 1, 4)


def test_the_next_school_day_skips_back_to_back_holidays() -> None:
    calendar = SchoolCalendar(
        [
            Holiday("Bank holiday", date(2026, 5, 4), date(2026, 5, 4)),
            Holiday("Strike", date(2026, 5, 5), date(2026, 5, 6)),
            Holiday("Closure", date(2026, 5, 7), date(2026, 5, 8)),
            Holiday("Training", date(2026, 5, 11), date(2026, 5, 11)),
        ]
    )
    assert calendar.next_school_day(date(2026, 5, 4)) == date(2026, 5, 12)


def test_a_calendar_with_no_school_day_for_two_years_is_an_error() -> None:
    closed = SchoolCalendar([Holiday("Closed", date(2026, 1, 1), date(2029, 12, 31))])
    with pytest.raises(CalendarError, match="no school day"):
        closed.next_school_day(date(2026, 3, 2))
    with pytest.raises(CalendarError, match="no school day"):
        closed.add_school_days(date(2025, 12, 1), 40)


# --- adding school days -----------------------------------------------------------------------


def test_zero_school_days_after_a_day_is_that_day() -> None:
    assert TERM.add_school_days(THURSDAY, 0) == THURSDAY
    assert TERM.add_school_days(SATURDAY, 0) == SATURDAY


def test_one_school_day_after_a_friday_is_the_next_monday() -> None:
    assert TERM.add_school_days(FRIDAY, 1) == MONDAY


def test_three_school_days_after_a_thursday_is_the_next_tuesday() -> None:
    assert TERM.add_school_days(THURSDAY, 3) == TUESDAY


def test_one_school_day_after_a_saturday_is_the_monday() -> None:
    assert TERM.add_school_days(SATURDAY, 1) == MONDAY


def test_five_school_days_after_a_wednesday_is_the_next_wednesday() -> None:
    assert TERM.add_school_days(date(2026, 11, 4), 5) == date(2026, 11, 11)


def test_school_days_counted_from_the_last_friday_of_term_resume_after_christmas() -> None:
    assert TERM.add_school_days(date(2026, 12, 18), 1) == date(2027, 1, 4)
    assert TERM.add_school_days(date(2026, 12, 17), 3) == date(2027, 1, 5)


def test_school_days_counted_from_inside_a_holiday_start_after_it() -> None:
    assert TERM.add_school_days(date(2026, 12, 24), 1) == date(2027, 1, 4)
    assert TERM.add_school_days(date(2026, 12, 24), 2) == date(2027, 1, 5)


def test_ten_school_days_span_half_term() -> None:
    # Mon 19 Oct + 10 school days: 20-23 Oct (4), half term, 2-6 Nov (5), Mon 9 Nov (1).
    assert TERM.add_school_days(date(2026, 10, 19), 10) == date(2026, 11, 9)


def test_a_negative_number_of_school_days_is_refused() -> None:
    with pytest.raises(ValueError, match="count"):
        TERM.add_school_days(THURSDAY, -1)


def test_adding_school_days_agrees_with_counting_one_day_at_a_time() -> None:
    rng = random.Random(2026)
    holidays = []
    for n in range(60):
        start = date(2025, 9, 1) + timedelta(days=rng.randrange(0, 1100))
        holidays.append(Holiday(f"h{n}", start, start + timedelta(days=rng.randrange(0, 20))))
    calendar = SchoolCalendar(holidays)
    for _ in range(300):
        day = date(2025, 8, 1) + timedelta(days=rng.randrange(0, 1200))
        count = rng.randrange(0, 200)
        expected, left = day, count
        while left:
            expected += timedelta(days=1)
            left -= calendar.is_school_day(expected)
        assert calendar.add_school_days(day, count) == expected, (day, count)


# --- school days waited -----------------------------------------------------------------------


def test_nothing_has_been_waited_on_the_same_day_or_before_it() -> None:
    assert TERM.school_days_between(THURSDAY, THURSDAY) == 0
    assert TERM.school_days_between(FRIDAY, THURSDAY) == 0


def test_from_friday_to_monday_is_one_school_day_waited() -> None:
    assert TERM.school_days_between(FRIDAY, MONDAY) == 1
    assert TERM.school_days_between(SATURDAY, MONDAY) == 1


def test_half_term_is_not_counted_as_waiting() -> None:
    # Friday 23 October to Monday 2 November 2026, half term between.
    assert TERM.school_days_between(date(2026, 10, 23), date(2026, 11, 2)) == 1


def test_the_christmas_holidays_are_not_counted_as_waiting() -> None:
    assert TERM.school_days_between(date(2026, 12, 18), date(2027, 1, 4)) == 1


def test_school_days_waited_agree_with_counting_one_day_at_a_time() -> None:
    rng = random.Random(1066)
    holidays = []
    for n in range(60):
        start = date(2025, 9, 1) + timedelta(days=rng.randrange(0, 1100))
        holidays.append(Holiday(f"h{n}", start, start + timedelta(days=rng.randrange(0, 20))))
    calendar = SchoolCalendar(holidays)
    for _ in range(300):
        since = date(2025, 8, 1) + timedelta(days=rng.randrange(0, 1200))
        until = since + timedelta(days=rng.randrange(-5, 300))
        days = (until - since).days
        expected = sum(
            calendar.is_school_day(since + timedelta(days=k)) for k in range(1, days + 1)
        )
        assert calendar.school_days_between(since, until) == expected, (since, until)


# --- moving reminders -------------------------------------------------------------------------


def test_a_reminder_on_a_school_day_is_unchanged() -> None:
    moment = datetime(2026, 11, 5, 9, 30, tzinfo=LONDON)
    assert TERM.move_to_school_day(moment) is moment


def test_a_reminder_on_a_saturday_moves_to_the_same_time_on_monday() -> None:
    moment = datetime(2026, 11, 7, 16, 45, tzinfo=LONDON)
    assert TERM.move_to_school_day(moment) == datetime(2026, 11, 9, 16, 45, tzinfo=LONDON)


def test_a_reminder_falling_in_the_christmas_holidays_moves_to_the_first_day_of_spring_term() -> (
    None
):
    moment = datetime(2026, 12, 23, 8, 0, tzinfo=LONDON)
    moved = TERM.move_to_school_day(moment)
    assert moved == datetime(2027, 1, 4, 8, 0, tzinfo=LONDON)
    assert moved.tzinfo is LONDON


def test_a_reminder_keeps_its_wall_clock_time_across_the_clocks_going_back() -> None:
    # Half term 2026 spans the end of British Summer Time (Sunday 25 October).
    moment = datetime(2026, 10, 24, 9, 0, tzinfo=LONDON)  # Saturday, BST
    moved = TERM.move_to_school_day(moment)
    assert moved.date() == date(2026, 11, 2)
    assert (moved.hour, moved.minute) == (9, 0)
    assert moved.utcoffset() == timedelta(0)  # GMT by then


def test_a_reminder_uses_its_own_time_zone_to_decide_the_day() -> None:
    # 08:30 on Saturday in Tokyo is still Friday 23:30 in UTC, but Tokyo's date decides.
    tokyo = ZoneInfo("Asia/Tokyo")
    moment = datetime(2026, 11, 7, 8, 30, tzinfo=tokyo)
    assert TERM.move_to_school_day(moment) == datetime(2026, 11, 9, 8, 30, tzinfo=tokyo)


def test_a_naive_reminder_is_moved_as_a_wall_clock_time() -> None:
    assert TERM.move_to_school_day(datetime(2026, 11, 8, 7, 0)) == datetime(2026, 11, 9, 7, 0)


# --- loading term-dates files -----------------------------------------------------------------


def test_a_custom_term_dates_file_is_loaded(tmp_path: Path) -> None:
    path = write_term_dates(
        tmp_path,
        {
            "name": "Oakwood Academy Trust",
            "note": "our own dates",
            "holidays": [
                {"name": "INSET day", "start": "2026-11-06", "end": "2026-11-06"},
                {"name": "Christmas 2026", "start": "2026-12-21", "end": "2027-01-01"},
            ],
        },
    )
    calendar = load_calendar(path)
    assert calendar.name == "Oakwood Academy Trust"
    assert len(calendar.holidays) == 2
    assert not calendar.is_school_day(FRIDAY)
    assert calendar.add_school_days(THURSDAY, 1) == MONDAY
    assert calendar.holiday_on(date(2026, 12, 31)) == CHRISTMAS_2026


def test_a_term_dates_file_without_a_name_loads_with_an_empty_name(tmp_path: Path) -> None:
    assert load_calendar(write_term_dates(tmp_path, {"holidays": []})).name == ""


def test_a_file_that_is_not_json_is_a_calendar_error_naming_the_file(tmp_path: Path) -> None:
    path = write_term_dates(tmp_path, '{"holidays": [')
    with pytest.raises(CalendarError, match="not valid JSON") as caught:
        load_calendar(path)
    assert str(path) in str(caught.value)


def test_a_missing_file_is_a_calendar_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    with pytest.raises(CalendarError, match="cannot read") as caught:
        load_calendar(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("content", [[], {"name": "x"}, {"holidays": {"a": 1}}])
def test_a_file_without_a_holidays_list_is_a_calendar_error(tmp_path: Path, content: Any) -> None:
    with pytest.raises(CalendarError, match="'holidays' list"):
        load_calendar(write_term_dates(tmp_path, content))


def test_a_holiday_missing_its_end_is_a_calendar_error_naming_the_entry(tmp_path: Path) -> None:
    path = write_term_dates(
        tmp_path,
        {
            "holidays": [
                {"name": "Half term", "start": "2026-10-26", "end": "2026-10-30"},
                {"name": "Christmas", "start": "2026-12-21"},
            ]
        },
    )
    with pytest.raises(CalendarError, match=r"holidays\[1\] \('Christmas'\): missing 'end'") as e:
        load_calendar(path)
    assert str(path) in str(e.value)


def test_a_holiday_that_is_not_an_object_is_a_calendar_error(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match=r"holidays\[0\]: expected an object"):
        load_calendar(write_term_dates(tmp_path, {"holidays": ["Christmas"]}))


def test_a_holiday_without_a_name_is_a_calendar_error(tmp_path: Path) -> None:
    path = write_term_dates(tmp_path, {"holidays": [{"start": "2026-12-21", "end": "2027-01-01"}]})
    with pytest.raises(CalendarError, match="missing 'name'"):
        load_calendar(path)


def test_a_holiday_ending_before_it_starts_is_a_calendar_error(tmp_path: Path) -> None:
    path = write_term_dates(
        tmp_path, {"holidays": [{"name": "Easter", "start": "2027-04-09", "end": "2027-03-26"}]}
    )
    with pytest.raises(CalendarError, match=r"\('Easter'\): end 2027-03-26 is before start"):
        load_calendar(path)


@pytest.mark.parametrize("bad", ["21/12/2026", "2026-02-30", "", 20261221, None])
def test_an_unparseable_date_is_a_calendar_error(tmp_path: Path, bad: Any) -> None:
    path = write_term_dates(
        tmp_path, {"holidays": [{"name": "Christmas", "start": bad, "end": "2027-01-01"}]}
    )
    with pytest.raises(CalendarError, match=r"\('Christmas'\): start .* is not a YYYY-MM-DD date"):
        load_calendar(path)


def test_a_holiday_built_in_code_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(CalendarError, match="before it starts"):
        Holiday("Backwards", date(2026, 5, 2), date(2026, 5, 1))


def test_a_calendar_error_is_a_value_error() -> None:
    assert issubclass(CalendarError, ValueError)


# --- the shipped England default --------------------------------------------------------------


def test_the_default_path_is_the_shipped_england_file() -> None:
    assert default_calendar_path().name == "england_term_dates.json"
    assert default_calendar_path().is_file()


def test_the_shipped_default_loads() -> None:
    calendar = load_calendar()
    assert calendar.name.startswith("England")
    assert len(calendar.holidays) >= 18


def test_the_shipped_default_says_its_dates_are_typical_and_mentions_inset_days() -> None:
    data = json.loads(default_calendar_path().read_text(encoding="utf-8"))
    assert "typical" in data["note"].lower()
    assert "INSET" in data["note"]


def test_the_shipped_default_has_no_overlapping_holidays() -> None:
    holidays = load_calendar().holidays
    for earlier, later in pairwise(holidays):
        assert earlier.end < later.start, (earlier, later)


def test_every_holiday_in_the_shipped_default_is_a_plausible_span() -> None:
    for holiday in load_calendar().holidays:
        assert timedelta(0) <= holiday.end - holiday.start <= timedelta(weeks=7), holiday
        assert holiday.start.weekday() < 5 and holiday.end.weekday() < 5, holiday


def test_the_shipped_default_covers_three_academic_years() -> None:
    calendar = load_calendar()
    for year in (2025, 2026, 2027):
        names = {
            h.name for h in calendar.holidays if date(year, 9, 1) <= h.start < date(year + 1, 9, 1)
        }
        for kind in (
            "Autumn half term",
            "Christmas",
            "February half term",
            "Easter",
            "May half term",
            "Summer",
        ):
            assert any(n.startswith(kind) for n in names), (year, kind)


@pytest.mark.parametrize(
    ("good_friday", "easter_monday"),
    [
        (date(2026, 4, 3), date(2026, 4, 6)),
        (date(2027, 3, 26), date(2027, 3, 29)),
        (date(2028, 4, 14), date(2028, 4, 17)),
    ],
)
def test_the_shipped_easter_holidays_include_good_friday_and_easter_monday(
    good_friday: date, easter_monday: date
) -> None:
    calendar = load_calendar()
    for day in (good_friday, easter_monday):
        holiday = calendar.holiday_on(day)
        assert holiday is not None and holiday.name.startswith("Easter"), day


@pytest.mark.parametrize("early_may", [date(2026, 5, 4), date(2027, 5, 3), date(2028, 5, 1)])
def test_the_early_may_bank_holiday_is_no_school_day_though_the_file_no_longer_lists_it(
    early_may: date,
) -> None:
    calendar = load_calendar()
    assert not calendar.is_school_day(early_may)
    assert calendar.holiday_on(early_may) == Holiday("May Day", early_may, early_may)
    assert not any("bank holiday" in h.name.lower() for h in calendar.holidays)


def test_the_shipped_default_starts_spring_term_2027_on_monday_4_january() -> None:
    calendar = load_calendar()
    assert calendar.next_school_day(date(2026, 12, 21)) == date(2027, 1, 4)
