"""The equality, provider, annual-review and portfolio reports of the scripted term (with the
people of tests/reports_people_term.py), read from the store the service wrote and checked
figure by figure against sums done by hand from the script."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.reports_people_term import REPORT_TIME, build_people_term_database
from tests.reports_term import DATABASE
from workflow.directory.store import schools_as_of
from workflow.reports import SUPPRESSED, Report
from workflow.reports.annual_review import annual_review_report
from workflow.reports.equality import equality_report
from workflow.reports.people_readers import equality_facts, portfolio_facts, school_year_facts
from workflow.reports.periods import TermDates
from workflow.reports.portfolio import portfolio_report
from workflow.reports.providers import providers_report
from workflow.reports.request_facts import requests_starting

S = SUPPRESSED
WITHHELD = (S, S, S, S, S, S, S)
AUTUMN = (date(2026, 9, 1), date(2026, 12, 31))
TERMS = TermDates()  # spring ends a week after Easter Sunday: 12 April in 2026


@pytest.fixture(scope="module")
def term(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = tmp_path_factory.mktemp("people-term")
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, build_people_term_database(built)).result()
    return built / DATABASE


@pytest.fixture
def db(term: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{term}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def equality(db: sqlite3.Connection) -> Report:
    found = equality_facts(db, *AUTUMN, schools_as_of(db, REPORT_TIME), True, REPORT_TIME)
    return equality_report(
        found.units, found.members, found.requests, found.sessions, AUTUMN, {}, REPORT_TIME
    )


def test_walmley_s_groups_in_the_autumn_term(db: sqlite3.Connection) -> None:
    # members, requests, approved, school spend, hours, spend and hours per member
    assert equality(db).table("groups_S-WALMLEY").rows == (
        ("All staff and governors", 20, 13, 9, D("2347.00"), D("70.25"), D("117.35"), D("3.51")),
        ("Teaching", 8, 9, 5, D("1435.00"), D("42.00"), D("179.38"), D("5.25")),
        ("Support", *WITHHELD),  # 5 people, but with the 2 leaders it would give them back
        ("Leadership", *WITHHELD),  # HEAD-W and EXEC-1
        ("Governors", 5, 1, 1, D("25.00"), D("10.00"), D("5.00"), D("2.00")),
        ("Full-time", 13, 11, 7, D("2262.00"), D("57.25"), D("174.00"), D("4.40")),
        ("Part-time", 8, 2, 2, D("85.00"), D("13.00"), D("10.63"), D("1.63")),
        ("Early career teachers", *WITHHELD),
    )


def test_a_small_school_shows_only_its_whole_staff_and_a_tiny_one_nothing(
    db: sqlite3.Connection,
) -> None:
    report = equality(db)
    northfield = report.table("groups_S-NORTHFIELD").rows
    assert northfield[0] == (
        "All staff and governors",
        7,
        3,
        2,
        D("260.00"),
        D("0.00"),
        D("37.14"),
        D("0.00"),
    )
    assert all(row[1:] == WITHHELD for row in northfield[1:])
    assert all(row[1:] == WITHHELD for row in report.table("groups_S-ELMHURST").rows)


def test_a_trust_row_is_shown_only_where_every_school_s_row_is(db: sqlite3.Connection) -> None:
    rows = equality(db).table("groups_trust_TR-OAKS").rows
    assert rows[0] == (
        "All staff and governors",
        27,
        16,
        11,
        D("2607.00"),
        D("70.25"),
        D("96.56"),
        D("2.60"),
    )
    # Trust-wide teaching has 10 people, but less Walmley's 8 it would be Northfield's 2.
    assert all(row[1:] == WITHHELD for row in rows[1:])
    # Elmhurst's trust has one school: it is not repeated as a trust.
    assert [t.name for t in equality(db).tables()] == [
        "groups_S-ELMHURST",
        "groups_S-NORTHFIELD",
        "groups_S-WALMLEY",
        "groups_trust_TR-OAKS",
    ]


def test_the_provider_scorecard_from_summer_to_spring(db: sqlite3.Connection) -> None:
    period = (date(2026, 6, 1), date(2027, 3, 31))
    found = requests_starting(db, *period)
    terms = ["2026-summer", "2026-autumn", "2027-spring"]
    report = providers_report(
        found, terms, lambda d: TERMS.term_of(d).label, period, {}, REPORT_TIME
    )
    # participants, evaluations, rating, recommend, cost, per participant, hours, per hour
    assert report.table("scorecard").rows == (
        # W-S1, W-01 and N-01, and P-01 spelt "reading  hub"
        (
            "Reading Hub",
            4,
            3,
            D("4.33"),
            D("1.00"),
            D("560.00"),
            D("140.00"),
            D("9.50"),
            D("25.26"),
        ),
        ("SEND Online", 2, 2, D("3.00"), D("0.50"), D("90.00"), D("45.00"), D("6.00"), D("8.33")),
        (
            "Leaders Network",
            1,
            1,
            D("5.00"),
            D("1.00"),
            D("737.00"),
            D("737.00"),
            D("7.25"),
            D("101.66"),
        ),
        ("Maths Hub", 1, 1, D("3.00"), D("0.00"), D("300.00"), D("300.00"), None, None),
        ("NGA Learning", 1, 0, None, None, D("25.00"), D("25.00"), D("2.00"), D("12.50")),
        ("Walmley Hub", 1, 0, None, None, D("80.00"), D("80.00"), None, None),
    )
    assert report.table("trend_participants").rows == (
        ("2026-summer", 1, 0, 0, 0, 0, 0),
        ("2026-autumn", 3, 2, 1, 1, 1, 1),
        ("2027-spring", 0, 0, 0, 0, 0, 0),
    )
    assert report.table("trend_rating").rows[1] == (
        "2026-autumn",
        D("4.33"),
        D("3.00"),
        D("5.00"),
        D("3.00"),
        None,
        None,
    )


def test_walmley_s_annual_review_of_2026_27(db: sqlite3.Connection) -> None:
    requests, sessions = school_year_facts(db, "S-WALMLEY", date(2026, 9, 1), date(2027, 8, 31))
    report = annual_review_report(
        ("S-WALMLEY", "Walmley Infant School"),
        ("2026-27", date(2026, 9, 1), date(2027, 8, 31)),
        requests,
        sessions,
        lambda d: TERMS.term_of(d).label,
        ["2026-autumn", "2027-spring", "2027-summer"],
        REPORT_TIME,
    )
    assert report.table("undertaken").rows == (
        ("Requests completed", 7, 6, D("24.75"), D("1657.00")),
        ("In-house sessions", 4, 10, D("45.50"), None),
        ("All CPD", 11, 11, D("70.25"), D("1657.00")),
    )
    assert report.table("by_term").rows == (
        ("2026-autumn", 11, D("70.25")),
        ("2027-spring", 0, D("0.00")),
        ("2027-summer", 0, D("0.00")),
    )
    assert report.table("by_type").rows == (
        ("conference", 2, D("7.25"), D("1037.00")),
        ("course", 2, D("9.50"), D("390.00")),
        ("online", 2, D("8.00"), D("75.00")),
        ("visit", 1, D("0.00"), D("155.00")),
    )
    assert report.table("benefits").rows == ((5, D("4.20"), D("0.80"), 1, 2, D("3.50")),)
    assert report.table("ratings").rows == (
        ("5", 2, 0),
        ("4", 2, 1),
        ("3", 1, 1),
        ("2", 0, 0),
        ("1", 0, 0),
    )
    assert [row[1] for row in report.table("activities").rows] == [
        "Phonics leadership",
        "Governor safeguarding",
        "Online SEND module",
        "Headship conference",
        "Phonics for TAs",
        "Maths conference",
        "Visit to a hub school",
    ]


def test_a_teacher_s_portfolio_lists_everything_they_did_and_were_agreed(
    db: sqlite3.Connection,
) -> None:
    facts = portfolio_facts(db, "T-W1", REPORT_TIME)
    assert facts is not None
    report = portfolio_report(facts, REPORT_TIME)
    requests = report.table("requests").rows
    assert [(r[0], r[6], r[8]) for r in requests] == [
        ("W-S1", "completed", D("100.00")),
        ("W-01", "disseminated", D("180.00")),
        ("W-06", "completed", D("80.00")),
    ]
    assert report.table("outcomes").rows == (
        ("W-S1", None, None, None, "not yet", None, None),
        (
            "W-01",
            5,
            "yes",
            "Changed practice",
            "staff meeting with colleagues, 2026-10-20",
            4,
            "Seen in lessons",
        ),
        ("W-06", None, None, None, "not yet", None, None),
    )
    assert report.table("hours").rows == (
        ("2025-26", 1, D("0.00"), 1, D("2.00"), D("2.00")),
        ("2026-27", 2, D("6.50"), 2, D("7.50"), D("14.00")),
    )
    assert [r[0] for r in report.table("sessions").rows] == ["SES-W0", "SES-W1", "SES-W2"]
    assert report.table("qualifications").rows == (
        (
            "safeguarding",
            date(2026, 9, 1),
            date(2027, 9, 1),
            "valid",
            "session SES-W1",
            "CPDLEAD-W",
        ),
    )
    assert report.table("agreed_cpd").rows == (
        (
            "AG-W1",
            "2026-27",
            "Phonics leadership",
            date(2026, 9, 10),
            "HEAD-W",
            "yes",
            "request W-01 on 2026-10-05",
        ),
    )


def test_an_expired_qualification_and_unprovided_agreed_cpd_say_so(
    db: sqlite3.Connection,
) -> None:
    head = portfolio_facts(db, "HEAD-W", REPORT_TIME)
    teacher = portfolio_facts(db, "T-W3", REPORT_TIME)
    assert head is not None and teacher is not None
    rows = portfolio_report(head, REPORT_TIME).table("qualifications").rows
    assert [(r[2], r[3]) for r in rows] == [(date(2026, 11, 10), "expired")]
    agreed = portfolio_report(teacher, REPORT_TIME).table("agreed_cpd").rows
    assert [(r[0], r[5], r[6]) for r in agreed] == [("AG-W3", "no", None)]


def test_nobody_of_that_id_has_no_portfolio(db: sqlite3.Connection) -> None:
    assert portfolio_facts(db, "NOBODY", REPORT_TIME) is None
