"""School calendar: which days are school days, given a trust's term dates.

Weekends and the listed holidays are not school days. INSET (training) days are: staff are
at work though pupils are not, so a chase counts them, even one that falls on the first or
last day of a holiday as the term-dates file lists it. The only I/O is `load_calendar`,
which reads a term-dates JSON file (by default the shipped England example).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ONE_DAY = timedelta(days=1)
MAX_SEARCH = timedelta(days=2 * 366)  # give up looking for a school day after about 2 years


class CalendarError(ValueError):
    """A term-dates file or calendar that cannot be used, with the reason in plain words."""


@dataclass(frozen=True)
class Holiday:
    name: str
    start: date  # inclusive
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise CalendarError(
                f"holiday {self.name!r} ends ({self.end}) before it starts ({self.start})"
            )

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


class SchoolCalendar:
    """School days are Monday to Friday, except days inside any holiday that are not INSET
    days (`inset_days`: training days, which are working days for staff)."""

    def __init__(
        self, holidays: Iterable[Holiday] = (), name: str = "", inset_days: Iterable[date] = ()
    ) -> None:
        self.name = name
        self.holidays: tuple[Holiday, ...] = tuple(sorted(holidays, key=lambda h: (h.start, h.end)))
        self.inset_days: frozenset[date] = frozenset(inset_days)
        weekend = sorted(d for d in self.inset_days if d.weekday() >= 5)
        if weekend:
            raise CalendarError(f"INSET day {weekend[0]} is a {weekend[0]:%A}: not a working day")
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

    def __repr__(self) -> str:
        return f"SchoolCalendar(name={self.name!r}, holidays={len(self.holidays)})"

    def is_inset_day(self, day: date) -> bool:
        return day in self.inset_days

    def holiday_on(self, day: date) -> Holiday | None:
        """The holiday covering `day` (the latest-starting one if several overlap), or None;
        None on an INSET day, which is a working day whatever holiday it falls in."""
        if day in self.inset_days:
            return None
        i = bisect_right(self._starts, day) - 1
        while i >= 0 and self._max_end[i] >= day:
            if self.holidays[i].end >= day:
                return self.holidays[i]
            i -= 1
        return None

    def _block_containing(self, day: date) -> tuple[date, date] | None:
        i = bisect_right(self._block_starts, day) - 1
        if i >= 0 and self._blocks[i][1] >= day:
            return self._blocks[i]
        return None

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5 and self._block_containing(day) is None

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
            if block is None:
                return current
            current = block[1] + ONE_DAY

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
                return _add_weekdays(current, remaining)
            start, end = self._blocks[i]
            available = _weekdays_between(current + ONE_DAY, start - ONE_DAY)
            if remaining <= available:
                return _add_weekdays(current, remaining)
            if end - start > MAX_SEARCH:
                raise CalendarError(f"no school day within two years of {start} in {self!r}")
            remaining -= available
            current = end
        return current

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
        days = _weekdays_between(first, until)
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
    return Path(__file__).with_name("england_term_dates.json")


def load_calendar(path: Path | None = None) -> SchoolCalendar:
    """Read a term-dates JSON file; None means the shipped England default."""
    source = default_calendar_path() if path is None else Path(path)
    try:
        data: Any = json.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CalendarError(f"{source}: cannot read term-dates file: {exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CalendarError(f"{source}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("holidays"), list):
        raise CalendarError(f"{source}: expected an object with a 'holidays' list")
    name = data.get("name", "")
    if not isinstance(name, str):
        raise CalendarError(f"{source}: 'name' must be a string")
    inset = data.get("inset", [])
    if not isinstance(inset, list):
        raise CalendarError(f"{source}: 'inset' must be a list of dates")
    holidays = [_parse_holiday(source, i, e) for i, e in enumerate(data["holidays"])]
    days = [_parse_inset_day(source, i, e) for i, e in enumerate(inset)]
    try:
        return SchoolCalendar(holidays, name, days)
    except CalendarError as error:
        raise CalendarError(f"{source}: inset: {error}") from None


def _parse_inset_day(source: Path, index: int, entry: Any) -> date:
    """`"2026-09-01"`, or `{"date": "2026-09-01", "name": "Safeguarding training"}`."""
    value = entry.get("date") if isinstance(entry, dict) else entry
    try:
        if not isinstance(value, str):
            raise TypeError
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise CalendarError(
            f"{source}: inset[{index}]: {entry!r} is not a YYYY-MM-DD date"
            ' (or an object with "date")'
        ) from None


def _parse_holiday(source: Path, index: int, entry: Any) -> Holiday:
    where = f"{source}: holidays[{index}]"
    if not isinstance(entry, dict):
        raise CalendarError(f"{where}: expected an object with name, start and end, got {entry!r}")
    if isinstance(entry.get("name"), str):
        where += f" ({entry['name']!r})"
    missing = [key for key in ("name", "start", "end") if key not in entry]
    if missing:
        raise CalendarError(f"{where}: missing {', '.join(repr(k) for k in missing)}")
    if not isinstance(entry["name"], str) or not entry["name"].strip():
        raise CalendarError(f"{where}: 'name' must be a non-empty string")
    days: dict[str, date] = {}
    for key in ("start", "end"):
        value = entry[key]
        try:
            if not isinstance(value, str):
                raise TypeError
            days[key] = date.fromisoformat(value)
        except (TypeError, ValueError):
            raise CalendarError(f"{where}: {key} {value!r} is not a YYYY-MM-DD date") from None
    if days["end"] < days["start"]:
        raise CalendarError(f"{where}: end {days['end']} is before start {days['start']}")
    return Holiday(entry["name"], days["start"], days["end"])
