"""The equality and provider figures from hand-made facts, against sums done by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

from tests.workflow.report_facts import request, session, term_of
from workflow.reports import SUPPRESSED
from workflow.reports.equality import Unit, equality_report
from workflow.reports.providers import provider_key, providers_report
from workflow.reports.staff_groups import Group

NOW = datetime(2027, 9, 1, 9, tzinfo=UTC)
YEAR = (date(2026, 9, 1), date(2027, 8, 31))
TERMS = ["2026-autumn", "2027-spring", "2027-summer"]
S = SUPPRESSED


def ids(prefix: str, count: int) -> frozenset[str]:
    return frozenset(f"{prefix}{n}" for n in range(1, count + 1))


def test_equality_rows_count_each_groups_requests_approvals_spend_and_hours() -> None:
    teaching, support, leaders, governors = ids("t", 6), ids("s", 5), ids("l", 5), ids("g", 5)
    members = {
        ("A", Group.ALL_STAFF): teaching | support | leaders | governors,
        ("A", Group.TEACHING): teaching,
        ("A", Group.SUPPORT): support,
        ("A", Group.LEADERSHIP): leaders,
        ("A", Group.GOVERNORS): governors,
        ("A", Group.FULL_TIME): teaching | leaders | governors | {"s4", "s5"},
        ("A", Group.PART_TIME): frozenset({"s1", "s2", "s3"}),
        ("A", Group.ECT): frozenset({"t1", "t2"}),
    }
    requests = [
        request("R1", staff_id="t1", spend="100.00", hours="6"),
        request("R2", staff_id="t2", state="rejected", approved=False),
        request("R3", staff_id="t3", state="booked", spend="250.00", hours="5"),
        request("R4", staff_id="s1", spend="80.50", hours="3.5"),
        request("R5", staff_id="l1", spend="400.00"),
    ]
    sessions = [session("SES-1", ("g1", "s1", "t1", "t2"))]
    report = equality_report(
        [Unit("A", "School A", ("A",))], members, requests, sessions, YEAR, {}, NOW
    )
    assert report.table("groups_A").rows == (
        ("All staff and governors", 21, 5, 4, D("830.50"), D("17.50"), D("39.55"), D("0.83")),
        ("Teaching", 6, 3, 2, D("350.00"), D("10.00"), D("58.33"), D("1.67")),
        ("Support", 5, 1, 1, D("80.50"), D("5.50"), D("16.10"), D("1.10")),
        ("Leadership", 5, 1, 1, D("400.00"), D("0.00"), D("80.00"), D("0.00")),
        ("Governors", 5, 0, 0, D("0.00"), D("2.00"), D("0.00"), D("0.40")),
        ("Full-time", S, S, S, S, S, S, S),  # else All staff less full-time gives part-time
        ("Part-time", S, S, S, S, S, S, S),
        ("Early career teachers", S, S, S, S, S, S, S),
    )


def test_provider_names_are_the_same_whatever_their_case_and_spacing() -> None:
    assert provider_key("  reading   HUB ") == provider_key("Reading Hub") == "reading hub"


def test_the_scorecard_counts_completed_requests_and_rates_over_evaluations_returned() -> None:
    requests = [
        request("R1", start="2026-10-05", cost="240", hours="6", rating=4),
        request(
            "R2", provider="reading  hub ", start="2026-11-10", cost="260", hours="6", rating=5
        ),
        request("R3", start="2027-01-20", cost="250"),
        request("R4", state="rejected", cost="300"),
        request(
            "R5",
            provider="Maths Trust",
            state="disseminated",
            start="2027-02-01",
            cost="100",
            hours="3",
            rating=2,
            recommend=False,
        ),
        request(
            "R6",
            provider="Maths Trust",
            state="evaluated",
            start="2027-05-10",
            cost="0",
            hours="0",
            rating=3,
        ),
        request("R7", provider=None, start="2027-03-01"),
        request("R8", provider="Maths Trust", state="booked", start="2027-06-01"),
    ]
    report = providers_report(requests, TERMS, term_of, YEAR, {}, NOW)
    assert report.table("scorecard").rows == (
        (
            "Reading Hub",
            3,
            2,
            D("4.50"),
            D("1.00"),
            D("750.00"),
            D("250.00"),
            D("12.00"),
            D("41.67"),
        ),
        ("Maths Trust", 2, 2, D("2.50"), D("0.50"), D("100.00"), D("50.00"), D("3.00"), D("33.33")),
    )
    assert report.table("trend_participants").rows == (
        ("2026-autumn", 2, 0),
        ("2027-spring", 1, 1),
        ("2027-summer", 0, 1),
    )
    assert report.table("trend_rating").rows == (
        ("2026-autumn", D("4.50"), None),
        ("2027-spring", None, D("2.00")),
        ("2027-summer", None, D("3.00")),
    )
    assert [c.title for c in report.table("trend_rating").columns] == [
        "Term",
        "Reading Hub",
        "Maths Trust",
    ]
    assert "1 completed request named no provider" in " ".join(report.sections[0].notes)
