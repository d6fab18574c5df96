"""The termly report of Walmley's autumn term 2026, checked figure by figure against what
was counted by hand from the scripted term (tests/reports_term_events.py says what
happened to each request)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.reports_term import NORTHFIELD, REPORT_TIME, TERM, WALMLEY, read_only, term_context
from workflow.reports import Report
from workflow.reports.context import ReportCalendar
from workflow.reports.periods import InvalidPeriod
from workflow.reports.termly import termly_report


@pytest.fixture(scope="module")
def walmley(term_built: Path) -> Report:
    return termly_report(read_only(term_built), term_context(term_built), WALMLEY, TERM)


def rows(report: Report, table: str) -> list[tuple[object, ...]]:
    return list(report.table(table).rows)


def test_the_report_names_its_school_term_and_the_term_s_days(walmley: Report) -> None:
    assert walmley.kind == "termly"
    assert walmley.title == "CPD report for the governors: Walmley Infant School, autumn term 2026"
    assert dict(walmley.parameters) == {"school_id": WALMLEY, "term": "2026-autumn"}
    assert (walmley.period_from, walmley.period_to) == (date(2026, 9, 1), date(2026, 12, 31))
    assert walmley.generated_at == REPORT_TIME


def test_requests_are_counted_by_state_those_starting_outside_the_term_left_out(
    walmley: Report,
) -> None:
    assert [(r[0], r[2]) for r in rows(walmley, "requests_by_state")] == [
        ("requested", 1),  # W-08
        ("head_approved", 0),  # W-P1 starts in spring
        ("executive_approved", 0),
        ("booked", 1),  # W-07
        ("completed", 1),  # W-06 (W-S1 was in the summer)
        ("evaluated", 2),  # W-02, W-03
        ("disseminated", 1),  # W-01
        ("rejected", 2),  # W-04, W-05
        ("withdrawn", 1),  # W-09
        ("not_attended", 1),  # W-10
        ("total", 10),
    ]


def test_decisions_count_requests_with_the_median_school_days_to_decide(walmley: Report) -> None:
    assert [(r[0], r[2], r[3]) for r in rows(walmley, "decisions")] == [
        # W-01 4, W-02 3, W-03 3, W-06 2 (half term between), W-07 3, W-10 2
        ("approved", 6, D("3.0")),
        ("rejected_by_head", 1, D("2.0")),  # W-04
        ("rejected_by_executive", 1, D("4.0")),  # W-05
        ("rejected", 2, D("3.0")),  # the middle of 2 and 4
        ("awaiting", 1, None),  # W-08
    ]


def test_spending_against_the_budget_for_the_term_and_its_financial_year(walmley: Report) -> None:
    assert rows(walmley, "budget") == [
        # term: W-07 600 committed; spent W-01 330 + W-02 300 + W-03 50 + W-06 155 + W-10 90.
        # year: also W-S1 (100 spent in July) and W-P1 (150 committed, starts in January).
        ("2026-27", D("5000.00"), D("600.00"), D("925.00"), D("750.00"), D("1025.00"), D("3225.00"))
    ]


def test_spending_by_sip_priority_counts_a_request_under_each_priority_it_names(
    walmley: Report,
) -> None:
    assert rows(walmley, "spend_by_priority") == [
        ("SIP-1", "Early reading", 4, D("600.00"), D("485.00")),  # W-01, W-06, W-07, W-08
        ("SIP-2", "Maths mastery", 2, D("600.00"), D("300.00")),  # W-02, W-07
        ("(none)", "Not linked to a SIP priority", 2, D("0.00"), D("140.00")),  # W-03, W-10
    ]


def test_spending_by_activity_type(walmley: Report) -> None:
    assert [(r[0], *r[2:]) for r in rows(walmley, "spend_by_activity")] == [
        ("course", 3, D("600.00"), D("420.00")),  # W-01, W-07, W-10
        ("conference", 1, D("0.00"), D("300.00")),
        ("in_school", 1, D("0.00"), D("0.00")),
        ("online", 1, D("0.00"), D("50.00")),
        ("visit", 1, D("0.00"), D("155.00")),
    ]


def test_supply_cover_taken_and_to_come(walmley: Report) -> None:
    assert rows(walmley, "supply_cover") == [
        ("Taken place", 3, D("3.50"), D("525.00")),  # W-01, W-02, W-06 (not the no-show)
        ("Approved, still to come", 1, D("1.00"), D("150.00")),  # W-07
    ]


def test_evaluations_dissemination_and_impact_reviews(walmley: Report) -> None:
    assert rows(walmley, "evaluations") == [("returned", 3), ("outstanding", 1)]
    assert rows(walmley, "dissemination") == [
        ("done", 1),
        ("waived", 1),
        ("outstanding", 2),  # W-03 evaluated, W-06 not yet
        ("not required", 0),
    ]
    assert rows(walmley, "impact_reviews") == [("done", 2), ("due", 1)]
    assert [r[1:] for r in rows(walmley, "ratings")] == [(D("4.00"), 3), (D("3.50"), 2)]


def test_statutory_compliance_on_the_day_the_report_is_made(walmley: Report) -> None:
    # Five from the INSET day's safeguarding session; the CPD lead's runs out in February;
    # the head's ran out in November; T-W4 has none. Governors, the executive lead and the
    # booking office need none; leavers are not counted.
    assert rows(walmley, "statutory_training") == [("safeguarding", 5, 1, 1, 1)]


def test_agreed_cpd_of_the_year_s_appraisals_not_yet_provided(walmley: Report) -> None:
    assert rows(walmley, "agreed_cpd") == [("2026-27", 4, 2, 2)]
    assert rows(walmley, "agreed_cpd_not_provided") == [
        ("T-W3", "AG-W3", "Reading for pleasure", date(2026, 9, 10)),
        ("T-W4", "AG-W4", "Behaviour management", date(2026, 9, 10)),
    ]


def test_inset_and_in_house_hours(walmley: Report) -> None:
    assert rows(walmley, "sessions_by_kind") == [
        ("inset", 1, D("6.00"), 5, D("30.00")),
        ("staff_meeting", 1, D("1.50"), 3, D("4.50")),
        ("coaching", 1, D("1.00"), 1, D("1.00")),
        ("network", 0, D("0.00"), 0, D("0.00")),
        ("training", 0, D("0.00"), 0, D("0.00")),  # SES-W0 was in July
        ("other", 0, D("0.00"), 0, D("0.00")),
    ]
    assert [r[1] for r in rows(walmley, "cpd_hours")] == [D("35.50"), D("12.50"), D("48.00")]
    assert rows(walmley, "inset_days") == [(date(2026, 9, 1),), (date(2026, 11, 27),)]


def test_a_school_s_report_holds_only_its_own_requests(term_built: Path) -> None:
    northfield = termly_report(read_only(term_built), term_context(term_built), NORTHFIELD, TERM)

    assert northfield.table("requests_by_state").rows[-1] == ("total", "All requests", 3)
    assert northfield.table("budget").rows == (
        ("2026-27", D("3000.00"), D("0.00"), D("260.00"), D("0.00"), D("260.00"), D("2740.00")),
    )
    assert [r[3] for r in northfield.table("decisions").rows] == [
        D("3.0"),
        D("2.0"),
        None,
        D("2.0"),
        None,
    ]


def test_a_term_that_is_not_one_is_refused_naming_the_parameter(term_built: Path) -> None:
    with pytest.raises(InvalidPeriod) as refused:
        termly_report(read_only(term_built), term_context(term_built), WALMLEY, "2026-winter")
    assert refused.value.parameter == "term"


def test_a_spring_term_across_the_april_year_end_shows_both_financial_years(
    term_built: Path,
) -> None:
    spring = termly_report(read_only(term_built), term_context(term_built), WALMLEY, "2027-spring")

    assert (spring.period_from, spring.period_to) == (date(2027, 1, 1), date(2027, 4, 9))
    assert spring.table("budget").rows == (
        # W-P1 (starts 20 January, head approved): £150 committed in 2026-27
        ("2026-27", D("5000.00"), D("150.00"), D("0.00"), D("750.00"), D("1025.00"), D("3225.00")),
        ("2027-28", None, D("0.00"), D("0.00"), D("0.00"), D("0.00"), None),
    )
    assert spring.table("decisions").rows[-1][2] == 1  # awaiting the executive lead
    assert spring.table("inset_days").rows == ((date(2027, 1, 4),),)


def test_a_school_naming_its_own_term_dates_is_counted_by_them_and_the_others_by_the_default(
    term_built: Path,
) -> None:
    """The lookup is what the service hands in (each school's `term_dates` and nation)."""
    own = ReportCalendar(inset_days=frozenset({date(2026, 10, 16)}))
    default = term_context(term_built)
    context = replace(
        default,
        school_calendar=lambda _db, school, _at: own if school == WALMLEY else default.calendar,
    )

    walmley = termly_report(read_only(term_built), context, WALMLEY, TERM)
    northfield = termly_report(read_only(term_built), context, NORTHFIELD, TERM)

    assert rows(walmley, "inset_days") == [(date(2026, 10, 16),)]
    assert rows(northfield, "inset_days") == [(date(2026, 9, 1),), (date(2026, 11, 27),)]
