"""What the directory and the request's history say about an event's actor and parties.

Read inside the event's transaction, at the moment it is applied: roles are judged as
they stand then. `rules.authorise` does the judging; this module only gathers.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from workflow.authorisation.rules import APPROVALS, Parties, Standing
from workflow.directory import queries
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
    participant = queries.staff_as_of(db, staff_id, at)  # a leaver's record too
    participant_roles = participant.roles if participant is not None else frozenset()
    stage = APPROVALS.get(step_of(command.event_type))
    parties = Parties(
        participant_roles=participant_roles,
        head_approvers=_head_approvers(db, current) if stage == "executive" else frozenset(),
        directed=directed,
        others_holding=_others_holding(db, stage, participant_roles, staff_id, school_id, at),
    )
    actor = command.actor
    if queries.acting_member(db, actor, at) is None:
        return None, parties
    standing = Standing(
        staff_id=actor,
        roles_here=queries.roles_for_school(db, actor, school_id, at),
        is_participant=actor == staff_id,
        is_line_manager=participant is not None and participant.line_manager_id == actor,
        delegated_by=_delegated_by(db, stage, actor, school_id, at),
    )
    return standing, parties


def _head_approvers(db: sqlite3.Connection, current: CpdRequest | None) -> frozenset[str]:
    """Who gave the request's head approval, and the person a delegate gave it for."""
    if current is None:
        return frozenset()
    rows = db.execute(
        "SELECT actor, on_behalf_of FROM history WHERE request_id = ? AND event_type = ?"
        " AND outcome = 'applied'",
        (current.request_id, HEAD_APPROVED),
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
