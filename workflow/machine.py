"""The one shared state machine for every CPD request.

A single `transitions.Machine` holds the table; a request is attached only for
the duration of one event and detached straight after, because `add_model`
costs time in proportion to the models already attached. Callbacks do no I/O.
"""

from __future__ import annotations

from typing import Any, Protocol

from transitions import Machine, MachineError

from workflow import guards
from workflow.context import StepContext
from workflow.errors import InvalidTransition
from workflow.states import REVIEWABLE_STATES, WAIVABLE_STATES, WITHDRAWABLE_STATES, State


def _row(
    trigger: str, source: State | tuple[State, ...], dest: State | None, *conditions: Any
) -> dict[str, Any]:
    """A row of the table; `dest` None is a step recorded without changing the state."""
    sources = [s.value for s in source] if isinstance(source, tuple) else source.value
    return {
        "trigger": trigger,
        "source": sources,
        "dest": dest.value if dest is not None else None,
        "conditions": list(conditions),
    }


TRANSITIONS: list[dict[str, Any]] = [
    _row(
        "head_approved",
        State.REQUESTED,
        State.HEAD_APPROVED,
        guards.requester_does_not_approve_own_request,
        guards.approval_within_the_school_budget,
    ),
    _row("head_rejected", State.REQUESTED, State.REJECTED, guards.rejection_has_a_reason),
    _row(
        "executive_approved",
        State.HEAD_APPROVED,
        State.EXECUTIVE_APPROVED,
        guards.requester_does_not_approve_own_request,
        guards.approval_within_the_school_budget,
    ),
    _row("executive_rejected", State.HEAD_APPROVED, State.REJECTED, guards.rejection_has_a_reason),
    _row("booked", State.EXECUTIVE_APPROVED, State.BOOKED, guards.booking_has_a_reference),
    _row(
        "booking_cancelled",
        State.BOOKED,
        State.EXECUTIVE_APPROVED,
        guards.cancellation_has_a_reason,
        guards.cancellation_of_a_central_booking,
    ),
    _row(
        "completed",
        State.BOOKED,
        State.COMPLETED,
        guards.completed_within_the_course_and_not_in_the_future,
    ),
    _row(
        "not_attended",
        State.BOOKED,
        State.NOT_ATTENDED,
        guards.course_has_started,
        guards.not_attended_has_a_reason,
    ),
    _row("evaluated", State.COMPLETED, State.EVALUATED),
    _row("disseminated", State.EVALUATED, State.DISSEMINATED),
    _row("withdrawn", WITHDRAWABLE_STATES, State.WITHDRAWN, guards.booked_request_not_yet_started),
    _row(
        "dissemination_waived",
        WAIVABLE_STATES,
        None,
        guards.waiver_has_a_reason,
        guards.dissemination_still_asked_for,
    ),
    _row("impact_reviewed", REVIEWABLE_STATES, None),
]

TRIGGERS = frozenset(t["trigger"] for t in TRANSITIONS)


class Stateful(Protocol):
    state: str
    staff_id: str


_machine = Machine(
    model=None,
    states=[s.value for s in State],
    transitions=TRANSITIONS,
    initial=None,
    auto_transitions=False,
    send_event=True,
    ignore_invalid_triggers=False,
)


def fire(
    model: Stateful,
    trigger: str,
    event_type: str,
    command: dict[str, Any],
    context: StepContext,
) -> None:
    """Move `model` along `trigger`, or raise a DomainError naming state and event."""
    if trigger not in TRIGGERS:
        raise InvalidTransition(model.state, event_type, allowed_triggers(model.state))
    state = str(model.state)
    _machine.add_model(model, initial=state)
    try:
        model.trigger(trigger, command=command, context=context)  # type: ignore[attr-defined]
    except MachineError as error:
        raise InvalidTransition(state, event_type, allowed_triggers(state)) from error
    finally:
        _machine.remove_model(model)
    model.state = str(model.state)


def allowed_triggers(state: str) -> list[str]:
    """The triggers the table allows from `state`, for error messages and docs."""
    return sorted(t["trigger"] for t in TRANSITIONS if state in _sources(t["source"]))


def _sources(source: Any) -> list[str]:
    return [str(s) for s in source] if isinstance(source, list) else [str(source)]


def destination(state: str, trigger: str) -> str | None:
    """Where `trigger` takes a request in `state` by the table (guards aside), or None."""
    for row in TRANSITIONS:
        if row["trigger"] == trigger and state in _sources(row["source"]):
            return str(row["dest"] or state)
    return None
