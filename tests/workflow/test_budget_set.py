"""`budget.set`: who may set a school's budget, which years it may name, and that the
latest stands while the earlier ones stay in the ledger."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas import parse_inbound
from tests.directory_seed import Person, seed_store
from tests.workflow.budget_builders import budget_set, figures, rows, view
from tests.workflow.builders import EXECUTIVE, HEAD, STAFF
from tests.workflow.governed import governed_store
from workflow.clock import FakeClock
from workflow.store import Store

WALMLEY = "school-walmley"  # years from April
CPD_LEAD, OTHER_HEAD, GONE = "cpd-wanda", "head-south", "head-gone"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    clock = FakeClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    async with governed_store(db_path, clock) as follow_ups:
        people = [
            Person(CPD_LEAD, WALMLEY, ("cpd_lead", "teacher")),
            Person(OTHER_HEAD, "school-south", ("head_teacher",)),
            Person(GONE, WALMLEY, ("head_teacher",)),
        ]
        await seed_store(follow_ups.store, [], people)
        left = {"staff_id": GONE, "left_on": "2026-02-27", "reason": "retirement"}
        await follow_ups.store.apply(
            parse_inbound(
                {
                    "specversion": "1.0",
                    "id": "hr-gone",
                    "source": "urn:trust:hr",
                    "type": "staff.left",
                    "subject": GONE,
                    "actor": "hr-sync",
                    "data": left,
                }
            )
        )
        yield follow_ups.store


@pytest.mark.parametrize(
    "actor",
    [HEAD, CPD_LEAD, EXECUTIVE, "finance-sync"],
    ids=["head teacher", "CPD lead", "executive lead", "finance system"],
)
async def test_the_head_cpd_lead_executive_lead_or_a_system_sets_a_budget(
    store: Store, actor: str
) -> None:
    outcome = await store.apply(budget_set(WALMLEY, "2026-27", "12000.00", actor=actor))

    assert outcome.status.status == "applied", outcome.status.reason
    found = await view(store, WALMLEY, "2026-27")
    assert figures(found) == ("12000.00", "0.00", "0.00", "12000.00")
    assert found["ledger"][0]["actor"] == actor


@pytest.mark.parametrize(
    ("actor", "code", "reason"),
    [
        (
            STAFF,
            "not_authorised",
            "'staff-ada' may not set the budget of school-walmley: it needs a head teacher or"
            " CPD lead of the school, or an executive lead of its trust (rule"
            " who_may.set_budget)",
        ),
        (
            OTHER_HEAD,
            "not_authorised",
            "'head-south' may not set the budget of school-walmley: it needs a head teacher or"
            " CPD lead of the school, or an executive lead of its trust (rule"
            " who_may.set_budget)",
        ),
        (GONE, "unknown_actor", "'head-gone' has left (last working day 2026-02-27)"),
        (
            "cpd-workflow",
            "unknown_actor",
            "'cpd-workflow' is the service's own name: an event cannot act as it",
        ),
    ],
)
async def test_anyone_else_is_refused_saying_who_may(
    store: Store, actor: str, code: str, reason: str
) -> None:
    outcome = await store.apply(budget_set(WALMLEY, "2026-27", "12000.00", actor=actor))

    assert (outcome.status.status, outcome.status.code) == ("rejected", code)
    assert outcome.status.reason == reason
    assert rows(await view(store, WALMLEY, "2026-27")) == []


async def test_a_school_the_directory_does_not_know_has_no_budget(store: Store) -> None:
    outcome = await store.apply(budget_set("school-nowhere", "2026-27", "1.00"))

    assert (outcome.status.code, outcome.status.reason) == (
        "unknown_school",
        "no school 'school-nowhere' in the staff directory",
    )


async def test_the_subject_must_be_the_school(store: Store) -> None:
    outcome = await store.apply(budget_set(WALMLEY, "2026-27", "1.00", subject="school-elston"))

    assert outcome.status.code == "subject_mismatch"


async def test_a_year_the_school_never_names_is_refused(store: Store) -> None:
    outcome = await store.apply(budget_set(WALMLEY, "2026-26", "1.00"))

    assert (outcome.status.code, outcome.status.reason) == (
        "not_a_financial_year",
        "school-walmley: 2026-26 is not a financial year of a school whose years start on"
        " 1 April (money.financial_year_starts = 4): e.g. 2026-27",
    )


async def test_the_latest_budget_stands_and_the_earlier_stay_in_the_ledger(
    store: Store,
) -> None:
    for amount in ("12000.00", "9000.50", "11000.00"):
        await store.apply(budget_set(WALMLEY, "2026-27", amount))
    await store.apply(budget_set(WALMLEY, "2027-28", "500.00"))

    found = await view(store, WALMLEY, "2026-27")

    assert found["budget_gbp"] == "11000.00"
    assert [(r[0], r[2]) for r in rows(found)] == [
        ("budget_set", "12000.00"),
        ("budget_set", "9000.50"),
        ("budget_set", "11000.00"),
    ]


async def test_the_same_budget_event_twice_is_applied_once(store: Store) -> None:
    first = budget_set(WALMLEY, "2026-27", "12000.00", event_id="finance-42")

    await store.apply(first)
    again = await store.apply(budget_set(WALMLEY, "2026-27", "1.00", event_id="finance-42"))

    assert again.duplicate
    assert rows(await view(store, WALMLEY, "2026-27")) == [
        ("budget_set", None, "12000.00", "budget.set")
    ]


async def test_the_view_defaults_to_the_schools_current_financial_year(store: Store) -> None:
    # 2 March 2026 is still Walmley's 2025-26 (April to March).
    await store.apply(budget_set(WALMLEY, "2025-26", "800.00"))

    found = await view(store, WALMLEY)

    assert (found["financial_year"], found["starts_on"], found["ends_on"]) == (
        "2025-26",
        "2025-04-01",
        "2026-03-31",
    )
    assert found["budget_gbp"] == "800.00"
