"""Bank holidays of the school's nation, from the `holidays` library: never school days, in
term time or past the last date a term-dates file knows, so a calendar never runs out."""

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from scheduler.calendar import Holiday, SchoolCalendar, load_calendar
from schemas.directory import Nation

ENGLAND = load_calendar()  # the shipped file: its dates end with summer 2028
FRIDAY_22_DEC_2028 = date(2028, 12, 22)
CHRISTMAS_2028, BOXING_DAY_2028 = date(2028, 12, 25), date(2028, 12, 26)  # Monday, Tuesday
ST_ANDREWS_DAY_2028 = date(2028, 11, 30)  # a Thursday, past the shipped dates
ST_PATRICKS_DAY_2028 = date(2028, 3, 17)  # a Friday, inside them
ST_PATRICKS_DAY_2031 = date(2031, 3, 17)  # a Monday, years past them


def in_(nation: Nation) -> SchoolCalendar:
    return ENGLAND.for_nation(nation)


def test_the_shipped_term_dates_end_with_summer_2028() -> None:
    assert ENGLAND.term_dates_end == date(2028, 9, 1)


def test_christmas_2028_is_no_school_day_though_the_term_dates_end_before_it() -> None:
    assert not ENGLAND.is_school_day(CHRISTMAS_2028)
    assert not ENGLAND.is_school_day(BOXING_DAY_2028)
    assert ENGLAND.holiday_on(CHRISTMAS_2028) == Holiday(
        "Christmas Day", CHRISTMAS_2028, CHRISTMAS_2028
    )


def test_past_the_term_dates_an_ordinary_weekday_is_a_school_day() -> None:
    assert ENGLAND.is_school_day(date(2028, 10, 23))  # what would be half term: unknown
    assert ENGLAND.is_school_day(date(2028, 12, 27))
    assert not ENGLAND.is_school_day(date(2028, 12, 23))  # a Saturday stays a weekend


def test_counting_school_days_past_the_term_dates_skips_christmas() -> None:
    assert ENGLAND.add_school_days(FRIDAY_22_DEC_2028, 1) == date(2028, 12, 27)
    assert ENGLAND.next_school_day(CHRISTMAS_2028) == date(2028, 12, 27)
    assert ENGLAND.school_days_between(FRIDAY_22_DEC_2028, date(2028, 12, 29)) == 3


def test_a_calendar_decades_on_still_keeps_its_bank_holidays() -> None:
    assert not ENGLAND.is_school_day(date(2070, 12, 25))  # a Thursday
    assert ENGLAND.add_school_days(date(2070, 12, 24), 1) == date(2070, 12, 29)


@pytest.mark.parametrize(
    ("nation", "closed"),
    [
        (Nation.SCOTLAND, True),
        (Nation.ENGLAND, False),
        (Nation.WALES, False),
        (Nation.NORTHERN_IRELAND, False),
    ],
)
def test_st_andrews_day_is_closed_in_scotland_only(nation: Nation, closed: bool) -> None:
    assert in_(nation).is_school_day(ST_ANDREWS_DAY_2028) is not closed


@pytest.mark.parametrize("day", [ST_PATRICKS_DAY_2028, ST_PATRICKS_DAY_2031])
@pytest.mark.parametrize(
    ("nation", "closed"),
    [
        (Nation.NORTHERN_IRELAND, True),
        (Nation.ENGLAND, False),
        (Nation.WALES, False),
        (Nation.SCOTLAND, False),
    ],
)
def test_st_patricks_day_is_closed_in_northern_ireland_only(
    nation: Nation, closed: bool, day: date
) -> None:
    assert in_(nation).is_school_day(day) is not closed


def test_a_chase_in_scotland_waits_over_st_andrews_day() -> None:
    wednesday = date(2028, 11, 29)
    assert in_(Nation.SCOTLAND).add_school_days(wednesday, 2) == date(2028, 12, 4)
    assert in_(Nation.ENGLAND).add_school_days(wednesday, 2) == date(2028, 12, 1)
    assert in_(Nation.SCOTLAND).school_days_between(wednesday, date(2028, 12, 1)) == 1


def test_an_inset_day_on_a_bank_holiday_is_a_working_day_as_the_file_says() -> None:
    calendar = SchoolCalendar([], "training on the May Day", [date(2029, 5, 7)], nation="england")
    assert calendar.is_school_day(date(2029, 5, 7))
    assert calendar.holiday_on(date(2029, 5, 7)) is None


def test_a_calendar_without_a_nation_keeps_no_bank_holidays() -> None:
    assert SchoolCalendar().is_school_day(CHRISTMAS_2028)


def test_an_old_file_listing_a_bank_holiday_counts_it_once(tmp_path: Path) -> None:
    may_day = {"name": "Early May bank holiday 2026", "start": "2026-05-04", "end": "2026-05-04"}
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"holidays": [may_day]}), encoding="utf-8")
    calendar = load_calendar(path)
    monday = date(2026, 5, 4)
    assert calendar.holiday_on(monday) == Holiday(may_day["name"], monday, monday)
    assert calendar.school_days_between(date(2026, 5, 1), date(2026, 5, 8)) == 4
    assert calendar.add_school_days(date(2026, 5, 1), 1) == date(2026, 5, 5)


def random_calendar(seed: int, nation: Nation) -> tuple[random.Random, SchoolCalendar]:
    """Holidays and INSET days over 2025-2028, then years with bank holidays alone."""
    rng = random.Random(seed)
    holidays = []
    for n in range(40):
        start = date(2025, 9, 1) + timedelta(days=rng.randrange(0, 1100))
        holidays.append(Holiday(f"h{n}", start, start + timedelta(days=rng.randrange(0, 20))))
    days = (date(2025, 9, 1) + timedelta(days=rng.randrange(0, 1100)) for _ in range(60))
    inset = [d for d in days if d.weekday() < 5]
    return rng, SchoolCalendar(holidays, "random", inset, nation=nation)


@pytest.mark.parametrize("nation", list(Nation))
def test_adding_school_days_agrees_with_counting_one_day_at_a_time(nation: Nation) -> None:
    rng, calendar = random_calendar(2028, nation)
    for _ in range(200):
        day = date(2025, 8, 1) + timedelta(days=rng.randrange(0, 2000))
        count = rng.randrange(0, 200)
        expected, left = day, count
        while left:
            expected += timedelta(days=1)
            left -= calendar.is_school_day(expected)
        assert calendar.add_school_days(day, count) == expected, (day, count)


@pytest.mark.parametrize("nation", list(Nation))
def test_school_days_waited_agree_with_counting_one_day_at_a_time(nation: Nation) -> None:
    rng, calendar = random_calendar(1707, nation)
    for _ in range(200):
        since = date(2025, 8, 1) + timedelta(days=rng.randrange(0, 2000))
        until = since + timedelta(days=rng.randrange(-5, 400))
        days = (until - since).days
        expected = sum(
            calendar.is_school_day(since + timedelta(days=k)) for k in range(1, days + 1)
        )
        assert calendar.school_days_between(since, until) == expected, (since, until)


@pytest.mark.parametrize("nation", list(Nation))
def test_the_next_school_day_is_the_first_day_that_is_one(nation: Nation) -> None:
    rng, calendar = random_calendar(1603, nation)
    for _ in range(300):
        day = date(2025, 8, 1) + timedelta(days=rng.randrange(0, 2000))
        expected = day
        while not calendar.is_school_day(expected):
            expected += timedelta(days=1)
        assert calendar.next_school_day(day) == expected, day
