"""A report as one HTML page that prints cleanly on A4 for a governors' meeting: tables
with their units (£1,234.50), charts as inline SVG, a withheld figure marked "—" with a
footnote. Self-contained: no script, no font, no image, nothing fetched from anywhere."""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from handlers.reports.cells import SUPPRESSED_MARK, shown
from handlers.reports.charts import svg
from workflow.reports import SUPPRESSED, Report, Section, Table

_pages = Environment(
    loader=PackageLoader("handlers.reports", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
NUMERIC_UNITS = frozenset({"count", "GBP", "days", "hours", "rating", "share"})


@dataclass(frozen=True)
class ShownCell:
    text: str
    css: str  # "number", "text", and "suppressed" for a withheld figure


def render_html(report: Report) -> str:
    template = _pages.get_template("report.html.j2")
    sections = [_section(s) for s in report.sections]
    withheld = any(cell is SUPPRESSED for t in report.tables() for row in t.rows for cell in row)
    return template.render(
        report=report,
        parameters=dict(report.parameters),
        sections=sections,
        withheld=withheld,
        mark=SUPPRESSED_MARK,
    )


def _section(section: Section) -> dict[str, object]:
    tables = {t.name: t for t in section.tables}
    return {
        "title": section.title,
        "notes": section.notes,
        "tables": [_table(t) for t in section.tables],
        "charts": [
            {"title": c.title, "svg": Markup(svg(c, tables[c.table]))} for c in section.charts
        ],
    }


def _table(table: Table) -> dict[str, object]:
    return {
        "name": table.name,
        "title": table.title,
        "columns": [
            {"title": c.title, "css": "number" if c.unit in NUMERIC_UNITS else "text"}
            for c in table.columns
        ],
        "rows": [
            [
                ShownCell(
                    shown(cell, column.unit),
                    "suppressed"
                    if cell is SUPPRESSED
                    else "number"
                    if column.unit in NUMERIC_UNITS
                    else "text",
                )
                for column, cell in zip(table.columns, row, strict=True)
            ]
            for row in table.rows
        ],
    }
