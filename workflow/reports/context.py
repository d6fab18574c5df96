"""What every report is made with besides the database: the policy sets (a school's
financial year, its statutory training), the school calendar and the moment it is made.

The calendar lives in `scheduler`, which `workflow` may not import: the edge hands in what
reports need of it (`handlers/reports/calendar.py` builds it from the SchoolCalendar).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from workflow.reports.periods import Period, TermDates
from workflow.store.policies import Governance


def weekdays_after(since: date, until: date) -> int:
    """Monday-to-Friday days after `since` up to `until`: school days with no holidays."""
    days, day = 0, since
    while day < until:
        day = date.fromordinal(day.toordinal() + 1)
        days += day.weekday() < 5
    return days


@dataclass(frozen=True)
class ReportCalendar:
    # School days after the first date up to and including the second (0 when not after):
    # SchoolCalendar.school_days_between, so a Friday submission decided on Monday took 1.
    school_days_between: Callable[[date, date], int] = weekdays_after
    inset_days: frozenset[date] = frozenset()
    terms: TermDates = field(default_factory=TermDates)

    def inset_days_in(self, period: Period) -> list[date]:
        return sorted(d for d in self.inset_days if period.covers(d))


# A school's own calendar (its term dates, its nation's bank holidays), looked up in the
# report's snapshot of the directory as of the moment given.
SchoolCalendarLookup = Callable[[sqlite3.Connection, str, datetime], ReportCalendar]


@dataclass(frozen=True)
class ReportContext:
    governance: Governance
    calendar: ReportCalendar  # the default: trust-wide figures, and every school without
    now: datetime  # when the report is made (the service's clock)
    school_calendar: SchoolCalendarLookup | None = None

    def calendar_for(self, db: sqlite3.Connection, school_id: str) -> ReportCalendar:
        """The calendar one school's days are counted by: its terms, INSET and school days."""
        if self.school_calendar is None:
            return self.calendar
        return self.school_calendar(db, school_id, self.now)
