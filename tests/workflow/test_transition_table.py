"""The transition table: every (state, event type) pair either moves a request or is refused."""

from __future__ import annotations

from itertools import product
from typing import Any

import pytest

from schemas import REQUEST_DATA
from tests.workflow.builders import (
    LIFECYCLE_STATES,
    LIFECYCLE_TYPES,
    MOVES,
    STAFF,
    START,
    SUBMITTED,
    UPCOMING,
    as_command,
    event,
    request_in,
    step,
    submitted,
)
from workflow import (
    TERMINAL_STATES,
    Command,
    CpdRequest,
    InvalidTransition,
    RequestAlreadyExists,
    State,
    UnknownRequest,
    apply,
)
from workflow.machine import allowed_triggers

# Written out from the policy, independently of workflow.machine.TRANSITIONS.
ALLOWED: dict[tuple[State, str], State] = {
    (State.REQUESTED, "cpd.request.head_approved"): State.HEAD_APPROVED,
    (State.REQUESTED, "cpd.request.head_rejected"): State.REJECTED,
    (State.HEAD_APPROVED, "cpd.request.executive_approved"): State.EXECUTIVE_APPROVED,
    (State.HEAD_APPROVED, "cpd.request.executive_rejected"): State.REJECTED,
    (State.EXECUTIVE_APPROVED, "cpd.request.booked"): State.BOOKED,
    (State.BOOKED, "cpd.request.booking_cancelled"): State.EXECUTIVE_APPROVED,
    (State.BOOKED, "cpd.request.completed"): State.COMPLETED,
    (State.COMPLETED, "cpd.request.evaluated"): State.EVALUATED,
    (State.EVALUATED, "cpd.request.disseminated"): State.DISSEMINATED,
    (State.BOOKED, "cpd.request.not_attended"): State.NOT_ATTENDED,
    **{
        (state, "cpd.request.withdrawn"): State.WITHDRAWN
        for state in (
            State.REQUESTED,
            State.HEAD_APPROVED,
            State.EXECUTIVE_APPROVED,
            State.BOOKED,
        )
    },
    # Recorded without changing the state: a waiver until dissemination has happened, and an
    # impact review once the training has been evaluated.
    **{
        (state, "cpd.request.dissemination_waived"): state
        for state in (
            State.REQUESTED,
            State.HEAD_APPROVED,
            State.EXECUTIVE_APPROVED,
            State.BOOKED,
            State.COMPLETED,
            State.EVALUATED,
        )
    },
    **{
        (state, "cpd.request.impact_reviewed"): state
        for state in (State.EVALUATED, State.DISSEMINATED)
    },
}

PAIRS = list(product(State, MOVES))
ALLOWED_PAIRS = [pair for pair in PAIRS if pair in ALLOWED]
REFUSED_PAIRS = [pair for pair in PAIRS if pair not in ALLOWED]


def pair_id(pair: tuple[State, str]) -> str:
    return f"{pair[0].value}+{step(pair[1])}"


def move(request: CpdRequest, event_type: str, **kwargs: Any) -> CpdRequest:
    cloud_event = event(event_type, request.request_id, **kwargs)
    return apply(request, as_command(cloud_event), START).request


def test_the_table_covers_every_state_and_every_inbound_type_but_submission() -> None:
    assert set(MOVES) == set(REQUEST_DATA) - {SUBMITTED}
    assert len(PAIRS) == 10 * 13
    assert set(ALLOWED) <= set(PAIRS)


@pytest.mark.parametrize("pair", ALLOWED_PAIRS, ids=pair_id)
def test_an_allowed_event_moves_the_request_to_the_expected_state(
    pair: tuple[State, str],
) -> None:
    state, event_type = pair
    # A booked request can be withdrawn only before its course starts.
    course = UPCOMING if event_type == "cpd.request.withdrawn" else {}
    before = request_in(state, **course)
    cloud_event = event(event_type)

    transition = apply(before, as_command(cloud_event), START)

    assert transition.from_state == state
    assert transition.to_state == ALLOWED[pair]
    assert transition.request.state == ALLOWED[pair]
    assert transition.request.version == before.version + 1
    assert transition.request.details[step(event_type)] == cloud_event.data


@pytest.mark.parametrize("pair", REFUSED_PAIRS, ids=pair_id)
def test_any_other_event_is_an_invalid_transition_naming_state_and_event(
    pair: tuple[State, str],
) -> None:
    state, event_type = pair
    before = request_in(state)

    with pytest.raises(InvalidTransition) as refused:
        apply(before, as_command(event(event_type)), START)

    assert f"'{state.value}'" in str(refused.value)
    assert f"'{event_type}'" in str(refused.value)
    assert (refused.value.state, refused.value.event_type) == (state.value, event_type)
    assert (before.state, before.version) == (state.value, 1)


def test_submission_creates_a_requested_request_from_the_event_data() -> None:
    transition = apply(None, as_command(submitted("req-9", cost_gbp="99.50")), START)

    request = transition.request
    assert (transition.from_state, transition.to_state) == (None, State.REQUESTED)
    assert request.request_id == "req-9"
    assert request.state == State.REQUESTED
    assert request.staff_id == STAFF
    assert str(request.cost_gbp) == "99.50"
    assert request.version == 1
    assert request.created_at == request.updated_at == START


@pytest.mark.parametrize("state", list(State), ids=str)
def test_submitting_an_existing_request_again_raises_request_already_exists(
    state: State,
) -> None:
    with pytest.raises(RequestAlreadyExists, match="req-1"):
        apply(request_in(state), as_command(submitted()), START)


@pytest.mark.parametrize("event_type", MOVES, ids=step)
def test_an_event_for_an_unknown_request_raises_unknown_request(event_type: str) -> None:
    with pytest.raises(UnknownRequest, match="req-404"):
        apply(None, as_command(event(event_type, "req-404")), START)


def test_an_event_type_outside_the_request_namespace_is_an_invalid_transition() -> None:
    foreign = Command("cpd.reminder.due", "req-1", STAFF, {}, START)

    with pytest.raises(InvalidTransition) as refused:
        apply(request_in(State.BOOKED), foreign, START)

    assert "'cpd.reminder.due'" in str(refused.value)


def test_the_full_lifecycle_walks_every_state_once_in_order() -> None:
    request = apply(None, as_command(submitted()), START).request
    seen = [request.state]
    for event_type in LIFECYCLE_TYPES[1:]:
        request = move(request, event_type)
        seen.append(request.state)

    assert seen == LIFECYCLE_STATES
    assert request.version == len(LIFECYCLE_TYPES)


@pytest.mark.parametrize(
    "state",
    [State.REQUESTED, State.HEAD_APPROVED, State.EXECUTIVE_APPROVED, State.BOOKED],
    ids=str,
)
def test_a_request_not_yet_attended_can_be_withdrawn(state: State) -> None:
    upcoming = request_in(state, **UPCOMING)
    assert move(upcoming, "cpd.request.withdrawn").state == State.WITHDRAWN


@pytest.mark.parametrize(
    "state",
    [
        State.COMPLETED,
        State.EVALUATED,
        State.DISSEMINATED,
        State.REJECTED,
        State.WITHDRAWN,
        State.NOT_ATTENDED,
    ],
    ids=str,
)
def test_a_request_already_attended_or_closed_cannot_be_withdrawn(state: State) -> None:
    with pytest.raises(InvalidTransition, match="withdrawn"):
        move(request_in(state), "cpd.request.withdrawn")


def test_a_cancelled_booking_returns_to_executive_approved_and_can_be_booked_again() -> None:
    booked = move(request_in(State.EXECUTIVE_APPROVED), "cpd.request.booked")

    cancelled = move(booked, "cpd.request.booking_cancelled")
    rebooked = move(cancelled, "cpd.request.booked", booking_reference="BK-2001")

    assert cancelled.state == State.EXECUTIVE_APPROVED
    assert rebooked.state == State.BOOKED
    assert rebooked.version == booked.version + 2
    assert rebooked.details["booked"]["booking_reference"] == "BK-2001"
    assert rebooked.details["booking_cancelled"]["reason"] == "The provider cancelled the course"


@pytest.mark.parametrize("state", list(State), ids=str)
def test_the_machine_lists_exactly_the_events_the_policy_allows(state: State) -> None:
    expected = sorted(step(t) for (s, t) in ALLOWED if s == state)

    assert allowed_triggers(state) == expected
    moves_on = [t for (s, t), to in ALLOWED.items() if s == state and to != state]
    assert (moves_on == []) == (state in TERMINAL_STATES)
