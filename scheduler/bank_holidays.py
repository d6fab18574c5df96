"""Bank holidays of each UK nation, for any year, from the `holidays` library.

They are not school days wherever the term dates end: a term-dates file says when the
holidays are, and these days are closed besides (with their substitute days, and one-off
days such as a coronation, as the library knows them).
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

from schemas.directory import Nation

# The library's subdivisions of GB.
_SUBDIVISIONS = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


class BankHolidays:
    """One nation's bank holidays; each year is worked out once and kept."""

    def __init__(self, nation: Nation | str = Nation.ENGLAND) -> None:
        self.nation = Nation(nation)

    def __repr__(self) -> str:
        return f"BankHolidays({self.nation.value!r})"

    def name_on(self, day: date) -> str | None:
        return _year(self.nation, day.year).get(day)

    def between(self, first: date, last: date) -> list[date]:
        """The bank holidays from `first` to `last` inclusive, in order."""
        return [
            day
            for year in range(first.year, last.year + 1)
            for day in _year(self.nation, year)
            if first <= day <= last
        ]


@cache
def _year(nation: Nation, year: int) -> dict[date, str]:
    found = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year)
    return {day: found[day] for day in sorted(found)}
