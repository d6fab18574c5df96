"""A report as JSON (`schemas.http_bodies.ReportBody`): its parameters, the period it
covers, when it was made, and each section's tables as lists of records."""

from __future__ import annotations

import json
from typing import Any

from handlers.reports.cells import exact
from workflow.reports import Report, Section, Table


def render_json(report: Report) -> str:
    return json.dumps(as_document(report), ensure_ascii=False)


def as_document(report: Report) -> dict[str, Any]:
    period = None
    if report.period_from is not None and report.period_to is not None:
        period = {"from": report.period_from.isoformat(), "to": report.period_to.isoformat()}
    return {
        "kind": report.kind,
        "title": report.title,
        "parameters": dict(report.parameters),
        "period": period,
        "generated_at": report.generated_at.isoformat(),
        "sections": [_section(s) for s in report.sections],
    }


def _section(section: Section) -> dict[str, Any]:
    return {
        "title": section.title,
        "notes": list(section.notes),
        "tables": [_table(t) for t in section.tables],
        "charts": [
            {
                "title": c.title,
                "kind": c.kind,
                "table": c.table,
                "label_column": c.label_column,
                "value_columns": list(c.value_columns),
            }
            for c in section.charts
        ],
    }


def _table(table: Table) -> dict[str, Any]:
    names = [c.name for c in table.columns]
    return {
        "name": table.name,
        "title": table.title,
        "columns": [{"name": c.name, "title": c.title, "unit": c.unit} for c in table.columns],
        "rows": [
            {name: exact(cell) for name, cell in zip(names, row, strict=True)} for row in table.rows
        ],
    }
