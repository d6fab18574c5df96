"""A resignation claims back what the school paid for its leaver's training, where the
request's policy set has a repayment clause: a claim recorded and `cpd.repayment.due`
published in the transaction of the `staff.left`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from schemas import OUTBOUND_DATA
from tests.workflow.builders import STAFF, event
from tests.workflow.directory_builders import applied, left
from tests.workflow.governed import governed_store
from tests.workflow.repayment_builders import (
    WALMLEY,
    announced,
    claims_of,
    resigns,
    trained,
)
from workflow.clock import FakeClock
from workflow.repayment.claims import Claim
from workflow.store import Store


@pytest.fixture
async def store(db_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    async with governed_store(db_path, clock) as follow_ups:
        yield follow_ups.store


def summary(claim: Claim) -> tuple[str, str, str, int, str]:
    return (claim.request_id, claim.cost_gbp, claim.amount_gbp, claim.months_counted, claim.status)


async def test_resigning_days_after_the_course_claims_its_whole_cost(store: Store) -> None:
    await trained(store, "req-1")

    await resigns(store, "2026-10-31", resigned_on="2026-10-07")

    [claim] = await claims_of(store)
    assert summary(claim) == ("req-1", "240.00", "240.00", 0, "open")
    assert (claim.staff_id, claim.school_id, claim.resigned_on) == (
        STAFF,
        "school-first-steps",
        "2026-10-07",
    )
    assert (claim.policy_id, claim.policy_version, claim.months) == ("first-steps-together", 1, 12)


async def test_the_claim_is_announced_as_repayment_due_with_the_rule_and_its_version(
    store: Store,
) -> None:
    await trained(store, "req-1")

    await resigns(store, "2026-10-31", resigned_on="2026-10-07")

    [claim] = await claims_of(store)
    [due] = await announced(store)
    assert (due["subject"], due["source"]) == (claim.claim_id, "cpd-workflow")
    data = due["data"]
    assert {k: data[k] for k in ("claim_id", "staff_id", "request_id")} == {
        "claim_id": claim.claim_id,
        "staff_id": STAFF,
        "request_id": "req-1",
    }
    assert (data["cost_gbp"], data["amount_gbp"], data["months_counted"]) == ("240.00", "240.00", 0)
    assert (data["rule"], data["policy_id"], data["policy_version"]) == (
        "repayment",
        "first-steps-together",
        1,
    )
    assert data["reason"].startswith("rule repayment of policy set first-steps-together v1")
    OUTBOUND_DATA["cpd.repayment.due"].model_validate(data)


async def test_five_whole_months_after_the_course_seven_twelfths_are_claimed(
    store: Store,
) -> None:
    await trained(store, "req-1", start_date="2026-05-14", end_date="2026-05-15", cost="1200.00")

    await resigns(store, "2026-12-31", resigned_on="2026-10-15")

    [claim] = await claims_of(store)
    assert summary(claim) == ("req-1", "1200.00", "700.00", 5, "open")
    assert "7/12 of the school's share" in claim.reason


async def test_without_a_resignation_date_the_last_working_day_is_counted(store: Store) -> None:
    await trained(store, "req-1", start_date="2026-05-14", end_date="2026-05-15", cost="1200.00")

    await resigns(store, "2026-11-15")

    [claim] = await claims_of(store)
    assert (claim.resigned_on, claim.months_counted, claim.amount_gbp) == (
        "2026-11-15",
        6,
        "600.00",
    )


async def test_a_year_after_the_course_nothing_is_claimed(store: Store) -> None:
    await trained(store, "req-1", start_date="2025-10-06", end_date="2025-10-06")

    await resigns(store, "2026-10-31", resigned_on="2026-10-06")

    assert await claims_of(store) == []
    assert await announced(store) == []


@pytest.mark.parametrize(
    "reason", ["retirement", "end_of_contract", "dismissal", "redundancy", "other"]
)
async def test_leaving_for_any_other_reason_owes_nothing(store: Store, reason: str) -> None:
    await trained(store, "req-1")

    await applied(store, left(STAFF, "2026-10-31", reason))

    assert await claims_of(store) == []
    assert await announced(store) == []


async def test_a_school_whose_policy_set_has_no_repayment_clause_claims_nothing(
    store: Store,
) -> None:
    await trained(store, "req-1", school_id=WALMLEY)

    await resigns(store, "2026-10-31", resigned_on="2026-10-07")

    assert await claims_of(store) == []


async def test_training_under_way_is_claimed_and_training_not_yet_paid_for_is_not(
    store: Store,
) -> None:
    await trained(
        store, "req-under-way", until="booked", start_date="2026-10-06", end_date="2026-10-09"
    )
    await trained(
        store, "req-starts-later", until="booked", start_date="2026-11-09", end_date="2026-11-09"
    )
    await trained(store, "req-done", cost="100.00")
    await trained(store, "req-missed", until="booked")
    missed = event("cpd.request.not_attended", "req-missed", cost_incurred_gbp="240.00")
    assert (await store.apply(missed)).status.status == "applied"
    await store.apply(event("cpd.request.submitted", "req-asked", school_id="school-first-steps"))

    await resigns(store, "2026-10-30", resigned_on="2026-10-07")

    claimed = {c.request_id: c.amount_gbp for c in await claims_of(store)}
    assert claimed == {"req-under-way": "240.00", "req-done": "100.00"}


async def test_only_the_school_s_share_of_the_cost_is_claimed(store: Store) -> None:
    await trained(store, "req-half", funding={"school": "0.5", "grant": "0.5"}, cost="250.00")
    await trained(store, "req-grant", funding={"grant": "1"})

    await resigns(store, "2026-10-31", resigned_on="2026-10-07")

    [claim] = await claims_of(store)
    assert (claim.request_id, claim.cost_gbp, claim.school_share_gbp, claim.amount_gbp) == (
        "req-half",
        "250.00",
        "125.00",
        "125.00",
    )


async def test_terms_agreed_at_approval_replace_the_policy_s_scale(store: Store) -> None:
    six_months = {"repayment_terms": {"months": 6}}
    waived = {"repayment_terms": {"waived": True, "reason": "Funded by the maths hub"}}
    await trained(
        store, "req-6", head_data=six_months, start_date="2026-07-06", end_date="2026-07-07"
    )
    await trained(store, "req-waived", head_data=waived)

    await resigns(store, "2026-10-31", resigned_on="2026-10-07")

    [claim] = await claims_of(store)
    assert (claim.request_id, claim.months, claim.months_counted, claim.amount_gbp) == (
        "req-6",
        6,
        3,
        "120.00",
    )
    assert claim.terms == {"months": 6, "agreed_at": "head_approved"}
    assert "terms agreed at head_approved: 6 months" in claim.reason


async def test_hr_correcting_the_resignation_does_not_claim_the_training_twice(
    store: Store,
) -> None:
    await trained(store, "req-1")
    await resigns(store, "2026-10-31", resigned_on="2026-10-07")

    await resigns(store, "2026-11-30", resigned_on="2026-10-08")

    assert [c.request_id for c in await claims_of(store)] == ["req-1"]
    assert len(await announced(store)) == 1
