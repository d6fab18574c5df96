"""Term-dates files: a school's or trust's holidays and INSET days, as JSON.

The only I/O of the calendar. A file is read whole at start; every mistake is a
CalendarError whose message starts with the file's path, so the service can refuse to start
with one line. Bank holidays are not listed here: they come from the `holidays` library for
the school's nation (scheduler/bank_holidays.py), so they never run out. Files that still
list some (the shipped file once did) load as before; a day listed twice is one holiday.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any


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


@dataclass(frozen=True)
class TermDates:
    """What one file says: `source` is its file name, for messages."""

    name: str
    holidays: tuple[Holiday, ...]
    inset_days: tuple[date, ...]
    source: str


def default_term_dates_path() -> Path:
    return Path(__file__).with_name("england_term_dates.json")


def read_term_dates(path: Path) -> TermDates:
    """Read and check one term-dates file (see README, School calendars)."""
    source = Path(path)
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
    holidays = tuple(_parse_holiday(source, i, e) for i, e in enumerate(data["holidays"]))
    days = tuple(_parse_inset_day(source, i, e) for i, e in enumerate(inset))
    weekend = sorted(d for d in days if d.weekday() >= 5)
    if weekend:
        raise CalendarError(
            f"{source}: inset: INSET day {weekend[0]} is a {weekend[0]:%A}: not a working day"
        )
    return TermDates(name, holidays, days, source.name)


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
