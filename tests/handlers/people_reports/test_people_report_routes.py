"""The portfolio, equality, provider and annual-review routes over HTTP on the scripted term:
their formats, their bad parameters, and who may read each."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx

from tests.handlers.keys import bearer, make_key

AUTUMN = {"from": "2026-09-01", "to": "2026-12-31"}


def tables(body: dict[str, object]) -> dict[str, list[dict[str, object]]]:
    sections = body["sections"]
    assert isinstance(sections, list)
    return {t["name"]: t["rows"] for s in sections for t in s["tables"]}


async def test_a_portfolio_lists_the_person_s_requests_sessions_training_and_agreed_cpd(
    people_client: httpx.AsyncClient,
) -> None:
    answer = await people_client.get("/staff/T-W1/portfolio")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["kind"], body["parameters"], body["period"]) == (
        "portfolio",
        {"staff_id": "T-W1"},
        None,
    )
    found = tables(body)
    assert [r["request_id"] for r in found["requests"]] == ["W-S1", "W-01", "W-06"]
    assert found["requests"][1]["cost_gbp"] == "180.00"
    assert [r["session_id"] for r in found["sessions"]] == ["SES-W0", "SES-W1", "SES-W2"]
    assert found["qualifications"][0]["valid_until"] == "2027-09-01"
    assert found["agreed_cpd"][0]["provided"] == "yes"


async def test_an_unknown_person_s_portfolio_is_a_404_problem(
    people_client: httpx.AsyncClient,
) -> None:
    answer = await people_client.get("/staff/NOBODY/portfolio?format=html")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["error"] == "unknown_staff"


async def test_one_school_s_equality_report_has_its_table_only(
    people_client: httpx.AsyncClient,
) -> None:
    answer = await people_client.get(
        "/reports/equality", params={**AUTUMN, "school_id": "S-WALMLEY"}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["parameters"] == {**AUTUMN, "school_id": "S-WALMLEY"}
    rows = tables(body)["groups_S-WALMLEY"]
    assert list(tables(body)) == ["groups_S-WALMLEY"]
    assert rows[1] == {
        "group": "Teaching",
        "members": 8,
        "requests": 9,
        "approved": 5,
        "spend_gbp": "1435.00",
        "hours": "42.00",
        "spend_per_member_gbp": "179.38",
        "hours_per_member": "5.25",
    }
    assert set(rows[3].values()) == {"Leadership", "suppressed"}


async def test_the_equality_report_comes_as_csv_and_as_a_page(
    people_client: httpx.AsyncClient,
) -> None:
    as_csv = await people_client.get("/reports/equality", params={**AUTUMN, "format": "csv"})
    assert as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert "equality-2026-09-01-2026-12-31.csv" in as_csv.headers["content-disposition"]
    cells = list(csv.DictReader(io.StringIO(as_csv.text)))
    governors = [
        c["value"]
        for c in cells
        if c["table"] == "groups_S-WALMLEY" and c["row_label"] == "Governors"
    ]
    assert governors == ["Governors", "5", "1", "1", "25.00", "10.00", "5.00", "2.00"]
    page = await people_client.get(
        "/reports/equality", params=AUTUMN, headers={"accept": "text/html"}
    )
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<svg" in page.text and "Trust-wide (TR-OAKS)" in page.text


async def test_a_period_that_ends_before_it_starts_is_a_422_naming_to(
    people_client: httpx.AsyncClient,
) -> None:
    answer = await people_client.get(
        "/reports/providers", params={"from": "2026-12-31", "to": "2026-09-01"}
    )
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["loc"] == ["query", "to"]
    missing = await people_client.get("/reports/equality", params={"to": "2026-12-31"})
    assert (missing.status_code, missing.json()["error"]) == (422, "invalid_parameters")


async def test_an_academic_year_must_run_into_the_next(people_client: httpx.AsyncClient) -> None:
    answer = await people_client.get(
        "/reports/annual-review", params={"school_id": "S-WALMLEY", "year": "2026-28"}
    )
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["loc"] == ["query", "year"]


async def test_reports_of_an_unknown_school_are_404_problems(
    people_client: httpx.AsyncClient,
) -> None:
    review = await people_client.get(
        "/reports/annual-review", params={"school_id": "S-NONE", "year": "2026-27"}
    )
    equality = await people_client.get(
        "/reports/equality", params={**AUTUMN, "school_id": "S-NONE"}
    )
    assert [review.json()["error"], equality.json()["error"]] == ["unknown_school"] * 2


async def test_the_annual_review_and_the_scorecard_answer_as_json(
    people_client: httpx.AsyncClient,
) -> None:
    review = await people_client.get(
        "/reports/annual-review", params={"school_id": "S-WALMLEY", "year": "2026-27"}
    )
    assert review.status_code == 200, review.text
    assert review.json()["period"] == {"from": "2026-09-01", "to": "2027-08-31"}
    assert tables(review.json())["benefits"][0]["average_rating"] == "4.20"
    scorecard = await people_client.get("/reports/providers", params=AUTUMN)
    assert scorecard.status_code == 200, scorecard.text
    reading = tables(scorecard.json())["scorecard"][0]
    assert (reading["provider"], reading["participants"]) == ("Reading Hub", 3)


async def test_a_person_reads_their_own_portfolio_and_not_a_colleague_s(
    people_client: httpx.AsyncClient, people_data_dir: Path
) -> None:
    mine = bearer(make_key(people_data_dir, "t-w1", "read:requests", as_staff_id="T-W1"))
    head = bearer(make_key(people_data_dir, "head-w", "read:requests", as_staff_id="HEAD-W"))
    assert (await people_client.get("/staff/T-W1/portfolio", headers=mine)).status_code == 200
    refused = await people_client.get("/staff/T-W2/portfolio", headers=mine)
    assert (refused.status_code, refused.json()["error"]) == (403, "out_of_reach")
    assert (await people_client.get("/staff/T-W2/portfolio", headers=head)).status_code == 200
    report = await people_client.get("/reports/equality", params=AUTUMN, headers=head)
    assert (report.status_code, report.json()["error"]) == (403, "missing_scope")


async def test_a_head_reads_their_school_s_reports_and_no_trust_wide_one(
    people_client: httpx.AsyncClient, people_data_dir: Path
) -> None:
    head = bearer(make_key(people_data_dir, "head-w", "read:reports", as_staff_id="HEAD-W"))
    walmley = {**AUTUMN, "school_id": "S-WALMLEY"}
    assert (
        await people_client.get("/reports/equality", params=walmley, headers=head)
    ).status_code == 200
    for path, params in (
        ("/reports/equality", AUTUMN),
        ("/reports/providers", AUTUMN),
        ("/reports/equality", {**AUTUMN, "school_id": "S-NORTHFIELD"}),
        ("/reports/annual-review", {"school_id": "S-NORTHFIELD", "year": "2026-27"}),
    ):
        answer = await people_client.get(path, params=params, headers=head)
        assert (answer.status_code, answer.json()["error"]) == (403, "out_of_reach"), path


async def test_an_executive_lead_s_trust_wide_reports_cover_their_trust_only(
    people_client: httpx.AsyncClient, people_data_dir: Path
) -> None:
    lead = bearer(make_key(people_data_dir, "exec-1", "read:reports", as_staff_id="EXEC-1"))
    answer = await people_client.get("/reports/equality", params=AUTUMN, headers=lead)
    assert answer.status_code == 200, answer.text
    assert list(tables(answer.json())) == [
        "groups_S-NORTHFIELD",
        "groups_S-WALMLEY",
        "groups_trust_TR-OAKS",
    ]
    scorecard = await people_client.get("/reports/providers", params=AUTUMN, headers=lead)
    assert scorecard.status_code == 200, scorecard.text


async def test_a_leaver_s_portfolio_still_reads(people_client: httpx.AsyncClient) -> None:
    answer = await people_client.get("/staff/T-W5/portfolio")
    assert answer.status_code == 200, answer.text
    person = tables(answer.json())["person"][0]
    assert (person["staff_id"], person["left_on"]) == ("T-W5", "2026-10-31")
