"""May this caller post this event, in this actor's name? May it read this?

Pure: the caller says what it knows (whether the actor is a current person of the
directory, the reach of the person a caller acts as); each check returns or raises an
AccessRefused naming what was missing.
"""

from __future__ import annotations

from enum import StrEnum

from workflow.access.caller import Caller, Standing
from workflow.access.errors import (
    ActorMismatch,
    ActorNotInDirectory,
    MissingScope,
    OutOfReach,
    PersonRequired,
)
from workflow.access.events import Kind, kind_of
from workflow.access.reach import Reach
from workflow.access.scopes import post_scope


class Actor(StrEnum):
    """Whose name an event may carry as its `actor`."""

    ANYONE = "anyone"
    THEMSELVES = "only the person the caller acts as"
    ANY_PERSON = "any current person of the directory"
    AS_GIVEN = "the system's own name, recorded as given"
    NOBODY = "nobody: a person's decision needs a person"


# Who may post what, once the caller's post: scopes allow the event type at all.
WHO_MAY_POST: dict[tuple[Standing, Kind], Actor] = {
    (Standing.ADMIN, Kind.DECISION): Actor.ANYONE,
    (Standing.ADMIN, Kind.SYSTEM): Actor.ANYONE,
    (Standing.PERSON, Kind.DECISION): Actor.THEMSELVES,
    (Standing.PERSON, Kind.SYSTEM): Actor.THEMSELVES,
    (Standing.PORTAL, Kind.DECISION): Actor.ANY_PERSON,
    (Standing.PORTAL, Kind.SYSTEM): Actor.AS_GIVEN,
    (Standing.SYSTEM, Kind.DECISION): Actor.NOBODY,
    (Standing.SYSTEM, Kind.SYSTEM): Actor.AS_GIVEN,
}


def needs_directory(caller: Caller, event_type: str) -> bool:
    """Whether check_post needs to know if the actor is a current person."""
    return WHO_MAY_POST[caller.standing, kind_of(event_type)] is Actor.ANY_PERSON


def check_post(caller: Caller, event_type: str, actor: str, actor_is_person: bool) -> None:
    """`actor_is_person`: the actor is a current (not left) person of the directory; only
    asked when needs_directory says so."""
    if not caller.scopes.may_post(event_type):
        raise MissingScope(caller.client, post_scope(event_type), f"post {event_type}")
    kind = kind_of(event_type)
    rule = WHO_MAY_POST[caller.standing, kind]
    if rule is Actor.NOBODY:
        raise PersonRequired(
            f"{event_type} is {kind}: system client '{caller.client}' may not post it;"
            " use a key made --as the person, or one with act-for-others"
        )
    if rule is Actor.THEMSELVES and actor != caller.staff_id:
        raise ActorMismatch(
            f"'{caller.client}' acts only as {caller.staff_id}: the event's actor must be"
            f" {caller.staff_id}, not '{actor}'"
        )
    if rule is Actor.ANY_PERSON and not actor_is_person:
        raise ActorNotInDirectory(
            f"'{caller.client}' may post {kind} only in the name of a current person of"
            f" the directory; '{actor}' is not one"
        )


def check_scope(caller: Caller, scope: str, doing: str) -> None:
    if not caller.scopes.allows(scope):
        raise MissingScope(caller.client, scope, doing)


def check_request(
    caller: Caller, reach: Reach, request_id: str, staff_id: str, school: str
) -> None:
    if not reach.covers_request(staff_id, school):
        raise OutOfReach(_outside(caller, f"request {request_id}"))


def check_person(caller: Caller, reach: Reach, staff_id: str, schools: tuple[str, ...]) -> None:
    if not reach.covers_person(staff_id, schools):
        raise OutOfReach(_outside(caller, f"the record of {staff_id}"))


def check_school(caller: Caller, reach: Reach, school_id: str) -> None:
    if not reach.covers_school(school_id):
        raise OutOfReach(_outside(caller, f"school {school_id}"))


def check_school_list(caller: Caller, reach: Reach, school_id: str) -> None:
    """A school's lists (its follow-ups) need the whole school in reach."""
    if not reach.covers_whole_school(school_id):
        raise OutOfReach(_outside(caller, f"all of school {school_id}"))


def check_event(
    caller: Caller,
    reach: Reach,
    event_id: str,
    *,
    request: tuple[str, str] | None = None,
    person: tuple[str, tuple[str, ...]] | None = None,
    school: str | None = None,
) -> None:
    """An event's status reads like what it is about: its request (staff id, school id),
    else the person (staff id, schools) or the school a directory event is about."""
    if request is not None:
        covered = reach.covers_request(*request)
    elif person is not None:
        covered = reach.covers_person(*person)
    else:
        covered = school is not None and reach.covers_whole_school(school)
    if not covered:
        raise OutOfReach(_outside(caller, f"event {event_id}"))


def _outside(caller: Caller, what: str) -> str:
    return f"{what} is outside what '{caller.client}' (acting as {caller.staff_id}) may read"
