"""Who may give a request's head or executive approval, as the directory stands at a moment.

The same rule as the step itself (`workflow.authorisation.approver_role`): a head teacher's
own request goes to the chair of governors, an executive lead's own (with no other
executive lead) to a trustee, and so on. Reminders (scheduler/recipients.py) and the mail
sent when a request needs an approval both ask here.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from workflow.authorisation import Parties, approver_role
from workflow.authorisation.standing import head_approvers
from workflow.directory import StaffMember, acting_member, active_delegations, holders, staff_as_of
from workflow.policy import PolicySet, Role

# The role that approves a stage for most requests; only its holders may delegate it.
USUAL_APPROVER = {"head": Role.HEAD_TEACHER, "executive": Role.EXECUTIVE_LEAD}


def approving_role(
    db: sqlite3.Connection,
    stage: str,
    participant_id: str,
    school_id: str,
    policy: PolicySet,
    at: datetime,
) -> Role:
    """The role that gives `stage` ("head" or "executive") for this requester."""
    participant = staff_as_of(db, participant_id, at)
    roles = participant.roles if participant is not None else frozenset()
    others: frozenset[str] = frozenset()
    if stage == "executive" and Role.EXECUTIVE_LEAD in roles:  # only then do they decide
        found = holders(db, Role.EXECUTIVE_LEAD, school_id, at)
        others = frozenset(m.staff_id for m in found if m.staff_id != participant_id)
    parties = Parties(participant_roles=roles, others_holding={Role.EXECUTIVE_LEAD: others})
    return approver_role(stage, parties, policy)


def approvers(
    db: sqlite3.Connection,
    stage: str,
    request_id: str,
    participant_id: str,
    school_id: str,
    policy: PolicySet,
    at: datetime,
) -> list[StaffMember]:
    """Everyone who may take the step now: every holder of the approving role for the
    school, and anyone they delegated it to whose window includes `at`; never the requester,
    nor (at the executive step) whoever gave the head approval. By staff id."""
    role = approving_role(db, stage, participant_id, school_id, policy, at)
    people = {m.staff_id: m for m in holders(db, role, school_id, at)}
    if role is USUAL_APPROVER[stage]:
        for holder in list(people.values()):
            for delegation in active_delegations(db, stage, at, from_staff_id=holder.staff_id):
                delegate = acting_member(db, delegation.to_staff_id, at)
                if delegate is not None:
                    people.setdefault(delegate.staff_id, delegate)
    barred = {participant_id}
    if stage == "executive":
        barred |= head_approvers(db, request_id)
    return [people[k] for k in sorted(people) if k not in barred]
