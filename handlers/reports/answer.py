"""One answer for every report route: `?format=json|csv|html` (default JSON; without it,
an `Accept` of text/csv or text/html is honoured), with the media type, and for CSV a
file name to save it under."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from fastapi import Query
from fastapi.responses import Response

from handlers.reports.as_csv import render_csv
from handlers.reports.as_html import render_html
from handlers.reports.as_json import render_json
from workflow.reports import Report


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    HTML = "html"


MEDIA_TYPES = {
    ReportFormat.JSON: "application/json",
    ReportFormat.CSV: "text/csv; charset=utf-8",
    ReportFormat.HTML: "text/html; charset=utf-8",
}
FORMAT = Query(
    description="json (the default), csv (one row per figure) or html (a page with charts,"
    " for printing on A4); without it, Accept: text/csv or text/html is honoured"
)
# For a route's `responses`: the other two media types of its 200 answer.
REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the report, in the format asked for",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def chosen(asked: ReportFormat | None, accept: str | None) -> ReportFormat:
    if asked is not None:
        return asked
    wanted = (accept or "").lower()
    if "text/csv" in wanted and "application/json" not in wanted:
        return ReportFormat.CSV
    if "text/html" in wanted and "application/json" not in wanted:
        return ReportFormat.HTML
    return ReportFormat.JSON


def rendered(report: Report, form: ReportFormat) -> str:
    if form is ReportFormat.CSV:
        return render_csv(report)
    if form is ReportFormat.HTML:
        return render_html(report)
    return render_json(report)


def file_name(report: Report, form: ReportFormat) -> str:
    """`termly-S-WALMLEY-2026-autumn.csv`: the kind and what it was asked for."""
    parts = [report.kind, *report.parameters.values()]
    stem = "-".join(_UNSAFE_IN_NAME.sub("_", p).strip("_") or "_" for p in parts)
    return f"{stem[:150]}.{form.value}"


def report_response(
    report: Report, asked: ReportFormat | None = None, accept: str | None = None
) -> Response:
    form = chosen(asked, accept)
    headers = {"Vary": "Accept"}
    if form is ReportFormat.CSV:
        headers["Content-Disposition"] = f'attachment; filename="{file_name(report, form)}"'
    return Response(rendered(report, form), media_type=MEDIA_TYPES[form], headers=headers)
