"""One Report rendered three ways: JSON records, a tidy CSV, an A4 HTML page with inline
SVG charts; a withheld figure withheld in all three."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from handlers.reports import ReportFormat, render_csv, render_html, render_json, report_response
from workflow.reports import SUPPRESSED, Chart, Column, Report, Section, Table

SPEND = Table(
    "spend_by_activity",
    "Spend by activity type",
    (
        Column("activity_type", "Activity", "text"),
        Column("requests", "Requests"),
        Column("spent_gbp", "Spent", "GBP"),
        Column("average_rating", "Average rating", "rating"),
    ),
    (
        ("course", 3, Decimal("1234.50"), Decimal("4.25")),
        ("=conference", SUPPRESSED, SUPPRESSED, None),
    ),
)
REPORT = Report(
    kind="termly",
    title="CPD report for the governors",
    parameters={"school_id": "S-WALMLEY", "term": "2026-autumn"},
    period_from=date(2026, 9, 1),
    period_to=date(2026, 12, 31),
    generated_at=datetime(2026, 12, 18, 16, 0, tzinfo=UTC),
    sections=(
        Section(
            "Money",
            (SPEND,),
            (
                Chart(
                    "Spent by activity type", "spend_by_activity", "activity_type", ("spent_gbp",)
                ),
            ),
            ("Spent: the school's share of completed training.",),
        ),
    ),
)


def test_json_gives_each_table_as_records_and_a_withheld_figure_as_suppressed() -> None:
    found = json.loads(render_json(REPORT))

    assert found["period"] == {"from": "2026-09-01", "to": "2026-12-31"}
    assert found["parameters"] == {"school_id": "S-WALMLEY", "term": "2026-autumn"}
    assert found["generated_at"] == "2026-12-18T16:00:00+00:00"
    table = found["sections"][0]["tables"][0]
    assert table["rows"] == [
        {
            "activity_type": "course",
            "requests": 3,
            "spent_gbp": "1234.50",
            "average_rating": "4.25",
        },
        {
            "activity_type": "=conference",
            "requests": "suppressed",
            "spent_gbp": "suppressed",
            "average_rating": None,
        },
    ]
    assert [c["unit"] for c in table["columns"]] == ["text", "count", "GBP", "rating"]


def test_csv_has_one_row_per_figure_and_defuses_spreadsheet_formulas() -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(REPORT))))

    assert list(rows[0]) == ["section", "table", "row", "row_label", "column", "unit", "value"]
    assert len(rows) == 8
    assert rows[2] == {
        "section": "Money",
        "table": "spend_by_activity",
        "row": "1",
        "row_label": "course",
        "column": "spent_gbp",
        "unit": "GBP",
        "value": "1234.50",
    }
    assert [r["value"] for r in rows[4:]] == ["'=conference", "suppressed", "suppressed", ""]


def test_html_prints_units_marks_withheld_cells_and_draws_an_svg_chart() -> None:
    page = render_html(REPORT)

    assert "@page { size: A4" in page
    assert "£1,234.50" in page
    assert '<td class="suppressed">—<sup>*</sup></td>' in page
    assert 'id="suppressed-note"' in page
    assert page.count("<svg") == 1 and "<title>Spent by activity type</title>" in page
    assert "&lt;script" not in page and "<script" not in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "=conference" in page


def test_the_answer_carries_the_media_type_and_a_file_name_for_csv() -> None:
    as_csv = report_response(REPORT, ReportFormat.CSV)
    assert as_csv.media_type == "text/csv; charset=utf-8"
    assert (
        as_csv.headers["content-disposition"]
        == 'attachment; filename="termly-S-WALMLEY-2026-autumn.csv"'
    )
    assert report_response(REPORT, None, "text/html").media_type == "text/html; charset=utf-8"
    assert report_response(REPORT).media_type == "application/json"
