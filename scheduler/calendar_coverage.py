"""Warnings before a term-dates file runs out, so a trust adds next year's dates in time.

Past its last date a calendar keeps only weekends and bank holidays, so half terms and
INSET days go uncounted: a chase can land in a holiday. These warnings name the file and
its last date from 90 days before; the service logs them at start and each morning, and
its readiness check lists them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, time, timedelta, tzinfo

from scheduler.calendar import SchoolCalendar
from workflow.clock import Clock

log = logging.getLogger("cpd.calendar")
WARN_WITHIN = timedelta(days=90)
# When the daily check runs, in the school time zone: before anyone is chased.
DAILY_CHECK_AT = time(5, 30)


def term_dates_warning(calendar: SchoolCalendar, today: date) -> str | None:
    """One calendar's warning on `today`, or None while its dates run 90 days or more."""
    where = f"term dates {calendar.source or calendar.name or '(unnamed)'}"
    after = "only weekends and bank holidays are kept"
    end = calendar.term_dates_end
    if end is None:
        return f"{where} list no holidays or INSET days: {after}"
    left = (end - today).days
    if left > WARN_WITHIN.days:
        return None
    if left < 0:
        return (
            f"{where} ended on {end} ({_days(-left)} ago): since then {after}; add the next"
            " school year's dates to the file and restart the service"
        )
    return (
        f"{where} end on {end} (in {_days(left)}): after it {after}; add the next school"
        " year's dates to the file and restart the service"
    )


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def term_dates_warnings(calendars: Iterable[SchoolCalendar], today: date) -> list[str]:
    """A warning for each calendar whose term dates end within 90 days of `today` (or
    have ended); `calendars` is a Calendars (every file once) or any list of them."""
    return [w for c in calendars if (w := term_dates_warning(c, today)) is not None]


class CoverageWatch:
    """Logs the warnings of `calendars` for the clock's today, in `zone`."""

    def __init__(self, calendars: Iterable[SchoolCalendar], clock: Clock, zone: tzinfo) -> None:
        self.calendars, self.clock, self.zone = calendars, clock, zone

    def today(self) -> date:
        return self.clock.now().astimezone(self.zone).date()

    def warnings(self) -> list[str]:
        return term_dates_warnings(self.calendars, self.today())

    def check(self) -> list[str]:
        """Log each warning at WARNING (at start, then once a day); returns them."""
        found = self.warnings()
        for warning in found:
            log.warning("%s", warning)
        return found
