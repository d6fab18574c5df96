"""Named checks run by the state machine before a transition.

Each returns True or raises GuardFailed with the reason, so the rejection a
person reads says which rule of the policy stopped the event.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from workflow.budgets.rules import check_within_budget
from workflow.context import StepContext
from workflow.errors import GuardFailed
from workflow.states import DISSEMINATION_NOT_REQUIRED, DISSEMINATION_WAIVED, State

if TYPE_CHECKING:
    from transitions import EventData


def _command(event: EventData) -> dict[str, object]:
    command: dict[str, object] = event.kwargs["command"]
    return command


def _context(event: EventData) -> StepContext:
    context: StepContext = event.kwargs["context"]
    return context


def _text(event: EventData, field: str) -> str:
    value = _command(event).get(field)
    return value.strip() if isinstance(value, str) else ""


def _request(event: EventData) -> Any:
    # The model is the CpdRequest being moved (transitions types it as object).
    return event.model


def _start_date(event: EventData) -> date:
    start: date = _request(event).start_date
    return start


def approval_within_the_school_budget(event: EventData) -> bool:
    """Rule money.within_budget: no approval takes the school past its budget for the
    year, unless the approver gives an override_reason (recorded with the approval)."""
    budget = _context(event).budget
    if budget is not None:
        check_within_budget(budget, _text(event, "override_reason"))
    return True


def rejection_has_a_reason(event: EventData) -> bool:
    if not _text(event, "reason"):
        raise GuardFailed("a rejection must give a reason")
    return True


def requester_does_not_approve_own_request(event: EventData) -> bool:
    actor = _command(event).get("actor")
    if actor == getattr(event.model, "staff_id", None):
        raise GuardFailed(f"'{actor}' made this request and cannot approve it")
    return True


def booking_has_a_reference(event: EventData) -> bool:
    if not _text(event, "booking_reference"):
        raise GuardFailed("a booking needs a booking reference from the central booking record")
    return True


def cancellation_has_a_reason(event: EventData) -> bool:
    if not _text(event, "reason"):
        raise GuardFailed("a booking cancellation must give a reason")
    return True


def cancellation_of_a_central_booking(event: EventData) -> bool:
    context = _context(event)
    if not context.booked_centrally:
        raise GuardFailed(
            f"{_request(event).activity_type} activities are not booked centrally"
            f" ({context.booking_rule}): there is no central booking to cancel"
        )
    return True


def completed_within_the_course_and_not_in_the_future(event: EventData) -> bool:
    completed_on = date.fromisoformat(str(_command(event).get("completed_on")))
    start, today = _start_date(event), _context(event).today
    if completed_on < start:
        raise GuardFailed(
            f"completed_on {completed_on} is before the start date {start}; it must be on"
            " or after it"
        )
    if completed_on > today:
        raise GuardFailed(f"completed_on {completed_on} is in the future (today is {today})")
    return True


def booked_request_not_yet_started(event: EventData) -> bool:
    start, today = _start_date(event), _context(event).today
    if _request(event).state == State.BOOKED and today >= start:
        raise GuardFailed(
            f"a booked request cannot be withdrawn on or after its start date ({start});"
            " record cpd.request.not_attended if the participant did not attend"
        )
    return True


def course_has_started(event: EventData) -> bool:
    start, today = _start_date(event), _context(event).today
    if today < start:
        raise GuardFailed(
            f"non-attendance can be recorded only on or after the start date ({start});"
            " before it, withdraw the request (cpd.request.withdrawn)"
        )
    return True


def not_attended_has_a_reason(event: EventData) -> bool:
    if not _text(event, "reason"):
        raise GuardFailed("a record of non-attendance must give a reason")
    return True


def waiver_has_a_reason(event: EventData) -> bool:
    if not _text(event, "reason"):
        raise GuardFailed("waiving dissemination must give a reason")
    return True


def dissemination_still_asked_for(event: EventData) -> bool:
    dissemination = _context(event).dissemination
    if dissemination == DISSEMINATION_WAIVED:
        raise GuardFailed("dissemination of this request has been waived already")
    if dissemination == DISSEMINATION_NOT_REQUIRED:
        raise GuardFailed("the policy does not ask for this request to be disseminated")
    return True
