"""A report as one tidy CSV: a row per cell, so a spreadsheet's filter or pivot table, or a
script, reads any figure without knowing the tables' shapes.

Header: `section,table,row,row_label,column,unit,value`. `row` counts from 1 in its table,
`row_label` is the row's first cell (what the row is about: a state, a school), `value`
the exact figure: pounds as 1234.50 with no sign or separator, dates YYYY-MM-DD, nothing for
no value, `suppressed` for a figure withheld from a small group.
"""

from __future__ import annotations

import csv
import io

from handlers.reports.cells import for_csv
from workflow.reports import Report

HEADER = ("section", "table", "row", "row_label", "column", "unit", "value")


def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for section in report.sections:
        for table in section.tables:
            first = table.columns[0]
            for number, row in enumerate(table.rows, start=1):
                label = for_csv(row[0], first.unit)
                for column, cell in zip(table.columns, row, strict=True):
                    writer.writerow(
                        (
                            section.title,
                            table.name,
                            number,
                            label,
                            column.name,
                            column.unit,
                            for_csv(cell, column.unit),
                        )
                    )
    return out.getvalue()
