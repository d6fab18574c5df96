"""Shared checks of the obligations' events: who may post them, and what the school's
policy set says of a statutory kind. Each raises a DomainError that refuses the event.

Their events are system events (workflow.access.events): a trust system whose key allows
it posts them under its own name, which is not in the directory. When the actor *is* a
person of the directory, the person must hold the role for the school, as for a request.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from datetime import date, datetime

from workflow.authorisation.rules import NotAuthorised, UnknownActor
from workflow.compliance.errors import DateInFuture, UnknownStatutoryKind
from workflow.directory import roles_for_school, staff_as_of
from workflow.model import local_today
from workflow.policy import PolicySet, Role, StatutoryTraining
from workflow.store._events import SERVICE_ACTORS
from workflow.store.policies import Governance

HEAD_OR_CPD_LEAD = frozenset({Role.HEAD_TEACHER, Role.CPD_LEAD})


def check_actor(
    db: sqlite3.Connection,
    actor: str,
    now: datetime,
    *,
    school_id: str,
    doing: str,
    rule: str,
    people: Collection[str] = (),
    roles: frozenset[Role] = HEAD_OR_CPD_LEAD,
) -> None:
    """A system (not in the directory) may; a person may if they are one of `people`, or
    hold one of `roles` for `school_id`; a leaver, or the service's own names, may not."""
    if actor in SERVICE_ACTORS:
        raise UnknownActor(
            f"'{actor}' is the service's own name: an event from outside cannot act as it"
        )
    member = staff_as_of(db, actor, now)
    if member is None:
        return  # a trust system's own name
    if not member.can_act_at(now):
        raise UnknownActor(f"'{actor}' has left and can no longer act")
    if actor in people or roles_for_school(db, actor, school_id, now) & roles:
        return
    who = " or ".join([*(f"{p} themselves" for p in sorted(people)), _roles(roles, school_id)])
    raise NotAuthorised(f"'{actor}' may not {doing}: it needs {who} (rule {rule})")


def school_policy(
    db: sqlite3.Connection, governance: Governance, school_id: str, now: datetime
) -> PolicySet:
    """The version of the school's policy set in force today (refused when none is)."""
    return governance.for_new_request(db, school_id, now)


def statutory(policy: PolicySet, kind: str) -> StatutoryTraining:
    found = policy.statutory.get(kind)
    if found is None:
        known = ", ".join(sorted(policy.statutory)) or "none"
        raise UnknownStatutoryKind(
            f"'{kind}' is not statutory training in policy set {policy.name} (it lists: {known})"
        )
    return found


def not_in_future(policy: PolicySet, now: datetime, day: date, what: str) -> None:
    today = local_today(policy, now)
    if day > today:
        raise DateInFuture(f"{what} {day} is after today ({today}) at the school")


def _roles(roles: frozenset[Role], school_id: str) -> str:
    names = " or ".join(r.value.replace("_", " ") for r in sorted(roles))
    return f"a {names} of {school_id}"
