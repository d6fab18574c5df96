"""The mails a step or a reminder produces: each notice's audience named from the directory
(inside the transaction that applied the step or fired the reminder), with what every
template needs to say it, as plain JSON-able data. Rendering and sending are handlers'.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from workflow.directory import StaffMember, acting_member, holders, school_as_of, staff_as_of
from workflow.model import Command, CpdRequest, Transition, local_today
from workflow.notifications import plan
from workflow.notifications.approvers import approvers
from workflow.policy import PolicySet, Role

DECISION_MAIL = "decision"
REMINDER_MAIL = "reminder"
# (request_id, step, staff_id) -> that person's own link to the step's form
LinkMaker = Callable[[str, str, str], str]
_IMPACT_REVIEW_DAYS = 14  # an impact review has no repeat to point to: two weeks


@dataclass(frozen=True)
class Mail:
    kind: str  # decision (sent at once) or reminder (may join a digest)
    template: str
    request_id: str | None  # None: about a person's statutory training, not a request
    cause: str  # the event or follow-up that produced it
    to_staff_id: str
    to_address: str
    to_name: str
    context: dict[str, Any]  # everything its template reads


def decision_mails(
    db: sqlite3.Connection,
    transition: Transition,
    command: Command,
    policy: PolicySet,
    now: datetime,
    link: LinkMaker,
    cause: str,
) -> list[Mail]:
    request = transition.request
    about = request_context(db, request, policy, now)
    mails = []
    for notice in plan.notices_for(transition, command):
        for member, role in _audience(db, notice.audience, request, policy, now):
            context = {
                **_addressed(member, role, about, request, notice.step, link),
                "template": notice.template,
                "due_by": _due_by(notice.template, request, policy, now),
                **notice.facts,
            }
            mails.append(_mail(DECISION_MAIL, notice.template, request, cause, member, context))
    return mails


def reminder_mails(
    db: sqlite3.Connection,
    reminder: Mapping[str, Any],
    request: CpdRequest,
    policy: PolicySet,
    now: datetime,
    link: LinkMaker,
    cause: str,
) -> list[Mail]:
    """One mail per person a fired reminder names (`cpd.reminder.due`'s `recipients`)."""
    about = request_context(db, request, policy, now)
    kind = str(reminder["kind"])
    mails = []
    for named in reminder.get("recipients") or []:
        member = acting_member(db, named["staff_id"], now)
        if member is None:
            continue
        unassigned = bool(named.get("unassigned_role"))
        step = plan.reminder_step(kind, named["role"], unassigned, request.state)
        context = {
            **_addressed(member, named["role"], about, request, step, link),
            "template": plan.REMINDER,
            "kind": kind,
            "attempt": reminder.get("attempt", 1),
            "unassigned_role": unassigned,
            "due_by": _due_by(kind, request, policy, now),
        }
        mails.append(_mail(REMINDER_MAIL, plan.REMINDER, request, cause, member, context))
    return mails


def request_context(
    db: sqlite3.Connection, request: CpdRequest, policy: PolicySet, at: datetime
) -> dict[str, Any]:
    requester = staff_as_of(db, request.staff_id, at)
    school = school_as_of(db, request.school_id, at)
    submitted = request.details.get("submitted", {})
    return {
        "id": request.request_id,
        "title": request.title,
        "activity_type": request.activity_type.replace("_", " "),
        "provider": request.provider,
        "start_date": request.start_date.isoformat(),
        "end_date": request.end_date.isoformat(),
        "cost": _pounds(request.cost_gbp),
        "justification": submitted.get("justification"),
        "priorities": list(submitted.get("priorities") or []),
        "state": request.state,
        "policy": policy.name,
        "staff_id": request.staff_id,
        "staff_name": requester.name if requester is not None else request.staff_id,
        "school_id": request.school_id,
        "school_name": school.name if school is not None else request.school_id,
    }


def _audience(
    db: sqlite3.Connection, audience: str, request: CpdRequest, policy: PolicySet, at: datetime
) -> list[tuple[StaffMember, str]]:
    if audience == plan.REQUESTER:
        member = acting_member(db, request.staff_id, at)
        return [(member, "participant")] if member is not None else []
    if audience == plan.BOOKING_OFFICE:
        found = holders(db, Role.BOOKING_OFFICE, request.school_id, at)
        return [(m, Role.BOOKING_OFFICE.value) for m in found]
    stage = "head" if audience == plan.HEAD_APPROVERS else "executive"
    people = approvers(
        db, stage, request.request_id, request.staff_id, request.school_id, policy, at
    )
    return [(m, f"{stage}_approver") for m in people]


def _addressed(
    member: StaffMember,
    role: str,
    about: dict[str, Any],
    request: CpdRequest,
    step: str | None,
    link: LinkMaker,
) -> dict[str, Any]:
    return {
        "recipient": {"staff_id": member.staff_id, "name": member.name, "role": role},
        "request": about,
        "link": link(request.request_id, step, member.staff_id) if step else None,
    }


def _due_by(what: str, request: CpdRequest, policy: PolicySet, now: datetime) -> str | None:
    """By when the mail asks it done (a school date), if it asks anything by a date."""
    today, numbers = local_today(policy, now), policy.follow_ups
    within = {
        plan.EVALUATION_ASKED: numbers.evaluation_repeat_days,
        "evaluation_due": numbers.evaluation_repeat_days,
        plan.DISSEMINATION_ASKED: numbers.dissemination_first_after_days,
        "dissemination_due": numbers.dissemination_repeat_days,
        "impact_review_due": _IMPACT_REVIEW_DAYS,
    }
    if what in within:
        return (today + timedelta(days=within[what])).isoformat()
    if what in (plan.APPROVAL_NEEDED, plan.BOOKING_NEEDED, "approval_pending", "booking_pending"):
        before: date = request.start_date - timedelta(days=1)
        return before.isoformat() if before >= today else None
    return None


def _mail(
    kind: str,
    template: str,
    request: CpdRequest,
    cause: str,
    member: StaffMember,
    context: dict[str, Any],
) -> Mail:
    return Mail(
        kind,
        template,
        request.request_id,
        cause,
        member.staff_id,
        member.email,
        member.name,
        context,
    )


def _pounds(amount: Any) -> str:
    return f"£{amount:,.2f}"
