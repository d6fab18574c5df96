"""What the directory and the request's history say about an event's actor and parties.

Read inside the event's transaction, at the moment it is applied: roles are judged as
they stand then. `rules.authorise` does the judging; this module only gathers.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from workflow.authorisation.rules import APPROVALS, Parties, Standing
from workflow.directory import queries, rules
from workflow.directory.records import TRUST_ROLES, School, StaffMember
from workflow.model import SUBMITTED, Command, CpdRequest
from workflow.policy.vocabulary import Role

HEAD_APPROVED = "cpd.request.head_approved"
_USUAL_APPROVER = {"head": Role.HEAD_TEACHER, "executive": Role.EXECUTIVE_LEAD}


def step_of(event_type: str) -> str:
    """`cpd.request.head_approved` -> `head_approved`."""
    return event_type.removeprefix("cpd.request.")


def read_standing(
    db: sqlite3.Connection, command: Command, current: CpdRequest | None, at: datetime
) -> tuple[Standing | None, Parties]:
    """The actor's standing towards the request (None: unknown or left) and its parties.
    For a submission the request is read from the event's own data."""
    if current is not None:
        staff_id, school_id, directed = current.staff_id, current.school_id, False
    else:
        staff_id = str(command.data["staff_id"])
        school_id = str(command.data["school_id"])
        directed = command.event_type == SUBMITTED and command.data.get("directed") is True
    actor = command.actor
    member = queries.staff_as_of(db, actor, at)
    # The participant's record even if they have left; one read when they are the actor.
    participant = member if actor == staff_id else queries.staff_as_of(db, staff_id, at)
    participant_roles = participant.roles if participant is not None else frozenset()
    stage = APPROVALS.get(step_of(command.event_type))
    parties = Parties(
        participant_roles=participant_roles,
        head_approvers=_head_approvers(db, current) if stage == "executive" else frozenset(),
        directed=directed,
        others_holding=_others_holding(db, stage, participant_roles, staff_id, school_id, at),
    )
    if member is None or not member.can_act_at(at):
        return None, parties
    standing = Standing(
        staff_id=actor,
        roles_here=_roles_here(db, member, school_id, at),
        is_participant=actor == staff_id,
        is_line_manager=participant is not None and participant.line_manager_id == actor,
        delegated_by=_delegated_by(db, stage, actor, school_id, at),
    )
    return standing, parties


def _roles_here(
    db: sqlite3.Connection, member: StaffMember, school_id: str, at: datetime
) -> frozenset[Role]:
    """The member's roles for `school_id`; reads only the schools that decide a trust role
    (theirs and the request's), not the whole directory, on every event."""
    schools: dict[str, School] = {}
    if member.roles & TRUST_ROLES:
        for wanted in {school_id, *member.schools}:
            found = queries.school_as_of(db, wanted, at)
            if found is not None:
                schools[wanted] = found
    return frozenset(r for r in member.roles if rules.holds_for(member, r, school_id, schools))


def _head_approvers(db: sqlite3.Connection, current: CpdRequest | None) -> frozenset[str]:
    return frozenset() if current is None else head_approvers(db, current.request_id)


def head_approvers(db: sqlite3.Connection, request_id: str) -> frozenset[str]:
    """Who gave the request's head approval, and the person a delegate gave it for."""
    rows = db.execute(
        "SELECT actor, on_behalf_of FROM history WHERE request_id = ? AND event_type = ?"
        " AND outcome = 'applied'",
        (request_id, HEAD_APPROVED),
    ).fetchall()
    return frozenset(who for row in rows for who in row if who)


def _others_holding(
    db: sqlite3.Connection,
    stage: str | None,
    participant_roles: frozenset[Role],
    staff_id: str,
    school_id: str,
    at: datetime,
) -> dict[Role, frozenset[str]]:
    """Only asked when it matters: an executive lead's own request at the executive step."""
    if stage != "executive" or Role.EXECUTIVE_LEAD not in participant_roles:
        return {}
    found = queries.holders(db, Role.EXECUTIVE_LEAD, school_id, at)
    return {Role.EXECUTIVE_LEAD: frozenset(m.staff_id for m in found if m.staff_id != staff_id)}


def _delegated_by(
    db: sqlite3.Connection, stage: str | None, actor: str, school_id: str, at: datetime
) -> dict[str, frozenset[str]]:
    """Whose approval step the actor may take today: delegations in force, from people who
    themselves hold the step's role for this school (a delegation passes on no more)."""
    if stage is None:
        return {}
    role = _USUAL_APPROVER[stage]
    delegators = frozenset(
        d.from_staff_id
        for d in queries.active_delegations(db, stage, at, to_staff_id=actor)
        if role in queries.roles_for_school(db, d.from_staff_id, school_id, at)
    )
    return {stage: delegators} if delegators else {}
