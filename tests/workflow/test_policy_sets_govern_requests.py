"""Each school's policy set governs its requests, end to end through the real store:
steps the policy does not require are passed by the service, each with its own history
entry and state change, and dissemination it does not ask for is not chased."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from scheduler.follow_ups import FollowUps
from tests.workflow.builders import HEAD, event
from tests.workflow.governed import (
    SCHOOL_OF,
    FakeDirectory,
    applied,
    by_policy,
    governed_store,
    request,
    state_changes,
    submit,
)
from workflow.clock import FakeClock

HAPPY_PATH = [
    "head_approved",
    "executive_approved",
    "booked",
    "completed",
    "evaluated",
    "disseminated",
]


@pytest.fixture
async def governed(db_path: Path, clock: FakeClock) -> AsyncIterator[FollowUps]:
    async with governed_store(db_path, clock) as follow_ups:
        yield follow_ups


# policy set, activity, steps its policy passes, what it asks of dissemination
EXAMPLES = [
    ("elston-hall-trust", "course", [], "required"),
    ("elston-hall-trust", "in_school", ["booked"], "not_required"),
    ("walmley-infant", "course", ["executive_approved"], "required"),
    ("walmley-infant", "coaching", ["executive_approved", "booked"], "not_required"),
    ("example-school", "coaching", ["executive_approved", "booked"], "required"),
    ("first-steps-together", "qualification", ["executive_approved"], "required"),
    ("severnbanks", "online", ["executive_approved", "booked"], "required"),
]


@pytest.mark.parametrize(("policy_id", "activity", "passed", "dissemination"), EXAMPLES)
async def test_each_example_policy_set_runs_a_request_from_submission_to_its_end(
    governed: FollowUps, policy_id: str, activity: str, passed: list[str], dissemination: str
) -> None:
    store = governed.store
    await submit(store, policy_id, activity_type=activity)
    taken_by_people = [s for s in HAPPY_PATH if s not in passed]
    if dissemination == "not_required":
        taken_by_people.remove("disseminated")

    for step in taken_by_people:
        await applied(store, f"cpd.request.{step}")

    done = await request(store)
    assert (done.policy_id, done.policy_version) == (policy_id, 1)
    assert done.dissemination == dissemination
    assert done.state == ("disseminated" if dissemination == "required" else "evaluated")
    assert [h.to_state for h in await by_policy(store)] == passed
    history = await store.history("req-1")
    assert [h.to_state for h in history] == [
        "requested",
        *HAPPY_PATH[: HAPPY_PATH.index(done.state) + 1],
    ]
    changes = await state_changes(store)
    assert [c["to_state"] for c in changes] == [h.to_state for h in history]
    assert [c["actor"] for c in changes if c["actor"] == "policy"] == ["policy"] * len(passed)
    # nothing is chased but the impact review, whether or not it was disseminated
    pending = {f.kind for f in await governed.for_request("req-1") if f.status == "pending"}
    assert pending == {"impact_review_due"}


async def test_a_head_led_schools_request_goes_from_head_approved_straight_to_executive_approved(
    governed: FollowUps,
) -> None:
    store = governed.store
    await submit(store, "walmley-infant")
    head = await store.apply(event("cpd.request.head_approved"))

    assert head.request is not None and head.request.state == "executive_approved"
    *_, approved, passed = await store.history("req-1")
    assert (approved.to_state, approved.actor, approved.reason) == ("head_approved", HEAD, None)
    assert (passed.seq, passed.from_state) == (3, "head_approved")
    assert passed.to_state == "executive_approved"
    assert (passed.actor, passed.event_type, passed.outcome) == (
        "policy",
        "cpd.request.executive_approved",
        "applied",
    )
    assert passed.reason == (
        "rule approval.executive of policy set walmley-infant v1:"
        " no request needs executive approval"
    )
    assert passed.data["cause"]["id"] == head.status.event_id
    *_, change = await state_changes(store)
    assert (change["from_state"], change["to_state"], change["actor"]) == (
        "head_approved",
        "executive_approved",
        "policy",
    )
    assert (change["seq"], change["version"], change["reason"]) == (3, 3, passed.reason)
    # the booking office is chased next, as for any approved request
    pending = [f.kind for f in await governed.for_request("req-1") if f.status == "pending"]
    assert pending == ["booking_pending"]


async def test_an_activity_not_booked_centrally_is_booked_by_the_policy_without_a_reference(
    governed: FollowUps,
) -> None:
    store = governed.store
    await submit(store, "elston-hall-trust", activity_type="in_school")
    await applied(store, "cpd.request.head_approved")
    await applied(store, "cpd.request.executive_approved")

    booked = await request(store)
    assert booked.state == "booked"
    assert "booking_reference" not in booked.details["booked"]
    assert booked.details["booked"]["rule"] == "booking.central"
    [passed] = await by_policy(store)
    assert passed.reason == (
        "rule booking.central of policy set elston-hall-trust v1:"
        " in_school activities are not booked centrally"
    )
    refused = await store.apply(event("cpd.request.booking_cancelled"))
    assert refused.status.code == "guard_failed"
    assert "no central booking to cancel" in (refused.status.reason or "")


async def test_a_schools_policy_is_asked_for_through_the_seam_inside_the_transaction(
    db_path: Path, clock: FakeClock
) -> None:
    directory = FakeDirectory()
    async with governed_store(db_path, clock, directory=directory) as governed:
        await submit(governed.store, "severnbanks")
        await submit(governed.store, "never-upserted", "req-2", school_id="school-unknown")

        assert directory.asked == [
            (SCHOOL_OF["severnbanks"], clock.now(), True),
            ("school-unknown", clock.now(), True),
        ]
        unknown = await request(governed.store, "req-2")
        assert (unknown.policy_id, unknown.policy_version) == ("default", 1)
        await applied(governed.store, "cpd.request.head_approved", "req-2")
        assert (await request(governed.store, "req-2")).state == "head_approved"
