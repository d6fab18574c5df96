"""Who may take each step of a CPD request: the rules in one table, read like the policy."""

from workflow.authorisation.rules import (
    WHO_MAY,
    NotAuthorised,
    Parties,
    Permit,
    Standing,
    UnknownActor,
    approver_role,
    authorise,
)

__all__ = [
    "WHO_MAY",
    "NotAuthorised",
    "Parties",
    "Permit",
    "Standing",
    "UnknownActor",
    "approver_role",
    "authorise",
]
