"""Report periods: terms named by their calendar year, academic years, date ranges; every
date in exactly one term; a bad value names its parameter."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from workflow.reports.periods import (
    InvalidPeriod,
    TermDates,
    academic_year,
    date_range,
    spring_ends_from,
    term,
)

# The shipped England calendar's Easter holidays (scheduler/england_term_dates.json).
EASTER_HOLIDAYS = [
    (date(2026, 3, 30), date(2026, 4, 10)),
    (date(2027, 3, 26), date(2027, 4, 9)),
    (date(2026, 10, 26), date(2026, 10, 30)),  # a half term: not the Easter holiday
]
DATES = TermDates(spring_ends_from(EASTER_HOLIDAYS))


def test_autumn_is_september_to_december_of_its_calendar_year() -> None:
    found = term("2026-autumn", DATES)
    assert (found.first, found.last, found.academic_year) == (
        date(2026, 9, 1),
        date(2026, 12, 31),
        "2026-27",
    )


def test_spring_runs_to_the_end_of_the_easter_holiday_and_summer_on_to_august() -> None:
    spring, summer = term("2027-spring", DATES), term("2027-summer", DATES)
    assert (spring.first, spring.last) == (date(2027, 1, 1), date(2027, 4, 9))
    assert (summer.first, summer.last) == (date(2027, 4, 10), date(2027, 8, 31))
    assert spring.academic_year == summer.academic_year == "2026-27"


def test_a_year_the_calendar_does_not_cover_ends_spring_a_week_after_easter_sunday() -> None:
    # Easter Sunday 2030 is 21 April.
    assert term("2030-spring").last == date(2030, 4, 28)
    assert term("2030-summer").first == date(2030, 4, 29)


def test_every_day_of_two_years_is_in_exactly_one_term() -> None:
    terms = [term(f"{y}-{s}", DATES) for y in (2026, 2027) for s in ("spring", "summer", "autumn")]
    day = date(2026, 1, 1)
    while day <= date(2027, 12, 31):
        holding = [t.label for t in terms if t.covers(day)]
        assert len(holding) == 1, (day, holding)
        assert DATES.term_of(day).label == holding[0]
        day += timedelta(days=1)


def test_an_academic_year_is_september_to_august() -> None:
    found = academic_year("2026-27")
    assert (found.first, found.last) == (date(2026, 9, 1), date(2027, 8, 31))


@pytest.mark.parametrize("label", ["2026-28", "2026-2027", "26-27", "2026", "2026-26"])
def test_a_year_that_is_not_one_academic_year_is_refused_naming_year(label: str) -> None:
    with pytest.raises(InvalidPeriod) as refused:
        academic_year(label)
    assert refused.value.parameter == "year"
    assert refused.value.code == "invalid_parameters"


@pytest.mark.parametrize("label", ["2026-winter", "autumn-2026", "2026", "", "1999-autumn"])
def test_a_term_that_is_not_a_term_is_refused_naming_term(label: str) -> None:
    with pytest.raises(InvalidPeriod) as refused:
        term(label)
    assert refused.value.parameter == "term"


def test_a_date_range_is_inclusive_and_must_run_forwards() -> None:
    found = date_range("2026-09-01", "2027-08-31")
    assert (found.first, found.last) == (date(2026, 9, 1), date(2027, 8, 31))
    assert date_range("2026-09-01", "2026-09-01").covers(date(2026, 9, 1))
    with pytest.raises(InvalidPeriod) as backwards:
        date_range("2026-09-02", "2026-09-01")
    assert backwards.value.parameter == "to"


def test_a_date_range_longer_than_five_years_or_not_a_date_is_refused() -> None:
    with pytest.raises(InvalidPeriod) as too_long:
        date_range("2020-01-01", "2026-01-01")
    assert too_long.value.parameter == "to"
    with pytest.raises(InvalidPeriod) as not_a_date:
        date_range("2026-02-30", "2026-03-01")
    assert not_a_date.value.parameter == "from"
