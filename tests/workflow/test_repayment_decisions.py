"""The head teacher confirms or waives a repayment claim (`repayment.confirmed`,
`repayment.waived`, `subject` = the claim id); refusals carry codes of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.directory_seed import Person, seed_store
from tests.workflow.builders import EXECUTIVE, HEAD, STAFF
from tests.workflow.governed import governed_store
from tests.workflow.repayment_builders import (
    FIRST_STEPS,
    claims_of,
    decision,
    resigns,
    trained,
)
from workflow.clock import FakeClock
from workflow.store import Store

CONFIRMED, WAIVED = "repayment.confirmed", "repayment.waived"
# A head teacher of First Steps alone, their chair of governors, and a teacher there.
HEAD_FS, CHAIR_FS, TEACHER_FS = "head-fs", "chair-fs", "teacher-fs"
PEOPLE = (
    Person(HEAD_FS, FIRST_STEPS, ("head_teacher",)),
    Person(CHAIR_FS, FIRST_STEPS, ("chair_of_governors",)),
    Person(TEACHER_FS, FIRST_STEPS, ("teacher",)),
)


@pytest.fixture
async def store(db_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    async with governed_store(db_path, clock) as follow_ups:
        await seed_store(follow_ups.store, [FIRST_STEPS], PEOPLE)
        yield follow_ups.store


@pytest.fixture
async def claim_id(store: Store) -> str:
    """An open claim on staff-ada's course at First Steps."""
    await trained(store, "req-1")
    await resigns(store, "2026-10-31", resigned_on="2026-10-07")
    [claim] = await claims_of(store)
    return claim.claim_id


async def refusal(
    store: Store, event_type: str, claim_id: str, actor: str, **data: str
) -> tuple[str | None, str | None]:
    status = (await store.apply(decision(event_type, claim_id, actor, **data))).status
    assert status.status == "rejected"
    return status.code, status.reason


async def test_the_head_teacher_confirms_a_claim(store: Store, claim_id: str) -> None:
    outcome = await store.apply(decision(CONFIRMED, claim_id, HEAD, comment="From final pay"))

    assert outcome.status.status == "applied", outcome.status.reason
    [claim] = await claims_of(store)
    assert (claim.status, claim.decided_by, claim.decision_note) == (
        "confirmed",
        HEAD,
        "From final pay",
    )
    assert claim.decided_at is not None


async def test_the_head_teacher_waives_a_claim_with_a_reason(store: Store, claim_id: str) -> None:
    outcome = await store.apply(
        decision(WAIVED, claim_id, HEAD_FS, reason="Moving to a trust school")
    )

    assert outcome.status.status == "applied", outcome.status.reason
    [claim] = await claims_of(store)
    assert (claim.status, claim.decided_by, claim.decision_note) == (
        "waived",
        HEAD_FS,
        "Moving to a trust school",
    )


@pytest.mark.parametrize(
    ("first", "then", "code"),
    [
        (WAIVED, CONFIRMED, "repayment_already_waived"),
        (WAIVED, WAIVED, "repayment_already_waived"),
        (CONFIRMED, WAIVED, "repayment_already_confirmed"),
        (CONFIRMED, CONFIRMED, "repayment_already_confirmed"),
    ],
)
async def test_a_decided_claim_is_not_decided_again(
    store: Store, claim_id: str, first: str, then: str, code: str
) -> None:
    assert (await store.apply(decision(first, claim_id, HEAD, reason="r"))).status.status == (
        "applied"
    )

    refused_code, reason = await refusal(store, then, claim_id, HEAD_FS, reason="again")

    assert refused_code == code
    assert f"already {code.rsplit('_', 1)[1]} by {HEAD}" in str(reason)
    [claim] = await claims_of(store)
    assert (claim.status, claim.decided_by) == (code.rsplit("_", 1)[1], HEAD)


async def test_an_unknown_claim_is_refused(store: Store) -> None:
    code, reason = await refusal(store, CONFIRMED, "no-such-claim", HEAD)

    assert code == "unknown_repayment_claim"
    assert reason == "no repayment claim 'no-such-claim' to confirm"


@pytest.mark.parametrize("actor", [TEACHER_FS, CHAIR_FS, EXECUTIVE])
async def test_only_a_head_teacher_of_the_school_decides(
    store: Store, claim_id: str, actor: str
) -> None:
    code, reason = await refusal(store, WAIVED, claim_id, actor, reason="Kind")

    assert code == "not_authorised"
    assert f"it needs a head teacher of school {FIRST_STEPS}" in str(reason)
    assert "rule who_may.decide_repayment" in str(reason)
    assert [c.status for c in await claims_of(store)] == ["open"]


@pytest.mark.parametrize("actor", ["payroll-system", "cpd-workflow", "policy"])
async def test_an_actor_not_in_the_directory_is_refused(
    store: Store, claim_id: str, actor: str
) -> None:
    code, _ = await refusal(store, CONFIRMED, claim_id, actor)

    assert code == "unknown_actor"


async def test_a_head_teacher_s_own_claim_goes_to_the_chair_of_governors(store: Store) -> None:
    await trained(store, "req-head", staff_id=HEAD_FS, head=CHAIR_FS)
    await resigns(store, "2026-12-31", staff_id=HEAD_FS, resigned_on="2026-10-07")
    [claim] = await claims_of(store, staff_id=HEAD_FS, schools=frozenset())

    own_code, _ = await refusal(store, CONFIRMED, claim.claim_id, HEAD_FS)
    head_code, head_reason = await refusal(store, CONFIRMED, claim.claim_id, HEAD)
    confirmed = await store.apply(decision(CONFIRMED, claim.claim_id, CHAIR_FS))

    assert own_code == "guard_failed"
    assert head_code == "not_authorised"
    assert "it needs a chair of governors" in str(head_reason)
    assert confirmed.status.status == "applied", confirmed.status.reason


async def test_a_refused_decision_is_announced_as_rejected(store: Store, claim_id: str) -> None:
    await refusal(store, CONFIRMED, claim_id, STAFF)

    rejected = [m for m in await store.unpublished() if m.event_type == "cpd.event.rejected"]
    assert len(rejected) == 1 and claim_id in rejected[0].body
