"""The cases issue 7 was opened for: who may not act, and how a refusal is recorded."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.workflow.builders import START, event, open_store, submitted
from tests.workflow.directory_builders import applied, delegated, left, school, staff
from workflow.clock import FakeClock
from workflow.store import EVENT_REJECTED, Store

SCHOOL = "school-north"
HEAD_APPROVED = "cpd.request.head_approved"
EXECUTIVE_APPROVED = "cpd.request.executive_approved"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    people = [
        school(SCHOOL, "trust-one"),
        staff("ta-tim", SCHOOL, "support"),
        staff("head-hal", SCHOOL, "head_teacher"),
        staff("chair-cat", SCHOOL, "chair_of_governors"),
        staff("exec-head-eve", SCHOOL, "head_teacher", "executive_lead"),
        staff("deputy-dan", SCHOOL, "leadership"),
        staff("t-ada", SCHOOL, "teacher"),
        staff("cpd-cora", SCHOOL, "cpd_lead"),
    ]
    async with open_store(db_path, FakeClock(START), seeded=False) as opened:
        await applied(opened, *people)
        yield opened


async def _rejections(store: Store) -> list[dict[str, str]]:
    messages = await store.unpublished()
    return [json.loads(m.body)["data"] for m in messages if m.event_type == EVENT_REJECTED]


async def test_a_teaching_assistant_cannot_approve_the_head_teachers_own_request(
    store: Store,
) -> None:
    await applied(store, submitted("req-head", staff_id="head-hal"))

    refused = await store.apply(event(HEAD_APPROVED, "req-head", actor="ta-tim"))
    by_the_chair = await store.apply(event(HEAD_APPROVED, "req-head", actor="chair-cat"))

    assert (refused.status.status, refused.status.code) == ("rejected", "not_authorised")
    assert "needs a chair of governors" in str(refused.status.reason)
    assert by_the_chair.status.status == "applied"
    entries = await store.history("req-head")
    assert [(e.actor, e.outcome) for e in entries] == [
        ("head-hal", "applied"),
        ("ta-tim", "refused"),
        ("chair-cat", "applied"),
    ]
    assert entries[1].reason == refused.status.reason
    assert entries[1].from_state == entries[1].to_state == "requested"
    (announced,) = await _rejections(store)
    assert (announced["code"], announced["reason"]) == ("not_authorised", refused.status.reason)


async def test_one_person_cannot_give_both_the_head_and_the_executive_approval(
    store: Store,
) -> None:
    await applied(store, submitted("req-1", staff_id="t-ada"))
    await applied(store, event(HEAD_APPROVED, "req-1", actor="exec-head-eve"))

    second = await store.apply(event(EXECUTIVE_APPROVED, "req-1", actor="exec-head-eve"))

    assert (second.status.status, second.status.code) == ("rejected", "not_authorised")
    assert "gave the head approval" in str(second.status.reason)
    found = await store.get_request("req-1")
    assert found is not None and found.state == "head_approved"
    assert (await store.history("req-1"))[-1].outcome == "refused"


async def test_a_delegates_approval_is_on_behalf_of_the_delegator_who_counts_as_approver_too(
    store: Store,
) -> None:
    await applied(
        store, delegated("exec-head-eve", "deputy-dan", "head", "2026-10-07", "2026-10-09")
    )
    await applied(store, submitted("req-1", staff_id="t-ada"))

    outcome = await store.apply(event(HEAD_APPROVED, "req-1", actor="deputy-dan"))
    delegator_again = await store.apply(event(EXECUTIVE_APPROVED, "req-1", actor="exec-head-eve"))

    assert outcome.status.status == "applied", outcome.status.reason
    approval = (await store.history("req-1"))[1]
    assert (approval.actor, approval.on_behalf_of) == ("deputy-dan", "exec-head-eve")
    assert approval.reason is not None and "on behalf of exec-head-eve" in approval.reason
    assert delegator_again.status.code == "not_authorised"
    assert "gave the head approval" in str(delegator_again.status.reason)


async def test_a_delegate_outside_the_window_is_refused(store: Store) -> None:
    await applied(store, delegated("head-hal", "deputy-dan", "head", "2026-09-01", "2026-10-06"))
    await applied(store, submitted("req-1", staff_id="t-ada"))

    outcome = await store.apply(event(HEAD_APPROVED, "req-1", actor="deputy-dan"))

    assert (outcome.status.status, outcome.status.code) == ("rejected", "not_authorised")
    assert "needs a head teacher" in str(outcome.status.reason)


async def test_a_leaver_cannot_act_once_their_last_day_has_ended(store: Store) -> None:
    await applied(store, submitted("req-1", staff_id="t-ada"))
    await applied(store, left("head-hal", "2026-10-02"))

    outcome = await store.apply(event(HEAD_APPROVED, "req-1", actor="head-hal"))

    assert (outcome.status.status, outcome.status.code) == ("rejected", "unknown_actor")
    assert "head-hal" in str(outcome.status.reason)
    assert (await store.history("req-1"))[-1].outcome == "refused"


@pytest.mark.parametrize("claimed", ["policy", "cpd-workflow"])
async def test_an_outside_event_claiming_to_be_the_service_is_refused(
    store: Store, claimed: str
) -> None:
    await applied(store, submitted("req-1", staff_id="t-ada"))

    outcome = await store.apply(event(HEAD_APPROVED, "req-1", actor=claimed))

    assert (outcome.status.status, outcome.status.code) == ("rejected", "unknown_actor")
    assert "service's own name" in str(outcome.status.reason)
    found = await store.get_request("req-1")
    assert found is not None and found.state == "requested"


async def test_an_actor_unknown_to_the_directory_is_refused_and_creates_no_request(
    store: Store,
) -> None:
    outcome = await store.apply(submitted("req-1", staff_id="t-ada", actor="someone-else"))

    assert (outcome.status.status, outcome.status.code) == ("rejected", "unknown_actor")
    assert await store.get_request("req-1") is None
    (announced,) = await _rejections(store)
    assert announced["code"] == "unknown_actor"


async def test_a_requester_cannot_reject_their_own_request_but_may_withdraw_it(
    store: Store,
) -> None:
    await applied(store, submitted("req-1", staff_id="head-hal"))

    rejected = await store.apply(event("cpd.request.head_rejected", "req-1", actor="head-hal"))
    withdrawn = await store.apply(event("cpd.request.withdrawn", "req-1", actor="head-hal"))

    assert rejected.status.code == "not_authorised"
    assert "withdraw it instead" in str(rejected.status.reason)
    assert withdrawn.status.status == "applied"


async def test_a_delegation_is_posted_by_the_delegator_or_a_cpd_lead_and_nobody_else(
    store: Store,
) -> None:
    window = ("head-hal", "deputy-dan", "head", "2026-10-07", "2026-10-09")

    by_a_colleague = await store.apply(delegated(*window, actor="t-ada"))
    by_a_stranger = await store.apply(delegated(*window, actor="hr-sync"))
    by_the_cpd_lead = await store.apply(delegated(*window, actor="cpd-cora"))

    assert by_a_colleague.status.code == "not_authorised"
    assert "a cpd lead of their school" in str(by_a_colleague.status.reason)
    assert by_a_stranger.status.code == "unknown_actor"
    assert by_the_cpd_lead.status.status == "applied", by_the_cpd_lead.status.reason


async def test_roles_are_judged_as_they_stand_when_the_event_is_applied(store: Store) -> None:
    await applied(store, submitted("req-1", staff_id="t-ada"), submitted("req-2", staff_id="t-ada"))
    await applied(store, event(HEAD_APPROVED, "req-1", actor="head-hal"))

    await applied(store, staff("head-hal", SCHOOL, "teacher"))  # no longer head teacher
    outcome = await store.apply(event(HEAD_APPROVED, "req-2", actor="head-hal"))

    assert outcome.status.code == "not_authorised"
    assert (await store.history("req-1"))[1].outcome == "applied"  # the earlier one stands


async def test_a_leaver_may_act_until_their_last_working_day_ends(store: Store) -> None:
    await applied(store, submitted("req-1", staff_id="t-ada"))
    await applied(store, left("head-hal", START.date().isoformat()))  # today is the last day

    outcome = await store.apply(event(HEAD_APPROVED, "req-1", actor="head-hal"))

    assert outcome.status.status == "applied", outcome.status.reason
