"""Whether the term dates the service was given still reach far enough ahead.

Follow-ups count school days; past the last holiday a calendar lists, every weekday looks
like a school day, so chases would run through the summer. A trust is warned (in
`GET /health/ready`) while there is still time to add next year's dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from scheduler.calendar import SchoolCalendar

AHEAD_DAYS = 90


def term_dates_warnings(
    calendars: Iterable[SchoolCalendar], today: date, ahead_days: int = AHEAD_DAYS
) -> list[str]:
    """One warning for each calendar whose dates end within `ahead_days` of `today`."""
    horizon = today + timedelta(days=ahead_days)
    warnings = []
    for calendar in calendars:
        name = f"term dates {calendar.name!r}" if calendar.name else "the term dates"
        last = max((h.end for h in calendar.holidays), default=None)
        if last is None:
            warnings.append(f"{name} list no holidays: every weekday counts as a school day")
        elif last < horizon:
            warnings.append(
                f"{name} end on {last.isoformat()}, less than {ahead_days} days ahead:"
                " add the next school year's dates (CPD_TERM_DATES)"
            )
    return warnings
