"""Every school's calendar: its own term-dates file (or the default) with its nation's bank
holidays.

The files are read once, at start: the default (`CPD_TERM_DATES`, else the shipped England
file) and every `*.json` in `CPD_TERM_DATES_DIR`, one per calendar, named by its file name.
A school names its file and nation in `school.upserted`; a school without one (or a trust-wide
matter, with no school) uses the default file, and England's bank holidays unless its record
names another nation. A changed file is read again only at the next start.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path

from scheduler.calendar import SchoolCalendar
from scheduler.term_dates import (
    CalendarError,
    default_term_dates_path,
    read_term_dates,
)
from schemas.directory import Nation
from workflow.directory import school_as_of

log = logging.getLogger("cpd.calendar")
# (a school, since, until) -> the school days after `since` up to `until`, at that school.
SchoolDays = Callable[[str, date, date], int]


class Calendars:
    """`default`: the calendar of schools naming no file; `files`: the term-dates
    directory's calendars by file name (None: no directory configured). With
    `per_nation` false every school keeps the given calendars' own holidays, whatever
    its nation (tests and tools that hand over one ready calendar)."""

    def __init__(
        self,
        default: SchoolCalendar,
        files: Mapping[str, SchoolCalendar] | None = None,
        *,
        per_nation: bool = True,
    ) -> None:
        self.default = default
        self.files = dict(files) if files is not None else None
        self._per_nation = per_nation
        self._built: dict[tuple[str | None, str], SchoolCalendar] = {}
        self._missing_told: set[tuple[str, str]] = set()

    def __iter__(self) -> Iterator[SchoolCalendar]:
        """Each term-dates file's calendar once: the default first."""
        yield self.default
        yield from (self.files or {}).values()

    def names(self) -> frozenset[str] | None:
        """The file names a school may give as `term_dates` (None: no directory set)."""
        return frozenset(self.files) if self.files is not None else None

    def calendar(self, term_dates: str | None = None, nation: str | None = None) -> SchoolCalendar:
        """The calendar of a school naming `term_dates` (None: the default) and `nation`
        (None: England). A file not loaded falls back to the default file."""
        base = (self.files or {}).get(term_dates or "", self.default)
        if not self._per_nation:
            return base
        key = (term_dates if base is not self.default else None, nation or Nation.ENGLAND)
        found = self._built.get(key)
        if found is None:  # built at most a few times over; a race only builds it twice
            found = self._built[key] = base.for_nation(key[1])
        return found

    def for_school(self, db: sqlite3.Connection, school_id: str, at: datetime) -> SchoolCalendar:
        """The calendar the school's directory record at `at` names."""
        if not self._per_nation and not self.files:
            return self.default  # one calendar for all: nothing to read
        school = school_as_of(db, school_id, at)
        if school is None:
            return self.calendar()
        if school.term_dates is not None and school.term_dates not in (self.files or {}):
            self._tell_missing(school_id, school.term_dates)
        return self.calendar(school.term_dates, school.nation)

    def school_days(self, db: sqlite3.Connection, at: datetime) -> SchoolDays:
        """Counting school days school by school, each school's record read once."""
        found: dict[str, SchoolCalendar] = {}

        def count(school_id: str, since: date, until: date) -> int:
            if school_id not in found:
                found[school_id] = self.for_school(db, school_id, at)
            return found[school_id].school_days_between(since, until)

        return count

    def _tell_missing(self, school_id: str, name: str) -> None:
        """A file taken away since the school named it: said once, not at every reminder."""
        if (school_id, name) not in self._missing_told:
            self._missing_told.add((school_id, name))
            log.warning(
                "school %s names term dates %r, which are not in CPD_TERM_DATES_DIR now:"
                " it follows the default calendar until the file is back and the service"
                " restarted",
                school_id,
                name,
            )


def load_calendars(default: Path | None = None, directory: Path | None = None) -> Calendars:
    """Read the default term-dates file and every `*.json` in `directory`; the first
    unusable file is a CalendarError naming it."""
    calendar = SchoolCalendar.of(read_term_dates(default or default_term_dates_path()))
    if directory is None:
        return Calendars(calendar)
    if not Path(directory).is_dir():
        raise CalendarError(f"{directory}: CPD_TERM_DATES_DIR is not a directory")
    files = {
        path.name: SchoolCalendar.of(read_term_dates(path))
        for path in sorted(Path(directory).glob("*.json"))
        if path.is_file()
    }
    return Calendars(calendar, files)
