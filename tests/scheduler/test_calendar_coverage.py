"""Term dates that end too soon are a warning while there is time to add next year's."""

from __future__ import annotations

from datetime import date

from scheduler.calendar import Holiday, SchoolCalendar, load_calendar
from scheduler.calendar_coverage import term_dates_warnings

SUMMER = Holiday("Summer 2027", date(2027, 7, 22), date(2027, 8, 31))


def test_dates_reaching_past_the_next_ninety_days_are_no_warning() -> None:
    assert term_dates_warnings([SchoolCalendar([SUMMER], "Oaks")], date(2027, 6, 2)) == []


def test_dates_ending_within_ninety_days_are_a_warning_naming_the_last_day() -> None:
    (warning,) = term_dates_warnings([SchoolCalendar([SUMMER], "Oaks")], date(2027, 6, 3))

    assert "'Oaks'" in warning and "2027-08-31" in warning and "CPD_TERM_DATES" in warning


def test_dates_listing_no_holidays_at_all_are_a_warning() -> None:
    (warning,) = term_dates_warnings([SchoolCalendar([], "Empty")], date(2027, 1, 4))

    assert "no holidays" in warning


def test_each_calendar_is_judged_on_its_own() -> None:
    later = SchoolCalendar([Holiday("Summer 2028", date(2028, 7, 21), date(2028, 8, 31))], "B")
    warnings = term_dates_warnings([SchoolCalendar([SUMMER], "A"), later], date(2027, 7, 1))

    assert len(warnings) == 1 and "'A'" in warnings[0]


def test_the_shipped_england_dates_cover_the_coming_year() -> None:
    assert term_dates_warnings([load_calendar()], date(2027, 9, 1)) == []
