"""Every report's JSON form (`GET /reports/...?format=json`): one shape for all of them.

A table is a list of records keyed by its columns' names. Amounts are strings of pounds and
pence ("1234.50"), exact, as every cost is; counts are numbers; measures (days, hours,
ratings, shares) strings of decimals; dates `YYYY-MM-DD`; a figure withheld because its
group is too small to publish is the string "suppressed"; no value (an average of nothing)
is null.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

CellValue = str | int | None
Unit = Literal["count", "GBP", "days", "hours", "rating", "share", "text", "date"]


class ReportColumn(BaseModel):
    name: str = Field(description="the key of this column's cell in each record")
    title: str = Field(description="the heading a governor reads")
    unit: Unit


class ReportTable(BaseModel):
    name: str = Field(description="unique in the report; the `table` of each CSV row")
    title: str
    columns: list[ReportColumn]
    rows: list[dict[str, CellValue]] = Field(description="one record per row, keyed by column")


class ReportChart(BaseModel):
    title: str
    kind: Literal["bar", "line"]
    table: str = Field(description="the table of the same section it is drawn from")
    label_column: str
    value_columns: list[str]


class ReportSection(BaseModel):
    title: str
    notes: list[str] = Field(description="what the figures mean and how they are counted")
    tables: list[ReportTable]
    charts: list[ReportChart]


class ReportPeriod(BaseModel):
    from_: str = Field(alias="from", description="first day, inclusive")
    to: str = Field(description="last day, inclusive")


class ReportBody(BaseModel):
    kind: str = Field(description="termly, trust, equality, providers, annual-review, ...")
    title: str
    parameters: dict[str, str] = Field(description="what the report was asked for")
    period: ReportPeriod | None = Field(description="the days it covers; null if not a period's")
    generated_at: str
    sections: list[ReportSection]
