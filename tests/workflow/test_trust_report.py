"""The trust summary over the autumn term 2026: every school side by side, checked against
figures counted by hand from the scripted term."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.reports_term import ELMHURST, NORTHFIELD, WALMLEY, read_only, term_context
from workflow.reports import Report
from workflow.reports.periods import InvalidPeriod
from workflow.reports.trust import trust_report

SCHOOLS = [WALMLEY, NORTHFIELD, ELMHURST]


@pytest.fixture(scope="module")
def trust(term_built: Path) -> Report:
    db = read_only(term_built)
    return trust_report(db, term_context(term_built), SCHOOLS, "2026-09-01", "2026-12-31")


def column(report: Report, table: str, name: str) -> list[object]:
    found = report.table(table)
    at = [c.name for c in found.columns].index(name)
    return [row[at] for row in found.rows]


def test_schools_stand_side_by_side_in_order_of_name(trust: Report) -> None:
    assert trust.kind == "trust"
    assert dict(trust.parameters) == {"from": "2026-09-01", "to": "2026-12-31"}
    assert trust.title == "CPD summary for the trustees: 1 September 2026 to 31 December 2026"
    assert column(trust, "requests_by_state", "school_id") == [ELMHURST, NORTHFIELD, WALMLEY]
    assert column(trust, "requests_by_state", "total") == [1, 3, 10]
    assert column(trust, "requests_by_state", "trust") == ["TR-ELMS", "TR-OAKS", "TR-OAKS"]


def test_staff_are_those_of_the_school_during_the_period(trust: Report) -> None:
    # Walmley: head, CPD lead, T-W1..T-W5 (T-W5 left in October), the TA, the ECT, the
    # executive lead and the booking office; not the governor, not T-W6 (left in July).
    assert column(trust, "requests_by_state", "staff") == [4, 3, 11]


def test_spending_and_spending_per_member_of_staff(trust: Report) -> None:
    assert [row[2:] for row in trust.table("spending").rows] == [
        ("2026-27", None, D("100.00"), D("0.00"), None, D("100.00"), D("0.00"), 4, D("0.00")),
        (
            "2026-27",
            D("3000.00"),
            D("0.00"),
            D("260.00"),
            D("2740.00"),
            D("0.00"),
            D("260.00"),
            3,
            D("86.67"),
        ),
        (
            "2026-27",
            D("5000.00"),
            D("750.00"),
            D("1025.00"),
            D("3225.00"),
            D("600.00"),
            D("925.00"),
            11,
            D("84.09"),
        ),
    ]


def test_decisions_side_by_side(trust: Report) -> None:
    assert [row[2:] for row in trust.table("decisions").rows] == [
        (1, D("2.0"), 0, 0, 0, None, 0),
        (2, D("3.0"), 1, 0, 1, D("2.0"), 0),
        (6, D("3.0"), 1, 1, 2, D("3.0"), 1),
    ]


def test_priorities_and_activities_are_listed_school_by_school(trust: Report) -> None:
    assert trust.table("spend_by_priority").rows == (
        (ELMHURST, "(none)", "Not linked to a SIP priority", 1, D("100.00"), D("0.00")),
        (NORTHFIELD, "SIP-1", "Behaviour", 1, D("0.00"), D("220.00")),
        (NORTHFIELD, "(none)", "Not linked to a SIP priority", 1, D("0.00"), D("40.00")),
        (WALMLEY, "SIP-1", "Early reading", 4, D("600.00"), D("485.00")),
        (WALMLEY, "SIP-2", "Maths mastery", 2, D("600.00"), D("300.00")),
        (WALMLEY, "(none)", "Not linked to a SIP priority", 2, D("0.00"), D("140.00")),
    )
    assert [(r[0], r[1], r[2]) for r in trust.table("spend_by_activity").rows] == [
        (ELMHURST, "course", 1),
        (NORTHFIELD, "course", 1),
        (NORTHFIELD, "online", 1),
        (WALMLEY, "course", 3),
        (WALMLEY, "conference", 1),
        (WALMLEY, "in_school", 1),
        (WALMLEY, "online", 1),
        (WALMLEY, "visit", 1),
    ]


def test_follow_through_compliance_agreed_cpd_and_hours(trust: Report) -> None:
    assert [row[2:] for row in trust.table("evaluations").rows] == [
        (0, 0, 0, None, 0, 0, None),
        (2, 2, 0, D("3.00"), 1, 1, D("5.00")),
        (4, 3, 1, D("4.00"), 2, 1, D("3.50")),
    ]
    assert [row[2:] for row in trust.table("dissemination").rows] == [
        (0, 0, 0, 0),
        (1, 0, 1, 0),
        (1, 1, 2, 0),
    ]
    assert [row[2:] for row in trust.table("agreed_cpd").rows] == [
        ("2026-27", 0, 0, 0),
        ("2026-27", 1, 1, 0),
        ("2026-27", 4, 2, 2),
    ]
    assert [row[2:] for row in trust.table("statutory_training").rows] == [
        ("safeguarding", 0, 0, 0, 2),
        ("safeguarding", 0, 0, 0, 3),
        ("safeguarding", 5, 1, 1, 1),
    ]
    assert [row[2:] for row in trust.table("supply_cover").rows][2] == (
        3,
        D("3.50"),
        D("525.00"),
        1,
        D("1.00"),
        D("150.00"),
    )
    assert [row[2:] for row in trust.table("cpd_hours").rows] == [
        (2, 0, D("0.00"), D("0.00"), D("0.00")),
        (2, 0, D("0.00"), D("0.00"), D("0.00")),
        (2, 3, D("35.50"), D("12.50"), D("48.00")),
    ]


def test_a_period_that_runs_backwards_is_refused_naming_to(term_built: Path) -> None:
    with pytest.raises(InvalidPeriod) as refused:
        trust_report(
            read_only(term_built), term_context(term_built), SCHOOLS, "2026-12-31", "2026-09-01"
        )
    assert refused.value.parameter == "to"
