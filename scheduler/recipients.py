"""Whom a reminder names: its recipient role resolved to people in the staff directory.

Resolved when the reminder fires (inside the firing transaction, on the writer's
connection), so it reaches whoever holds the role then, never a leaver. A role nobody
holds goes to the school's CPD lead(s), marked `unassigned_role`, so nothing is chased
into the void; with no CPD lead either there is nobody, and `reason` says so.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from scheduler.policy import APPROVAL_PENDING, LINE_MANAGER, PARTICIPANT
from workflow.directory import StaffMember, acting_member, holders, staff_as_of
from workflow.notifications.approvers import approving_role
from workflow.policy.policy_set import PolicySet
from workflow.policy.vocabulary import Role

# An approval reminder planned for the usual approver, and the step it chases.
_STAGE_OF = {Role.HEAD_TEACHER.value: "head", Role.EXECUTIVE_LEAD.value: "executive"}


@dataclass(frozen=True)
class Recipient:
    staff_id: str
    name: str
    email: str
    role: str  # the role the reminder is for (for a stand-in, the role nobody holds)
    unassigned_role: bool = False

    def to_data(self) -> dict[str, Any]:
        return {
            "staff_id": self.staff_id,
            "name": self.name,
            "email": self.email,
            "role": self.role,
            "unassigned_role": self.unassigned_role,
        }


@dataclass(frozen=True)
class Resolved:
    recipients: list[Recipient]
    reason: str | None = None  # for the history entry when the role itself had nobody


@dataclass(frozen=True)
class Addressee:
    """What a follow-up says of whom it is for, and the request it is about."""

    role: str
    staff_id: str | None  # named when planned: the participant, or the submitted line manager
    participant_id: str
    school_id: str
    kind: str = ""
    policy: PolicySet | None = None  # the set governing the request


def resolve(db: sqlite3.Connection, to: Addressee, at: datetime) -> Resolved:
    to = _approver_for_this_request(db, to, at)
    people = _holders_of(db, to, at)
    if people:
        return Resolved([_recipient(p, to.role) for p in people])
    nobody = f"nobody holds {to.role} for {to.school_id}"
    leads = holders(db, Role.CPD_LEAD, to.school_id, at) if to.role != Role.CPD_LEAD else []
    if not leads:
        return Resolved([], f"{nobody} and there is no CPD lead to stand in: nobody was reminded")
    stand_ins = [_recipient(p, to.role, stand_in=True) for p in leads]
    return Resolved(stand_ins, f"{nobody}: sent to the CPD lead")


def _holders_of(db: sqlite3.Connection, to: Addressee, at: datetime) -> list[StaffMember]:
    if to.role == PARTICIPANT:
        return _acting(db, to.staff_id or to.participant_id, at)
    if to.role == LINE_MANAGER:
        # The directory's word on who manages them wins over what was submitted.
        participant = staff_as_of(db, to.participant_id, at)
        named = participant.line_manager_id if participant is not None else None
        return _acting(db, named or to.staff_id, at)
    try:
        role = Role(to.role)
    except ValueError:  # a role the directory does not know: nobody holds it
        return []
    found = holders(db, role, to.school_id, at)
    if to.kind == APPROVAL_PENDING:  # nobody is asked to approve their own request
        found = [m for m in found if m.staff_id != to.participant_id]
    return found


def _approver_for_this_request(db: sqlite3.Connection, to: Addressee, at: datetime) -> Addressee:
    """An approval reminder goes to whoever may give that approval for this requester: a
    head teacher's own request to the chair of governors, say (the same rule as the step)."""
    stage = _STAGE_OF.get(to.role)
    if to.kind != APPROVAL_PENDING or stage is None or to.policy is None:
        return to
    role = approving_role(db, stage, to.participant_id, to.school_id, to.policy, at)
    return replace(to, role=role.value)


def _acting(db: sqlite3.Connection, staff_id: str | None, at: datetime) -> list[StaffMember]:
    member = acting_member(db, staff_id, at) if staff_id else None
    return [member] if member is not None else []


def _recipient(member: StaffMember, role: str, stand_in: bool = False) -> Recipient:
    return Recipient(member.staff_id, member.name, member.email, role, stand_in)
