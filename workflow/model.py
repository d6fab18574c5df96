"""A CPD request and the pure function that applies one inbound event to it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from workflow.errors import InvalidTransition, RequestAlreadyExists, UnknownRequest
from workflow.machine import fire
from workflow.states import State

EVENT_PREFIX = "cpd.request."
SUBMITTED = "cpd.request.submitted"


@dataclass
class CpdRequest:
    request_id: str
    state: str
    staff_id: str
    school_id: str
    title: str
    activity_type: str
    start_date: date
    end_date: date
    cost_gbp: Decimal
    provider: str | None = None
    version: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # What each later step recorded (booking reference, evaluation, ...), keyed by step.
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Command:
    """An inbound event the schemas layer has already validated."""

    event_type: str
    request_id: str
    actor: str
    data: dict[str, Any]
    occurred_at: datetime


@dataclass(frozen=True)
class Transition:
    request: CpdRequest
    from_state: str | None
    to_state: str


def apply(current: CpdRequest | None, command: Command, now: datetime) -> Transition:
    """Return the request after `command`, or raise a DomainError saying why not."""
    if command.event_type == SUBMITTED:
        if current is not None:
            raise RequestAlreadyExists(command.request_id)
        return Transition(_new_request(command, now), None, State.REQUESTED.value)
    if current is None:
        raise UnknownRequest(command.request_id)
    if not command.event_type.startswith(EVENT_PREFIX):
        raise InvalidTransition(current.state, command.event_type)
    step = command.event_type.removeprefix(EVENT_PREFIX)
    moved = replace(current, details=dict(current.details))
    fire(moved, step, command.event_type, {**command.data, "actor": command.actor})
    moved.details[step] = command.data
    moved.version = current.version + 1
    moved.updated_at = now
    return Transition(moved, current.state, moved.state)


def _new_request(command: Command, now: datetime) -> CpdRequest:
    data = command.data
    return CpdRequest(
        request_id=command.request_id,
        state=State.REQUESTED.value,
        staff_id=str(data["staff_id"]),
        school_id=str(data["school_id"]),
        title=str(data["title"]),
        activity_type=str(data["activity_type"]),
        start_date=date.fromisoformat(str(data["start_date"])),
        end_date=date.fromisoformat(str(data["end_date"])),
        cost_gbp=Decimal(str(data["cost_gbp"])),
        provider=data.get("provider"),
        version=1,
        created_at=now,
        updated_at=now,
        details={"submitted": data},
    )
