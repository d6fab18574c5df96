"""Records that match what happened: refused attempts in history, no-shows, real costs,
dates that make sense, impact reviews and waived dissemination."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from scheduler.follow_ups import FollowUps
from tests.workflow.builders import HEAD, STAFF, UPCOMING, event
from tests.workflow.governed import applied, governed_store, request, state_changes, submit
from workflow.clock import FakeClock
from workflow.store import EVENT_REJECTED, Store

TO_BOOKED = ["cpd.request.head_approved", "cpd.request.executive_approved", "cpd.request.booked"]
TO_EVALUATED = [*TO_BOOKED, "cpd.request.completed", "cpd.request.evaluated"]


@pytest.fixture
async def governed(db_path: Path, clock: FakeClock) -> AsyncIterator[FollowUps]:
    async with governed_store(db_path, clock) as follow_ups:
        yield follow_ups


@pytest.fixture
def store(governed: FollowUps) -> Store:
    return governed.store


async def walk(store: Store, steps: list[str], policy_id: str = "default", **data: str) -> None:
    outcome = await submit(store, policy_id, **data)
    assert outcome.status.status == "applied", outcome.status.reason
    for step in steps:
        await applied(store, step)


async def pending(follow_ups: FollowUps) -> list[tuple[str, str]]:
    rows = await follow_ups.for_request("req-1")
    return sorted((f.kind, f.recipient_role) for f in rows if f.status == "pending")


# --- refusals are in the request's history --------------------------------------------


async def test_a_refused_attempt_is_in_history_with_actor_reason_and_the_state_unchanged(
    store: Store,
) -> None:
    await walk(store, [])
    own = event("cpd.request.head_approved", actor=STAFF)

    outcome = await store.apply(own)
    again = await store.apply(own)  # redelivered: still one entry

    submission, attempt = await store.history("req-1")
    assert (attempt.seq, attempt.outcome, attempt.actor) == (2, "refused", STAFF)
    assert (attempt.event_id, attempt.event_type) == (own.id, "cpd.request.head_approved")
    assert attempt.from_state == attempt.to_state == "requested"
    assert (
        attempt.reason
        == outcome.status.reason
        == f"'{STAFF}' made this request and cannot approve it"
    )
    assert submission.outcome == "applied" and again.duplicate
    assert (await request(store)).version == 1
    rejected = [m for m in await store.unpublished() if m.event_type == EVENT_REJECTED]
    assert len(rejected) == 1
    assert len(await state_changes(store)) == 1  # the submission's only
    await applied(store, "cpd.request.head_approved")  # the next step takes the next seq
    assert [h.seq for h in await store.history("req-1")] == [1, 2, 3]


# --- not attended, withdrawals and completion dates -----------------------------------


async def test_a_no_show_on_or_after_the_start_date_ends_the_request_with_what_it_cost(
    governed: FollowUps,
) -> None:
    store = governed.store
    await walk(store, TO_BOOKED)

    await applied(store, "cpd.request.not_attended", reason="Ill", cost_incurred_gbp="60.00")

    done = await request(store)
    assert (done.state, str(done.cost_gbp), str(done.estimate)) == (
        "not_attended",
        "60.00",
        "250.00",
    )
    assert await pending(governed) == []  # nothing more to chase
    *_, change = await state_changes(store)
    assert (change["from_state"], change["to_state"]) == ("booked", "not_attended")


async def test_a_no_show_cannot_be_recorded_before_the_course_starts(store: Store) -> None:
    await walk(store, TO_BOOKED, **UPCOMING)

    early = await store.apply(event("cpd.request.not_attended"))

    assert early.status.code == "guard_failed"
    assert early.status.reason == (
        "non-attendance can be recorded only on or after the start date (2026-10-19);"
        " before it, withdraw the request (cpd.request.withdrawn)"
    )
    assert (await request(store)).state == "booked"


async def test_a_booked_request_cannot_be_withdrawn_once_its_course_has_started(
    store: Store, clock: FakeClock
) -> None:
    await walk(store, TO_BOOKED, **UPCOMING)
    clock.set(clock.now().replace(month=10, day=19))  # the first day of the course

    late = await store.apply(event("cpd.request.withdrawn"))

    assert late.status.code == "guard_failed"
    assert "cannot be withdrawn on or after its start date (2026-10-19)" in (
        late.status.reason or ""
    )
    assert "cpd.request.not_attended" in (late.status.reason or "")
    assert (await store.history("req-1"))[-1].outcome == "refused"
    assert (await request(store)).state == "booked"


async def test_the_day_before_the_course_a_booked_request_can_still_be_withdrawn(
    store: Store, clock: FakeClock
) -> None:
    await walk(store, TO_BOOKED, **UPCOMING)
    clock.set(clock.now().replace(month=10, day=18))
    await applied(store, "cpd.request.withdrawn")
    assert (await request(store)).state == "withdrawn"


@pytest.mark.parametrize(
    ("completed_on", "problem"),
    [
        ("2026-10-04", "completed_on 2026-10-04 is before the start date 2026-10-05"),
        ("2026-10-08", "completed_on 2026-10-08 is in the future (today is 2026-10-07)"),
    ],
)
async def test_a_completion_date_before_the_course_or_in_the_future_is_refused(
    store: Store, completed_on: str, problem: str
) -> None:
    await walk(store, TO_BOOKED)

    outcome = await store.apply(event("cpd.request.completed", completed_on=completed_on))

    assert outcome.status.code == "guard_failed"
    assert (outcome.status.reason or "").startswith(problem)


async def test_a_completion_dated_today_is_accepted(store: Store, clock: FakeClock) -> None:
    await walk(store, TO_BOOKED)
    await applied(store, "cpd.request.completed", completed_on=clock.now().date().isoformat())
    assert (await request(store)).state == "completed"


# --- what it cost ---------------------------------------------------------------------


async def test_the_confirmed_cost_replaces_the_estimate_and_a_cancellation_restores_it(
    store: Store,
) -> None:
    await walk(store, TO_BOOKED)  # booked at £240.00, estimated at £250.00
    booked = await request(store)
    assert (str(booked.cost_gbp), str(booked.estimate)) == ("240.00", "250.00")

    await applied(store, "cpd.request.booking_cancelled")

    cancelled = await request(store)
    assert (str(cancelled.cost_gbp), str(cancelled.estimate)) == ("250.00", "250.00")


# --- impact reviews -------------------------------------------------------------------


async def test_an_evaluated_request_has_its_impact_reviewed_by_three_people(
    governed: FollowUps,
) -> None:
    await walk(governed.store, TO_EVALUATED, line_manager_id="staff-lm")
    assert await pending(governed) == [
        ("dissemination_due", "participant"),
        ("impact_review_due", "cpd_lead"),
        ("impact_review_due", "line_manager"),
        ("impact_review_due", "participant"),
    ]


async def test_an_impact_review_is_recorded_without_moving_the_request_and_ends_its_chase(
    governed: FollowUps,
) -> None:
    store = governed.store
    await walk(store, TO_EVALUATED)
    changes_before = len(await state_changes(store))

    await applied(store, "cpd.request.impact_reviewed", actor=HEAD)

    reviewed = await request(store)
    assert (reviewed.state, reviewed.version) == ("evaluated", 7)
    assert reviewed.details["impact_reviewed"]["impact_rating"] == 4
    last = (await store.history("req-1"))[-1]
    assert (last.event_type, last.outcome, last.from_state, last.to_state) == (
        "cpd.request.impact_reviewed",
        "applied",
        "evaluated",
        "evaluated",
    )
    assert len(await state_changes(store)) == changes_before  # the state did not change
    assert await pending(governed) == [("dissemination_due", "participant")]
    cancelled = {
        f.cancel_reason
        for f in await governed.for_request("req-1")
        if f.kind == "impact_review_due"
    }
    assert cancelled == {"impact reviewed"}
    # Disseminated afterwards: the impact has been reviewed, so it is not asked for again.
    await applied(store, "cpd.request.disseminated")
    assert await pending(governed) == []


async def test_an_impact_review_after_dissemination_is_accepted(store: Store) -> None:
    await walk(store, [*TO_EVALUATED, "cpd.request.disseminated"])
    await applied(store, "cpd.request.impact_reviewed")
    assert (await request(store)).state == "disseminated"


async def test_an_impact_review_before_evaluation_is_refused(store: Store) -> None:
    await walk(store, [*TO_BOOKED, "cpd.request.completed"])
    outcome = await store.apply(event("cpd.request.impact_reviewed"))
    assert outcome.status.code == "invalid_transition"


# --- dissemination --------------------------------------------------------------------


async def test_waived_dissemination_is_not_chased_and_the_request_ends_at_evaluated(
    governed: FollowUps,
) -> None:
    store = governed.store
    await walk(store, TO_BOOKED)
    await applied(store, "cpd.request.dissemination_waived", actor=HEAD)
    assert (await request(store)).dissemination == "waived"

    await applied(store, "cpd.request.completed")
    await applied(store, "cpd.request.evaluated")

    assert [kind for kind, _ in await pending(governed)] == ["impact_review_due"] * 3
    assert (await request(store)).state == "evaluated"


async def test_waiving_after_evaluation_cancels_the_dissemination_chase(
    governed: FollowUps, clock: FakeClock
) -> None:
    store = governed.store
    await walk(store, TO_EVALUATED)
    clock.advance(timedelta(days=20))
    await governed.fire_due()  # the first dissemination reminder went out

    await applied(store, "cpd.request.dissemination_waived", actor=HEAD)

    assert "dissemination_due" not in {kind for kind, _ in await pending(governed)}
    waived = await request(store)
    assert (waived.state, waived.dissemination) == ("evaluated", "waived")


async def test_dissemination_cannot_be_waived_twice_or_where_it_is_not_required(
    store: Store,
) -> None:
    await walk(store, [])
    await applied(store, "cpd.request.dissemination_waived")
    twice = await store.apply(event("cpd.request.dissemination_waived"))
    assert twice.status.reason == "dissemination of this request has been waived already"

    await walk_other(store)
    outcome = await store.apply(event("cpd.request.dissemination_waived", "req-walmley"))
    assert outcome.status.reason == "the policy does not ask for this request to be disseminated"


async def walk_other(store: Store) -> None:
    """A coaching session at Walmley, whose policy asks no dissemination of coaching."""
    await submit(store, "walmley-infant", "req-walmley", activity_type="coaching")
    assert (await request(store, "req-walmley")).dissemination == "not_required"
