"""Reports at the edge: one `Report` value rendered as JSON, CSV or an HTML page with
charts, and the routes and commands that ask for them."""

from handlers.reports.answer import ReportFormat, report_response
from handlers.reports.as_csv import render_csv
from handlers.reports.as_html import render_html
from handlers.reports.as_json import render_json

__all__ = ["ReportFormat", "render_csv", "render_html", "render_json", "report_response"]
