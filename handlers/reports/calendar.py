"""The school calendar as reports need it: school days between two dates, INSET days, and
where each spring term ends (the last day of the Easter holiday in the term-dates file)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from scheduler.calendar import SchoolCalendar
from scheduler.calendars import Calendars
from workflow.reports.context import ReportCalendar, SchoolCalendarLookup
from workflow.reports.periods import TermDates, spring_ends_from


def report_calendar(calendar: SchoolCalendar) -> ReportCalendar:
    holidays = [(h.start, h.end) for h in calendar.holidays]
    return ReportCalendar(
        school_days_between=calendar.school_days_between,
        inset_days=calendar.inset_days,
        terms=TermDates(spring_ends_from(holidays)),
    )


def school_report_calendars(calendars: Calendars) -> SchoolCalendarLookup:
    """Each school's own calendar, as `school.upserted` named it (term dates, nation)."""
    made: dict[int, ReportCalendar] = {}

    def of_school(db: sqlite3.Connection, school_id: str, at: datetime) -> ReportCalendar:
        calendar = calendars.for_school(db, school_id, at)
        if id(calendar) not in made:  # a few calendars, each turned into a report's once
            made[id(calendar)] = report_calendar(calendar)
        return made[id(calendar)]

    return of_school
