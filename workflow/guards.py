"""Named checks run by the state machine before a transition.

Each returns True or raises GuardFailed with the reason, so the rejection a
person reads says which rule of the policy stopped the event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workflow.errors import GuardFailed

if TYPE_CHECKING:
    from transitions import EventData


def _command(event: EventData) -> dict[str, object]:
    command: dict[str, object] = event.kwargs["command"]
    return command


def _text(event: EventData, field: str) -> str:
    value = _command(event).get(field)
    return value.strip() if isinstance(value, str) else ""


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
