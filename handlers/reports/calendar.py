"""The school calendar as reports need it: school days between two dates, INSET days, and
where each spring term ends (the last day of the Easter holiday in the term-dates file)."""

from __future__ import annotations

from scheduler.calendar import SchoolCalendar
from workflow.reports.context import ReportCalendar
from workflow.reports.periods import TermDates, spring_ends_from


def report_calendar(calendar: SchoolCalendar) -> ReportCalendar:
    holidays = [(h.start, h.end) for h in calendar.holidays]
    return ReportCalendar(
        school_days_between=calendar.school_days_between,
        inset_days=calendar.inset_days,
        terms=TermDates(spring_ends_from(holidays)),
    )
