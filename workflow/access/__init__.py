"""Who is calling, and what they may do: pure rules, no I/O.

`scopes` parses what a key is made with; `caller` is who is calling (a key, or a person
signed in); `events` sorts event types into a person's decisions and system events;
`rules` answers may this caller post this event in this actor's name, and may it read
this; `reach` is what a person may read; `routes` is which scope each HTTP route needs.
"""

from workflow.access.caller import AUDIT_READERS, Caller, Method, Standing, signed_in
from workflow.access.errors import (
    AccessRefused,
    ActorMismatch,
    ActorNotInDirectory,
    InvalidKey,
    InvalidToken,
    MissingCredentials,
    MissingScope,
    NotAuthenticated,
    OutOfReach,
    PersonRequired,
    UnknownPerson,
    UnknownScope,
)
from workflow.access.events import EVENT_KINDS, PERSONS_DECISIONS, Kind, kind_of
from workflow.access.keys import key_hash, looks_like_key, new_key, valid_name
from workflow.access.reach import EVERYTHING, READING_ROLES, Reach, reach_of
from workflow.access.routes import BY_EVENT, OPEN_PATHS, ROUTE_SCOPES, is_open, scope_for
from workflow.access.rules import (
    WHO_MAY_POST,
    Actor,
    check_event,
    check_person,
    check_post,
    check_request,
    check_school,
    check_school_list,
    check_scope,
    needs_directory,
)
from workflow.access.scopes import (
    ACT_FOR_OTHERS,
    ADMIN,
    NAMED_SCOPES,
    READ_AUDIT,
    READ_DIRECTORY,
    READ_METRICS,
    READ_REPORTS,
    READ_REQUESTS,
    Scopes,
    parse_scope,
    post_scope,
)

__all__ = [
    "ACT_FOR_OTHERS",
    "ADMIN",
    "AUDIT_READERS",
    "BY_EVENT",
    "EVENT_KINDS",
    "EVERYTHING",
    "NAMED_SCOPES",
    "OPEN_PATHS",
    "PERSONS_DECISIONS",
    "READING_ROLES",
    "READ_AUDIT",
    "READ_DIRECTORY",
    "READ_METRICS",
    "READ_REPORTS",
    "READ_REQUESTS",
    "ROUTE_SCOPES",
    "WHO_MAY_POST",
    "AccessRefused",
    "Actor",
    "ActorMismatch",
    "ActorNotInDirectory",
    "Caller",
    "InvalidKey",
    "InvalidToken",
    "Kind",
    "Method",
    "MissingCredentials",
    "MissingScope",
    "NotAuthenticated",
    "OutOfReach",
    "PersonRequired",
    "Reach",
    "Scopes",
    "Standing",
    "UnknownPerson",
    "UnknownScope",
    "check_event",
    "check_person",
    "check_post",
    "check_request",
    "check_school",
    "check_school_list",
    "check_scope",
    "is_open",
    "key_hash",
    "kind_of",
    "looks_like_key",
    "needs_directory",
    "new_key",
    "parse_scope",
    "post_scope",
    "reach_of",
    "scope_for",
    "signed_in",
    "valid_name",
]
