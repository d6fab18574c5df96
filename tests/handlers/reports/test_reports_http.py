"""GET /reports/termly and /reports/trust on the scripted term: the same hand-counted
figures in JSON, CSV and HTML, bad parameters named in a problem, and who may read which."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.handlers.keys import bearer, make_key
from tests.reports_term import ELMHURST, NORTHFIELD, WALMLEY

TERMLY = {"school_id": WALMLEY, "term": "2026-autumn"}
TRUST = {"from": "2026-09-01", "to": "2026-12-31"}


def table(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return next(t for s in body["sections"] for t in s["tables"] if t["name"] == name)["rows"]


async def test_the_termly_report_as_json_carries_the_hand_counted_figures(
    reports: httpx.AsyncClient,
) -> None:
    answer = await reports.get("/reports/termly", params=TERMLY)

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert (body["kind"], body["parameters"], body["period"]) == (
        "termly",
        TERMLY,
        {"from": "2026-09-01", "to": "2026-12-31"},
    )
    assert body["generated_at"] == "2026-12-18T15:00:00+00:00"
    assert table(body, "budget") == [
        {
            "financial_year": "2026-27",
            "budget_gbp": "5000.00",
            "term_committed_gbp": "600.00",
            "term_spent_gbp": "925.00",
            "year_committed_gbp": "750.00",
            "year_spent_gbp": "1025.00",
            "year_remaining_gbp": "3225.00",
        }
    ]
    assert table(body, "decisions")[0] == {
        "decision": "approved",
        "title": "Approved",
        "requests": 6,
        "median_school_days": "3.0",
    }
    assert table(body, "decisions")[4]["median_school_days"] is None
    assert [r["average"] for r in table(body, "ratings")] == ["4.00", "3.50"]
    assert table(body, "statutory_training") == [
        {"kind": "safeguarding", "valid": 5, "expiring": 1, "expired": 1, "missing": 1}
    ]


async def test_the_termly_report_as_csv_is_one_row_per_figure_with_a_file_name(
    reports: httpx.AsyncClient,
) -> None:
    answer = await reports.get("/reports/termly", params={**TERMLY, "format": "csv"})

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"] == (
        'attachment; filename="termly-S-WALMLEY-2026-autumn.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    figures = {(r["table"], r["row_label"], r["column"]): r["value"] for r in rows}
    assert figures[("spend_by_priority", "SIP-1", "spent_gbp")] == "485.00"
    assert figures[("supply_cover", "Taken place", "days")] == "3.50"
    assert figures[("cpd_hours", "Total", "hours")] == "48.00"
    assert figures[("decisions", "awaiting", "median_school_days")] == ""
    assert {r["unit"] for r in rows if r["column"].endswith("_gbp")} == {"GBP"}


async def test_the_termly_report_as_html_prints_pounds_and_draws_its_charts(
    reports: httpx.AsyncClient,
) -> None:
    answer = await reports.get("/reports/termly", params=TERMLY, headers={"Accept": "text/html"})

    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    page = answer.text
    assert "<h1>CPD report for the governors: Walmley Infant School, autumn term 2026</h1>" in page
    for shown in ("£5,000.00", "£3,225.00", "£485.00", "48.00", "1 Sep 2026"):
        assert shown in page
    assert page.count("<svg") == 6  # states, budget, priority, activity, dissemination, hours
    assert "<script" not in page and "<link" not in page and "@import" not in page


async def test_the_trust_summary_sets_every_school_side_by_side(
    reports: httpx.AsyncClient,
) -> None:
    answer = await reports.get("/reports/trust", params=TRUST)

    assert answer.status_code == 200, answer.text
    spending = table(answer.json(), "spending")
    assert [
        (r["school_id"], r["staff"], r["spent_gbp"], r["spent_per_staff_gbp"]) for r in spending
    ] == [
        (ELMHURST, 4, "0.00", "0.00"),
        (NORTHFIELD, 3, "260.00", "86.67"),
        (WALMLEY, 11, "925.00", "84.09"),
    ]
    assert spending[0]["budget_gbp"] is None


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/reports/termly", {**TERMLY, "term": "2026-winter"}, "term"),
        ("/reports/termly", {**TERMLY, "term": "1800-autumn"}, "term"),
        ("/reports/termly", {**TERMLY, "format": "pdf"}, "format"),
        ("/reports/trust", {"from": "2026-12-31", "to": "2026-09-01"}, "to"),
        ("/reports/trust", {"from": "2020-01-01", "to": "2026-09-01"}, "to"),
        ("/reports/trust", {"from": "2026-02-30", "to": "2026-09-01"}, "from"),
        ("/reports/trust", {"to": "2026-09-01"}, "from"),
    ],
)
async def test_a_bad_parameter_is_refused_with_a_problem_naming_it(
    reports: httpx.AsyncClient, path: str, params: dict[str, str], parameter: str
) -> None:
    answer = await reports.get(path, params=params)

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["error"] == "invalid_parameters"
    assert ["query", parameter] in [p["loc"] for p in problem["problems"]]


async def test_an_unknown_school_answers_404(reports: httpx.AsyncClient) -> None:
    answer = await reports.get("/reports/termly", params={**TERMLY, "school_id": "S-NOWHERE"})
    assert (answer.status_code, answer.json()["error"]) == (404, "unknown_school")


async def test_a_head_teacher_reads_their_own_school_s_report_and_no_other(
    reports: httpx.AsyncClient, term_data_dir: Path
) -> None:
    head = bearer(make_key(term_data_dir, "head-w", "read:reports", as_staff_id="HEAD-W"))

    own = await reports.get("/reports/termly", params=TERMLY, headers=head)
    other = await reports.get(
        "/reports/termly", params={**TERMLY, "school_id": NORTHFIELD}, headers=head
    )
    summary = await reports.get("/reports/trust", params=TRUST, headers=head)

    assert own.status_code == 200
    assert (other.status_code, other.json()["error"]) == (403, "out_of_reach")
    assert (summary.status_code, summary.json()["error"]) == (403, "out_of_reach")


@pytest.mark.parametrize("person", ["EXEC-1", "TRUSTEE-1"])
async def test_an_executive_lead_or_trustee_reads_their_own_trust_s_schools(
    reports: httpx.AsyncClient, term_data_dir: Path, person: str
) -> None:
    key = bearer(make_key(term_data_dir, person.lower(), "read:reports", as_staff_id=person))

    answer = await reports.get("/reports/trust", params=TRUST, headers=key)

    assert answer.status_code == 200, answer.text
    assert [r["school_id"] for r in table(answer.json(), "spending")] == [NORTHFIELD, WALMLEY]


async def test_a_key_without_read_reports_is_refused(
    reports: httpx.AsyncClient, term_data_dir: Path
) -> None:
    key = bearer(make_key(term_data_dir, "portal", "read:requests"))
    answer = await reports.get("/reports/trust", params=TRUST, headers=key)
    assert (answer.status_code, answer.json()["error"]) == (403, "missing_scope")
