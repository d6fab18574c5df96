"""Rule money.within_budget: an approval that would take a school past its budget for the
year is refused, with every figure, unless the approver gives an override_reason, which is
kept with the approval and listed beside the budget."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.workflow.budget_builders import Calendar, budget_set, figures, rows, view
from tests.workflow.builders import EXECUTIVE, HEAD, event
from tests.workflow.governed import governed_store
from workflow.clock import FakeClock
from workflow.store import Store

ELSTON = "school-elston"  # years from September; head teacher, then executive lead
REFUSAL = (
    "approving this request would take school-elston past its 2026-27 CPD budget (rule"
    " money.within_budget of policy set elston-hall-trust v1): budget £1,000.00, committed"
    " £600.00, spent £0.00, this request £500.00, remaining £400.00; approve with an"
    " override_reason to go over it"
)


@pytest.fixture
async def days(db_path: Path) -> AsyncIterator[Calendar]:
    """Elston with a £1,000 budget for 2026-27 and £600 of it committed to R1."""
    clock = FakeClock(datetime(2026, 8, 3, 9, tzinfo=UTC))
    async with governed_store(db_path, clock) as follow_ups:
        days = Calendar(follow_ups.store, clock)
        await days.apply(budget_set(ELSTON, "2026-27", "1000.00"))
        await course(days, "R1", "600.00")
        await days.step("head_approved", "R1")
        await days.step("executive_approved", "R1")
        yield days


async def course(days: Calendar, request_id: str, cost: str, **data: object) -> None:
    await days.submit(
        request_id,
        ELSTON,
        start_date="2026-10-05",
        end_date="2026-10-05",
        cost_gbp=cost,
        **data,
    )


async def refused(store: Store, event_type: str, request_id: str, **data: object) -> str:
    outcome = await store.apply(event(event_type, request_id, **data))
    assert (outcome.status.status, outcome.status.code) == ("rejected", "over_budget")
    assert outcome.status.reason is not None
    return outcome.status.reason


async def test_a_head_approval_past_the_budget_is_refused_naming_every_figure(
    days: Calendar,
) -> None:
    await course(days, "R2", "500.00")

    reason = await refused(days.store, "cpd.request.head_approved", "R2")

    assert reason == REFUSAL
    found = await days.store.get_request("R2")
    assert found is not None and found.state == "requested"
    history = await days.store.history("R2")
    assert (history[-1].outcome, history[-1].reason) == ("refused", REFUSAL)
    assert [r[1] for r in rows(await view(days.store, ELSTON, "2026-27"))] == [None, "R1"]


async def test_an_override_reason_approves_it_and_leaves_the_remainder_negative(
    days: Calendar,
) -> None:
    await course(days, "R2", "500.00")
    why = "Designated safeguarding lead training: statutory, cannot wait"

    await days.step("head_approved", "R2", override_reason=why)

    history = await days.store.history("R2")
    assert history[-1].data["override_reason"] == why
    found = await view(days.store, ELSTON, "2026-27")
    assert figures(found) == ("1000.00", "1100.00", "0.00", "-100.00")
    assert found["overrides"] == [
        {
            "request_id": "R2",
            "cause": "cpd.request.head_approved",
            "actor": HEAD,
            "override_reason": why,
            "at": days.clock.now().isoformat(),
            "budget_gbp": "1000.00",
            "committed_gbp": "600.00",
            "spent_gbp": "0.00",
            "request_gbp": "500.00",
        }
    ]


async def test_the_executive_approval_is_judged_too_counting_the_request_once(
    days: Calendar,
) -> None:
    await course(days, "R2", "500.00")
    await days.step("head_approved", "R2", override_reason="the head teacher's call")

    reason = await refused(days.store, "cpd.request.executive_approved", "R2")
    assert reason == REFUSAL  # committed £600.00: R2's own £500.00 is not counted twice

    await days.step("executive_approved", "R2", override_reason="agreed with the trust")
    found = await view(days.store, ELSTON, "2026-27")
    assert [(o["actor"], o["cause"]) for o in found["overrides"]] == [
        (HEAD, "cpd.request.head_approved"),
        (EXECUTIVE, "cpd.request.executive_approved"),
    ]
    assert figures(found) == ("1000.00", "1100.00", "0.00", "-100.00")  # nothing new held


async def test_an_approval_within_the_budget_with_a_reason_is_no_override(
    days: Calendar,
) -> None:
    await course(days, "R2", "400.00")

    await days.step("head_approved", "R2", override_reason="just in case")

    found = await view(days.store, ELSTON, "2026-27")
    assert found["overrides"] == []
    assert figures(found) == ("1000.00", "1000.00", "0.00", "0.00")


async def test_only_the_schools_share_and_cover_are_judged(days: Calendar) -> None:
    # £1,200 course, a quarter the school's (£300), plus a quarter of £400 cover (£100).
    await course(
        days, "R2", "1200.00", cover_cost_gbp="400.00", funding={"school": "0.25", "grant": "0.75"}
    )
    await days.step("head_approved", "R2")
    # Now £0 remains: a grant-funded request still passes, one costing a penny does not.
    await course(days, "R3", "900.00", funding={"grant": "1"})
    await days.step("head_approved", "R3")
    await course(days, "R4", "0.01")
    reason = await refused(days.store, "cpd.request.head_approved", "R4")
    assert "this request £0.01, remaining £0.00" in reason


async def test_a_later_lower_budget_is_the_one_approvals_are_judged_by(days: Calendar) -> None:
    await days.apply(budget_set(ELSTON, "2026-27", "700.00", actor="finance-sync"))
    await course(days, "R2", "150.00")

    reason = await refused(days.store, "cpd.request.head_approved", "R2")

    assert "budget £700.00, committed £600.00" in reason


async def test_without_a_budget_for_the_year_nothing_is_refused(days: Calendar) -> None:
    # September 2027 is Elston's 2027-28, which has no budget.
    await days.submit(
        "R2", ELSTON, start_date="2027-09-06", end_date="2027-09-06", cost_gbp="90000.00"
    )
    await days.step("head_approved", "R2")
    await days.step("executive_approved", "R2")

    found = await view(days.store, ELSTON, "2027-28")
    assert figures(found) == (None, "90000.00", "0.00", None)
    assert found["overrides"] == []


async def test_a_refused_approval_can_be_given_once_money_is_released(days: Calendar) -> None:
    await course(days, "R2", "500.00")
    await refused(days.store, "cpd.request.head_approved", "R2")

    await days.step("withdrawn", "R1", actor="staff-ada")
    await days.step("head_approved", "R2")

    assert figures(await view(days.store, ELSTON, "2026-27")) == (
        "1000.00",
        "500.00",
        "0.00",
        "500.00",
    )
