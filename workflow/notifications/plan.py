"""Who is told what, for each step a request takes and each reminder: pure rules.

Decisions go at once, at any hour: a new request, and each approval that leaves another
approval to give, to everyone who may give it; a request fully approved that needs
booking, to the booking office; every decision to the requester; a completion to the
participant with the evaluation form; an evaluation whose policy asks for dissemination
to the participant with the dissemination form. Whom each audience means is read from the
directory by compose.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from workflow.model import Command, Transition
from workflow.states import DISSEMINATION_REQUIRED, State

# The forms a link in mail opens (handlers/forms signs the links and serves the pages).
APPROVE_HEAD = "approve_head"
APPROVE_EXECUTIVE = "approve_executive"
EVALUATE = "evaluate"
DISSEMINATE = "disseminate"
IMPACT_REVIEW = "impact_review"
FORM_STEPS = (APPROVE_HEAD, APPROVE_EXECUTIVE, EVALUATE, DISSEMINATE, IMPACT_REVIEW)

# Audiences: whom a notice is for, before the directory names them.
HEAD_APPROVERS = "head_approvers"
EXECUTIVE_APPROVERS = "executive_approvers"
BOOKING_OFFICE = "booking_office"
REQUESTER = "requester"  # the member of staff the request is for

# Templates: what the mail says (handlers/mail/templates/<name>.txt and .html).
APPROVAL_NEEDED = "approval_needed"
BOOKING_NEEDED = "booking_needed"
DECISION = "decision"
EVALUATION_ASKED = "evaluation_asked"
DISSEMINATION_ASKED = "dissemination_asked"
REMINDER = "reminder"
DIGEST = "digest"

# Steps someone decided that the requester hears about.
DECISIONS = frozenset(
    {
        "head_approved",
        "executive_approved",
        "head_rejected",
        "executive_rejected",
        "booked",
        "booking_cancelled",
    }
)
_APPROVAL_STEP = {HEAD_APPROVERS: APPROVE_HEAD, EXECUTIVE_APPROVERS: APPROVE_EXECUTIVE}


@dataclass(frozen=True)
class Notice:
    template: str
    audience: str
    step: str | None = None  # the form each person's own link opens
    facts: Mapping[str, Any] = field(default_factory=dict)


def notices_for(transition: Transition, command: Command) -> list[Notice]:
    """What a step that was just applied tells whom. `transition` runs to the state after
    any steps the policy passed with it (an approval may end fully approved, or booked)."""
    step = command.event_type.removeprefix("cpd.request.")
    after = transition.to_state
    notices: list[Notice] = []
    if step == "submitted" and after == State.REQUESTED:
        notices.append(_approval_needed(HEAD_APPROVERS))
    elif step in DECISIONS:
        notices.append(Notice(DECISION, REQUESTER, facts=_decision(step, after, command.data)))
        if after == State.HEAD_APPROVED:
            notices.append(_approval_needed(EXECUTIVE_APPROVERS))
        if after == State.EXECUTIVE_APPROVED:
            notices.append(Notice(BOOKING_NEEDED, BOOKING_OFFICE))
    elif step == "completed" and after == State.COMPLETED:
        notices.append(Notice(EVALUATION_ASKED, REQUESTER, EVALUATE))
    elif (
        step == "evaluated"
        and after == State.EVALUATED
        and transition.request.dissemination == DISSEMINATION_REQUIRED
    ):
        notices.append(Notice(DISSEMINATION_ASKED, REQUESTER, DISSEMINATE))
    return notices


def _approval_needed(audience: str) -> Notice:
    return Notice(APPROVAL_NEEDED, audience, _APPROVAL_STEP[audience])


def _decision(step: str, after: str, data: Mapping[str, Any]) -> dict[str, Any]:
    kept = ("reason", "comment", "booking_reference", "confirmed_cost_gbp")
    return {"decision": step, "state": after, **{k: data[k] for k in kept if k in data}}


def reminder_step(kind: str, role: str, unassigned_role: bool, state: str) -> str | None:
    """The form a reminder's link opens for this recipient, if they may take the step:
    a CPD lead told of an approval that stalls, or standing in for a role nobody holds, is
    told, not given a form that would refuse them."""
    if unassigned_role:
        return None
    if kind == "approval_pending" and role != "cpd_lead":
        stages = {State.REQUESTED.value: APPROVE_HEAD, State.HEAD_APPROVED.value: APPROVE_EXECUTIVE}
        return stages.get(state)
    allowed = {
        "evaluation_due": ({"participant"}, EVALUATE),
        "dissemination_due": ({"participant", "head_teacher"}, DISSEMINATE),
        "impact_review_due": ({"line_manager", "head_teacher", "cpd_lead"}, IMPACT_REVIEW),
    }
    roles, step = allowed.get(kind, (set(), None))
    return step if role in roles else None
