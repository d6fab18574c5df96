"""The periods reports are asked for: a term (`2026-autumn`), an academic year (`2026-27`)
or any range of dates, each first to last day inclusive.

Terms are named by their calendar year, and every date belongs to exactly one term:
autumn is 1 September to 31 December; spring 1 January to the last day of the Easter
holiday; summer the day after that to 31 August. A holiday goes with the term before it,
as the Christmas break does (up to 31 December), so what happens in the Easter holiday is
the spring term's. The Easter holiday's last day comes from the school calendar's holidays
(`TermDates.spring_ends`, built at the edge from the term-dates file); a year the file does
not cover ends spring on the Sunday a week after Easter Sunday, the end of the usual
two-week Easter break.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.easter import easter

from workflow.errors import DomainError

SEASONS = ("autumn", "spring", "summer")
# Longest range a from/to report covers: five years and a leap day, enough for any trust
# review, and a bound on the work one request asks of the service.
MAX_SPAN = timedelta(days=5 * 365 + 1)
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
_TERM = re.compile(r"^(\d{4})-(autumn|spring|summer)$")
_ACADEMIC_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


class InvalidPeriod(DomainError):
    """A period parameter that names no period: 422, naming the parameter."""

    code = "invalid_parameters"

    def __init__(self, parameter: str, reason: str) -> None:
        super().__init__(f"{parameter}: {reason}")
        self.parameter = parameter


@dataclass(frozen=True)
class Period:
    label: str  # "2026-autumn", "2026-27", "2026-09-01..2027-03-31"
    first: date  # inclusive
    last: date  # inclusive

    def covers(self, day: date) -> bool:
        return self.first <= day <= self.last

    @property
    def academic_year(self) -> str:
        """The academic year (September to August) the period starts in: `2026-27`."""
        start = self.first.year if self.first.month >= 9 else self.first.year - 1
        return f"{start}-{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class TermDates:
    """The last day of each year's spring term (the Easter holiday's last day), by year."""

    spring_ends: Mapping[int, date] = field(default_factory=dict)

    def last_day_of_spring(self, year: int) -> date:
        found = self.spring_ends.get(year)
        return found if found is not None else easter(year) + timedelta(days=7)

    def term(self, year: int, season: str) -> Period:
        label = f"{year}-{season}"
        if season == "autumn":
            return Period(label, date(year, 9, 1), date(year, 12, 31))
        spring_ends = self.last_day_of_spring(year)
        if season == "spring":
            return Period(label, date(year, 1, 1), spring_ends)
        return Period(label, spring_ends + timedelta(days=1), date(year, 8, 31))

    def term_of(self, day: date) -> Period:
        """The one term `day` belongs to."""
        if day.month >= 9:
            return self.term(day.year, "autumn")
        if day <= self.last_day_of_spring(day.year):
            return self.term(day.year, "spring")
        return self.term(day.year, "summer")


def spring_ends_from(holidays: list[tuple[date, date]]) -> dict[int, date]:
    """Each year's Easter holiday's last day, from a calendar's holidays (first, last day):
    the holiday that meets Easter week (Easter Sunday, or the week either side of it)."""
    found: dict[int, date] = {}
    for first, last in holidays:
        for year in {first.year, last.year}:
            sunday = easter(year)
            if first <= sunday + timedelta(days=7) and last >= sunday - timedelta(days=7):
                found[year] = max(found.get(year, last), last)
    return found


def term(label: str, dates: TermDates | None = None, parameter: str = "term") -> Period:
    """`2026-autumn`, `2027-spring`, `2027-summer`."""
    matched = _TERM.match(label.strip().lower())
    if matched is None:
        raise InvalidPeriod(
            parameter, f"'{label}' is not a term: YYYY-autumn, YYYY-spring or YYYY-summer"
        )
    year = _year(int(matched.group(1)), parameter)
    return (dates or TermDates()).term(year, matched.group(2))


def academic_year(label: str, parameter: str = "year") -> Period:
    """`2026-27`: 1 September 2026 to 31 August 2027."""
    matched = _ACADEMIC_YEAR.match(label.strip())
    if matched is None:
        raise InvalidPeriod(parameter, f"'{label}' is not an academic year such as 2026-27")
    start = _year(int(matched.group(1)), parameter)
    if int(matched.group(2)) != (start + 1) % 100:
        raise InvalidPeriod(
            parameter,
            f"'{label}': an academic year runs into the next, {start}-{(start + 1) % 100:02d}",
        )
    return Period(label.strip(), date(start, 9, 1), date(start + 1, 8, 31))


def date_range(first: date | str, last: date | str) -> Period:
    """`from` to `to`, both inclusive: from on or before to, at most MAX_SPAN apart."""
    start, end = _date(first, "from"), _date(last, "to")
    if end < start:
        raise InvalidPeriod("to", f"{end} is before from ({start})")
    if end - start >= MAX_SPAN:
        raise InvalidPeriod("to", f"{start} to {end} is longer than five years")
    return Period(f"{start.isoformat()}..{end.isoformat()}", start, end)


def _date(value: date | str, parameter: str) -> date:
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidPeriod(parameter, f"'{value}' is not a date (YYYY-MM-DD)") from None
    _year(day.year, parameter)
    return day


def _year(year: int, parameter: str) -> int:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise InvalidPeriod(parameter, f"{year} is outside {EARLIEST_YEAR}-{LATEST_YEAR}")
    return year
