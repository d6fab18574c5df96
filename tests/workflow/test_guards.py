"""Policy guards: the rules that refuse an event even when the table would allow the move."""

from __future__ import annotations

from typing import Any

import pytest

from tests.workflow.builders import (
    HEAD,
    STAFF,
    START,
    as_command,
    event,
    request_in,
)
from workflow import Command, CpdRequest, DomainError, GuardFailed, State, apply

BLANKS = ["", "   ", "\t\n "]


def attempt(request: CpdRequest, event_type: str, **kwargs: Any) -> CpdRequest:
    cloud_event = event(event_type, request.request_id, **kwargs)
    return apply(request, as_command(cloud_event), START).request


def snapshot(request: CpdRequest) -> tuple[object, ...]:
    return (request.state, request.version, request.updated_at, dict(request.details))


@pytest.mark.parametrize(
    ("state", "event_type"),
    [
        (State.REQUESTED, "cpd.request.head_rejected"),
        (State.HEAD_APPROVED, "cpd.request.executive_rejected"),
    ],
)
@pytest.mark.parametrize("reason", BLANKS, ids=repr)
def test_a_rejection_without_a_reason_is_refused(
    state: State, event_type: str, reason: str
) -> None:
    with pytest.raises(GuardFailed, match="rejection must give a reason") as refused:
        attempt(request_in(state), event_type, reason=reason)

    assert refused.value.code == "guard_failed"


@pytest.mark.parametrize(
    ("state", "event_type"),
    [
        (State.REQUESTED, "cpd.request.head_rejected"),
        (State.HEAD_APPROVED, "cpd.request.executive_rejected"),
    ],
)
def test_a_rejection_with_a_reason_moves_the_request_to_rejected(
    state: State, event_type: str
) -> None:
    rejected = attempt(request_in(state), event_type, reason="  Not in the school plan  ")

    assert rejected.state == State.REJECTED


def test_a_rejection_command_with_no_reason_at_all_is_refused() -> None:
    command = Command("cpd.request.head_rejected", "req-1", HEAD, {}, START)

    with pytest.raises(GuardFailed):
        apply(request_in(State.REQUESTED), command, START)


@pytest.mark.parametrize(
    ("state", "event_type"),
    [
        (State.REQUESTED, "cpd.request.head_approved"),
        (State.HEAD_APPROVED, "cpd.request.executive_approved"),
    ],
)
def test_a_requester_cannot_approve_their_own_request(state: State, event_type: str) -> None:
    with pytest.raises(GuardFailed) as refused:
        attempt(request_in(state), event_type, actor=STAFF)

    assert f"'{STAFF}'" in refused.value.reason
    assert "cannot approve" in refused.value.reason


@pytest.mark.parametrize(
    ("state", "event_type", "expected"),
    [
        (State.REQUESTED, "cpd.request.head_approved", State.HEAD_APPROVED),
        (State.HEAD_APPROVED, "cpd.request.executive_approved", State.EXECUTIVE_APPROVED),
    ],
)
def test_someone_other_than_the_requester_can_approve(
    state: State, event_type: str, expected: State
) -> None:
    assert attempt(request_in(state), event_type, actor="deputy-head").state == expected


def test_an_actor_claimed_inside_the_data_does_not_get_round_the_own_approval_rule() -> None:
    with pytest.raises(GuardFailed):
        attempt(
            request_in(State.REQUESTED),
            "cpd.request.head_approved",
            actor=STAFF,
            data={"actor": HEAD},
        )


@pytest.mark.parametrize("reference", BLANKS, ids=repr)
def test_a_booking_without_a_booking_reference_is_refused(reference: str) -> None:
    with pytest.raises(GuardFailed, match="booking reference"):
        attempt(
            request_in(State.EXECUTIVE_APPROVED),
            "cpd.request.booked",
            booking_reference=reference,
        )


@pytest.mark.parametrize("reason", BLANKS, ids=repr)
def test_a_booking_cancellation_without_a_reason_is_refused(reason: str) -> None:
    with pytest.raises(GuardFailed, match="cancellation must give a reason"):
        attempt(request_in(State.BOOKED), "cpd.request.booking_cancelled", reason=reason)


def test_a_guard_failure_is_a_domain_error_not_an_invalid_transition() -> None:
    with pytest.raises(DomainError) as refused:
        attempt(request_in(State.BOOKED), "cpd.request.booking_cancelled", reason=" ")

    assert type(refused.value) is GuardFailed


@pytest.mark.parametrize(
    ("state", "event_type", "fields"),
    [
        (State.REQUESTED, "cpd.request.head_rejected", {"reason": " "}),
        (State.REQUESTED, "cpd.request.head_approved", {"actor": STAFF}),
        (State.HEAD_APPROVED, "cpd.request.executive_approved", {"actor": STAFF}),
        (State.EXECUTIVE_APPROVED, "cpd.request.booked", {"booking_reference": ""}),
        (State.BOOKED, "cpd.request.booking_cancelled", {"reason": ""}),
    ],
)
def test_a_failed_guard_leaves_the_request_passed_in_unchanged(
    state: State, event_type: str, fields: dict[str, object]
) -> None:
    before = request_in(state)
    untouched = snapshot(before)

    with pytest.raises(GuardFailed):
        attempt(before, event_type, **fields)

    assert snapshot(before) == untouched


def test_a_successful_event_also_leaves_the_request_passed_in_unchanged() -> None:
    before = request_in(State.REQUESTED)
    untouched = snapshot(before)

    after = attempt(before, "cpd.request.head_approved")

    assert after.state == State.HEAD_APPROVED
    assert snapshot(before) == untouched


def test_the_shared_machine_keeps_working_after_a_guard_fails() -> None:
    request = request_in(State.REQUESTED)
    with pytest.raises(GuardFailed):
        attempt(request, "cpd.request.head_approved", actor=STAFF)

    approved = attempt(request, "cpd.request.head_approved", actor=HEAD)
    other = attempt(request_in(State.BOOKED, "req-2"), "cpd.request.completed")

    assert (approved.state, approved.version) == (State.HEAD_APPROVED, 2)
    assert (other.request_id, other.state) == ("req-2", State.COMPLETED)
    assert (request.state, request.version) == (State.REQUESTED, 1)
