"""The states a CPD request can be in, in the order the policies walk them."""

from enum import StrEnum


class State(StrEnum):
    REQUESTED = "requested"
    HEAD_APPROVED = "head_approved"
    EXECUTIVE_APPROVED = "executive_approved"
    BOOKED = "booked"
    COMPLETED = "completed"
    EVALUATED = "evaluated"
    DISSEMINATED = "disseminated"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    NOT_ATTENDED = "not_attended"  # booked, but the participant did not go


TERMINAL_STATES = frozenset(
    {State.DISSEMINATED, State.REJECTED, State.WITHDRAWN, State.NOT_ATTENDED}
)

# A member of staff may pull out of anything not yet attended (a booked request only
# before its start date: from then on it is completed or not_attended).
WITHDRAWABLE_STATES = (
    State.REQUESTED,
    State.HEAD_APPROVED,
    State.EXECUTIVE_APPROVED,
    State.BOOKED,
)

# Dissemination may be waived until it has happened.
WAIVABLE_STATES = (*WITHDRAWABLE_STATES, State.COMPLETED, State.EVALUATED)

# An impact review looks back on training that has been evaluated.
REVIEWABLE_STATES = (State.EVALUATED, State.DISSEMINATED)

# What GET /requests/{id} says of a request's dissemination.
DISSEMINATION_REQUIRED = "required"
DISSEMINATION_NOT_REQUIRED = "not_required"
DISSEMINATION_WAIVED = "waived"
