"""A report's cells as each form writes them: exact values for JSON and CSV, figures a
governor reads (£1,234.50, 75%) for the page and its charts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from workflow.reports import SUPPRESSED, Cell
from workflow.reports.document import Unit

SUPPRESSED_TEXT = str(SUPPRESSED)  # "suppressed"
SUPPRESSED_MARK = "—"  # what the page shows, with a footnote saying why
# A spreadsheet runs a cell starting with these as a formula: text from requests (titles,
# providers) is written with a leading apostrophe instead (OWASP's advice on CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def exact(cell: Cell) -> str | int | None:
    """JSON's value: counts as numbers, amounts and measures as decimal strings."""
    if cell is SUPPRESSED:
        return SUPPRESSED_TEXT
    if isinstance(cell, Decimal):
        return str(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, bool):  # not a Cell, but never let True pass as 1
        return str(cell).lower()
    return cell


def for_csv(cell: Cell, unit: Unit) -> str:
    value = exact(cell)
    if value is None:
        return ""
    text = str(value)
    if isinstance(cell, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def shown(cell: Cell, unit: Unit) -> str:
    """What the page prints in a cell ("" for no value; the mark for a withheld figure)."""
    if cell is SUPPRESSED:
        return SUPPRESSED_MARK
    if cell is None:
        return ""
    if isinstance(cell, date):
        return f"{cell.day} {cell:%b %Y}"
    if isinstance(cell, int | Decimal) and not isinstance(cell, bool):
        return _number(Decimal(cell), unit)
    return str(cell)


def _number(value: Decimal, unit: Unit) -> str:
    sign = "-" if value < 0 else ""
    size = abs(value)
    if unit == "GBP":
        return f"{sign}£{size:,.2f}"
    if unit == "share":
        percent = (size * 100).quantize(Decimal("0.1")).normalize()
        return f"{sign}{percent:f}%"
    if unit == "count":
        return f"{sign}{size:,.0f}"
    return f"{sign}{size:,f}"


def magnitude(cell: Cell) -> float | None:
    """A bar's length: None for no value or a withheld one."""
    if isinstance(cell, int | Decimal) and not isinstance(cell, bool):
        return float(cell)
    return None
