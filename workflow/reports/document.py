"""A report as data: the one thing the JSON, CSV and HTML forms of every report are made from.

Each report is a pure function from the rows its reader fetched to a `Report`; the handlers
render that one value three ways, so the three formats cannot disagree, and a figure
withheld from a small group (`SUPPRESSED`) is withheld from all of them alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Literal


class _Suppressed(Enum):
    """A figure about a group too small to publish: neither its size nor its figures show."""

    SUPPRESSED = "suppressed"

    def __str__(self) -> str:
        return self.value


SUPPRESSED = _Suppressed.SUPPRESSED

# A table cell: text, a count, an amount in pounds or a measure (Decimal keeps pence exact),
# no value (None: nothing to show, e.g. an average of no ratings), or a withheld figure.
Cell = str | int | Decimal | date | None | _Suppressed

Unit = Literal["count", "GBP", "days", "hours", "rating", "share", "text", "date"]


@dataclass(frozen=True)
class Column:
    name: str  # machine name: the key in JSON, the `column` in CSV
    title: str  # the heading a governor reads
    unit: Unit = "count"


@dataclass(frozen=True)
class Table:
    name: str  # machine name, unique in its report: the key in JSON, the `table` in CSV
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.name}: a row of {len(row)} cells, not {len(self.columns)}"
                )

    def records(self) -> list[dict[str, Cell]]:
        return [dict(zip((c.name for c in self.columns), row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Chart:
    """A chart drawn from one of the section's tables: a bar per row, labelled by
    `label_column`, one bar series per name in `value_columns` (or a line for `trend`)."""

    title: str
    table: str  # a Table.name in the same section
    label_column: str
    value_columns: tuple[str, ...]
    kind: Literal["bar", "line"] = "bar"


@dataclass(frozen=True)
class Section:
    title: str
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    notes: tuple[str, ...] = ()  # plain sentences printed under the heading


@dataclass(frozen=True)
class Report:
    kind: str  # "termly", "trust", "equality", "providers", "annual-review", "portfolio"
    title: str
    parameters: Mapping[str, str]  # what it was asked for, e.g. {"school_id": ..., "term": ...}
    period_from: date | None  # inclusive; None for a report not about a period
    period_to: date | None  # inclusive
    generated_at: datetime
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def table(self, name: str) -> Table:
        return next(t for t in self.tables() if t.name == name)
