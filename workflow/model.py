"""A CPD request and the pure function that applies one inbound event to it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from workflow.budgets.rules import BudgetStanding
from workflow.context import StepContext
from workflow.errors import (
    InvalidTransition,
    RequestAlreadyExists,
    UnknownRequest,
    UnknownStatutoryKind,
)
from workflow.machine import fire
from workflow.policy import PolicySet, default_policy_set
from workflow.states import (
    DISSEMINATION_NOT_REQUIRED,
    DISSEMINATION_REQUIRED,
    DISSEMINATION_WAIVED,
    State,
)

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
    # What the request costs as far as is known: the estimate, then the booking's
    # confirmed cost, or what a no-show still cost.
    cost_gbp: Decimal
    provider: str | None = None
    version: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # What each later step recorded (booking reference, evaluation, ...), keyed by step.
    details: dict[str, Any] = field(default_factory=dict)
    # The submitted estimate, kept when a booking confirms another cost (None: cost_gbp).
    estimated_cost_gbp: Decimal | None = None
    # The policy-set version it was submitted under; it governs the request to the end.
    policy_id: str = "default"
    policy_version: int = 1
    dissemination: str = DISSEMINATION_REQUIRED  # required, not_required or waived

    @property
    def estimate(self) -> Decimal:
        return self.cost_gbp if self.estimated_cost_gbp is None else self.estimated_cost_gbp


@dataclass(frozen=True)
class Command:
    """An inbound event the schemas layer has already validated."""

    event_type: str
    request_id: str
    actor: str
    data: dict[str, Any]
    occurred_at: datetime
    # The CloudEvent's extension attributes, e.g. `cpdlink`: the form link it was sent from.
    extensions: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Transition:
    request: CpdRequest
    from_state: str | None
    to_state: str


@cache
def _shipped_default() -> PolicySet:
    return default_policy_set()


def local_today(policy: PolicySet, now: datetime) -> date:
    """The date at the school when `now` is: the day the policy's dates are judged by."""
    return now.astimezone(ZoneInfo(policy.follow_ups.timezone)).date()


def apply(
    current: CpdRequest | None,
    command: Command,
    now: datetime,
    policy: PolicySet | None = None,
    *,
    budget: BudgetStanding | None = None,
) -> Transition:
    """Return the request after `command`, or raise a DomainError saying why not.

    `policy` is the version governing the request (for a submission: the one it is
    submitted under); without one, the shipped default, which behaves as before.
    `budget`: for an approval, the school's budget as it stands (None: none set)."""
    policy = policy or _shipped_default()
    if command.event_type == SUBMITTED:
        if current is not None:
            raise RequestAlreadyExists(command.request_id)
        return Transition(_new_request(command, now, policy), None, State.REQUESTED.value)
    if current is None:
        raise UnknownRequest(command.request_id)
    if not command.event_type.startswith(EVENT_PREFIX):
        raise InvalidTransition(current.state, command.event_type)
    step = command.event_type.removeprefix(EVENT_PREFIX)
    moved = replace(current, details=dict(current.details))
    booking = policy.booking_ruling(current.activity_type)
    context = StepContext(
        today=local_today(policy, now),
        dissemination=current.dissemination,
        booked_centrally=booking.applies,
        booking_rule=booking.citation,
        budget=budget,
    )
    fire(moved, step, command.event_type, {**command.data, "actor": command.actor}, context)
    moved.details[step] = command.data
    _record_costs(moved, step, command.data)
    moved.dissemination = dissemination_of(moved, policy)
    moved.version = current.version + 1
    moved.updated_at = now
    return Transition(moved, current.state, moved.state)


def dissemination_of(request: CpdRequest, policy: PolicySet) -> str:
    """Waived for this request, or what the request's policy asks of its activity."""
    if "dissemination_waived" in request.details:
        return DISSEMINATION_WAIVED
    if policy.dissemination_required(request.activity_type, request.cost_gbp):
        return DISSEMINATION_REQUIRED
    return DISSEMINATION_NOT_REQUIRED


def _record_costs(request: CpdRequest, step: str, data: dict[str, Any]) -> None:
    """The cost follows what happened: confirmed by a booking, back to the estimate when
    the booking is cancelled, and what a no-show still cost."""
    if step == "booked" and data.get("confirmed_cost_gbp") is not None:
        request.cost_gbp = Decimal(str(data["confirmed_cost_gbp"]))
    elif step == "booking_cancelled":
        request.cost_gbp = request.estimate
    elif step == "not_attended":
        request.cost_gbp = Decimal(str(data["cost_incurred_gbp"]))


def _new_request(command: Command, now: datetime, policy: PolicySet) -> CpdRequest:
    data = command.data
    kind = data.get("statutory_kind")
    if kind and kind not in policy.statutory:
        known = ", ".join(sorted(policy.statutory)) or "none"
        raise UnknownStatutoryKind(
            f"'{kind}' is not statutory training in policy set {policy.name} (it lists: {known})"
        )
    cost = Decimal(str(data["cost_gbp"]))
    request = CpdRequest(
        request_id=command.request_id,
        state=State.REQUESTED.value,
        staff_id=str(data["staff_id"]),
        school_id=str(data["school_id"]),
        title=str(data["title"]),
        activity_type=str(data["activity_type"]),
        start_date=date.fromisoformat(str(data["start_date"])),
        end_date=date.fromisoformat(str(data["end_date"])),
        cost_gbp=cost,
        provider=data.get("provider"),
        version=1,
        created_at=now,
        updated_at=now,
        details={"submitted": data},
        estimated_cost_gbp=cost,
        policy_id=policy.id,
        policy_version=policy.version,
    )
    request.dissemination = dissemination_of(request, policy)
    return request
