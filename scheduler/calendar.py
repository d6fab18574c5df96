"""School calendar: which days are school days, given a school's term dates and nation.

Weekends, the listed holidays and the nation's bank holidays are not school days. INSET
(training) days are: staff are at work though pupils are not, so a chase counts them, even
one that falls on the first or last day of a holiday as the term-dates file lists it. Past
the last date a file knows, weekends and bank holidays are still kept (Christmas is never a
school day), so a calendar never runs out; calendar_coverage.py warns before it does.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path

from scheduler.bank_holidays import BankHolidays
from scheduler.term_dates import (
    CalendarError,
    Holiday,
    TermDates,
    default_term_dates_path,
    read_term_dates,
)
from schemas.directory import Nation

__all__ = ["CalendarError", "Holiday", "SchoolCalendar", "default_calendar_path", "load_calendar"]

ONE_DAY = timedelta(days=1)
MAX_SEARCH = timedelta(days=2 * 366)  # give up looking for a school day after about 2 years


class SchoolCalendar:
    """School days are Monday to Friday, except days inside any holiday and the nation's
    bank holidays that are not INSET days (`inset_days`: training days, which are working
    days for staff). Without a `nation`, only the listed holidays are kept."""

    def __init__(
        self,
        holidays: Iterable[Holiday] = (),
        name: str = "",
        inset_days: Iterable[date] = (),
        *,
        nation: Nation | str | None = None,
        source: str = "",
    ) -> None:
        self.name, self.source = name, source  # source: the term-dates file's name
        self.holidays: tuple[Holiday, ...] = tuple(sorted(holidays, key=lambda h: (h.start, h.end)))
        self.inset_days: frozenset[date] = frozenset(inset_days)
        weekend = sorted(d for d in self.inset_days if d.weekday() >= 5)
        if weekend:
            raise CalendarError(f"INSET day {weekend[0]} is a {weekend[0]:%A}: not a working day")
        self.bank_holidays = BankHolidays(nation) if nation is not None else None
        self._starts = [h.start for h in self.holidays]
        self._max_end: list[date] = []  # latest end among holidays[0..i], for holiday_on
        for h in self.holidays:
            self._max_end.append(max(h.end, self._max_end[-1]) if self._max_end else h.end)
        # Overlapping or back-to-back holidays merged into disjoint blocks, for skipping;
        # an INSET day inside one splits it, being a working day.
        blocks: list[tuple[date, date]] = []
        for start, end in sorted(_without_inset(self.holidays, self.inset_days)):
            if blocks and start <= blocks[-1][1] + ONE_DAY:
                blocks[-1] = (blocks[-1][0], max(blocks[-1][1], end))
            else:
                blocks.append((start, end))
        self._blocks = blocks
        self._block_starts = [b[0] for b in blocks]

    @classmethod
    def of(cls, term_dates: TermDates, nation: Nation | str = Nation.ENGLAND) -> SchoolCalendar:
        return cls(
            term_dates.holidays,
            term_dates.name,
            term_dates.inset_days,
            nation=nation,
            source=term_dates.source,
        )

    def for_nation(self, nation: Nation | str) -> SchoolCalendar:
        """The same term dates with another nation's bank holidays."""
        return SchoolCalendar(
            self.holidays, self.name, self.inset_days, nation=nation, source=self.source
        )

    def __repr__(self) -> str:
        nation = self.bank_holidays.nation.value if self.bank_holidays else None
        return f"SchoolCalendar(name={self.name!r}, holidays={len(self.holidays)}, {nation=})"

    @property
    def term_dates_end(self) -> date | None:
        """The last day the term dates know (the end of the last holiday or INSET day);
        after it only weekends and bank holidays are kept. None: no dates at all."""
        known = [*self._max_end[-1:], *self.inset_days]
        return max(known) if known else None

    def is_inset_day(self, day: date) -> bool:
        return day in self.inset_days

    def holiday_on(self, day: date) -> Holiday | None:
        """The holiday covering `day` (the latest-starting one if several overlap), else
        the bank holiday on it as a one-day holiday, or None; None on an INSET day, which
        is a working day whatever holiday it falls in."""
        if day in self.inset_days:
            return None
        i = bisect_right(self._starts, day) - 1
        while i >= 0 and self._max_end[i] >= day:
            if self.holidays[i].end >= day:
                return self.holidays[i]
            i -= 1
        name = self.bank_holidays.name_on(day) if self.bank_holidays else None
        return Holiday(name, day, day) if name else None

    def _block_containing(self, day: date) -> tuple[date, date] | None:
        i = bisect_right(self._block_starts, day) - 1
        if i >= 0 and self._blocks[i][1] >= day:
            return self._blocks[i]
        return None

    def _closed_for_bank_holiday(self, day: date) -> bool:
        return (
            self.bank_holidays is not None
            and day not in self.inset_days
            and self.bank_holidays.name_on(day) is not None
        )

    def _bank_closures(self, first: date, last: date) -> int:
        """How many weekdays first..last are closed for a bank holiday alone (those in a
        listed holiday are skipped with it)."""
        if self.bank_holidays is None or last < first:
            return 0
        return sum(
            1
            for day in self.bank_holidays.between(first, last)
            if day.weekday() < 5 and day not in self.inset_days
            and self._block_containing(day) is None
        )  # fmt: skip

    def is_school_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and self._block_containing(day) is None
            and not self._closed_for_bank_holiday(day)
        )

    def next_school_day(self, day: date) -> date:
        """`day` itself if it is a school day, else the first school day after it."""
        current = day
        while True:
            if current - day > MAX_SEARCH:
                raise CalendarError(f"no school day within two years of {day} in {self!r}")
            if current.weekday() >= 5:
                current += timedelta(days=7 - current.weekday())
                continue
            block = self._block_containing(current)
            if block is not None:
                current = block[1] + ONE_DAY
            elif self._closed_for_bank_holiday(current):
                current += ONE_DAY
            else:
                return current

    def add_school_days(self, day: date, count: int) -> date:
        """The date `count` school days after `day`; `day` need not be a school day."""
        if count < 0:
            raise ValueError(f"count must be zero or more, not {count}")
        current = day  # invariant: the answer is the `remaining`-th school day after `current`
        remaining = count
        block = self._block_containing(current)
        if block is not None:
            current = block[1]
        while remaining > 0:
            i = bisect_right(self._block_starts, current)
            if i == len(self._blocks):
                return self._add_open_days(current, remaining)
            start, end = self._blocks[i]
            first, last = current + ONE_DAY, start - ONE_DAY
            available = _weekdays_between(first, last) - self._bank_closures(first, last)
            if remaining <= available:
                return self._add_open_days(current, remaining)
            if end - start > MAX_SEARCH:
                raise CalendarError(f"no school day within two years of {start} in {self!r}")
            remaining -= available
            current = end
        return current

    def _add_open_days(self, day: date, count: int) -> date:
        """The `count`-th school day after `day`, when no listed holiday lies before it."""
        while True:
            candidate = _add_weekdays(day, count)
            missed = self._bank_closures(day + ONE_DAY, candidate)
            if not missed:
                return candidate
            day, count = candidate, missed

    def move_to_school_day(self, moment: datetime) -> datetime:
        """Same wall-clock time on the next school day, if `moment`'s own date is not one."""
        day = moment.date()
        target = self.next_school_day(day)
        if target == day:
            return moment
        return moment.replace(year=target.year, month=target.month, day=target.day)

    def school_days_between(self, since: date, until: date) -> int:
        """How many school days fall after `since`, up to and including `until` (0 when
        `until` is not after `since`): a request submitted on Friday has waited 1 school
        day on Monday, as `approval_wait_school_days` counts."""
        first = since + ONE_DAY
        if until < first:
            return 0
        days = _weekdays_between(first, until) - self._bank_closures(first, until)
        i = max(bisect_right(self._block_starts, first) - 1, 0)
        while i < len(self._blocks) and self._blocks[i][0] <= until:
            start, end = self._blocks[i]
            days -= _weekdays_between(max(start, first), min(end, until))
            i += 1
        return days


def _without_inset(
    holidays: Iterable[Holiday], inset_days: frozenset[date]
) -> Iterable[tuple[date, date]]:
    """Each holiday's days as spans, cut around the INSET days inside it."""
    for h in holidays:
        start = h.start
        for day in sorted(d for d in inset_days if h.start <= d <= h.end):
            if start < day:
                yield start, day - ONE_DAY
            start = day + ONE_DAY
        if start <= h.end:
            yield start, h.end


def _weekdays_between(first: date, last: date) -> int:
    """How many Monday-to-Friday dates lie in first..last inclusive."""
    if last < first:
        return 0
    weeks, extra = divmod((last - first).days + 1, 7)
    return weeks * 5 + sum(1 for k in range(extra) if (first.weekday() + k) % 7 < 5)


def _add_weekdays(day: date, count: int) -> date:
    """The `count`-th Monday-to-Friday date after `day` (count >= 1)."""
    if day.weekday() >= 5:  # counting from a weekend is counting from the Friday before
        day -= timedelta(days=day.weekday() - 4)
    weeks, extra = divmod(count, 5)
    day += timedelta(weeks=weeks)
    while extra > 0:
        day += ONE_DAY
        if day.weekday() < 5:
            extra -= 1
    return day


def default_calendar_path() -> Path:
    return default_term_dates_path()


def load_calendar(
    path: Path | None = None, nation: Nation | str = Nation.ENGLAND
) -> SchoolCalendar:
    """Read a term-dates file (None: the shipped England default), with `nation`'s bank
    holidays."""
    return SchoolCalendar.of(read_term_dates(path or default_term_dates_path()), nation)
