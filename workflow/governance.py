"""Steps a request's policy set does not require, passed by the service itself.

After every applied event the engine asks the request's policy whether the step now
awaited applies to it at all. A head-led school has no executive step; an in-school
session is not booked centrally. Such a step is taken at once, in the same transaction,
as a transition of its own: actor `policy`, and the rule and its version as the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from workflow.machine import destination
from workflow.model import CpdRequest, Transition
from workflow.policy import PolicySet, Ruling
from workflow.states import State

POLICY_ACTOR = "policy"


@dataclass(frozen=True)
class PolicyStep:
    """A step passed because the request's policy does not require it."""

    step: str  # the trigger, e.g. "executive_approved"
    transition: Transition
    ruling: Ruling

    @property
    def event_type(self) -> str:
        return f"cpd.request.{self.step}"

    @property
    def reason(self) -> str:
        return reason_of(self.ruling)

    @property
    def record(self) -> dict[str, object]:
        """What the step keeps in the request's details and its history entry."""
        return record_of(self.ruling)


def reason_of(ruling: Ruling) -> str:
    # e.g. "rule approval.executive of policy set head-led-school v1: no request needs
    # executive approval"
    return f"{ruling.citation}: {ruling.reason}"


def record_of(ruling: Ruling) -> dict[str, object]:
    return {
        "passed_by": POLICY_ACTOR,
        "rule": str(ruling.rule),
        "policy_id": ruling.policy_id,
        "policy_version": ruling.version,
        "reason": reason_of(ruling),
    }


def _not_required(request: CpdRequest, policy: PolicySet) -> tuple[str, Ruling] | None:
    """The step `request` awaits and the ruling that it does not apply, if it does not."""
    if request.state == State.HEAD_APPROVED:
        ruling = policy.executive_step_ruling(request.estimate)
        return None if ruling.applies else ("executive_approved", ruling)
    if request.state == State.EXECUTIVE_APPROVED:
        ruling = policy.booking_ruling(request.activity_type)
        return None if ruling.applies else ("booked", ruling)
    return None


def passed_by_policy(request: CpdRequest, policy: PolicySet, now: datetime) -> list[PolicyStep]:
    """Every step after `request`'s current state that its policy does not require, in
    order (head_approved may go on to executive_approved and then to booked)."""
    steps: list[PolicyStep] = []
    while (found := _not_required(request, policy)) is not None:
        step, ruling = found
        to_state = destination(request.state, step)
        assert to_state is not None, f"the table has no {step} from {request.state}"
        moved = replace(
            request,
            state=to_state,
            details={**request.details, step: record_of(ruling)},
            version=request.version + 1,
            updated_at=now,
        )
        steps.append(PolicyStep(step, Transition(moved, request.state, to_state), ruling))
        request = moved
    return steps
