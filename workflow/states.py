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


TERMINAL_STATES = frozenset({State.DISSEMINATED, State.REJECTED, State.WITHDRAWN})

# A member of staff may pull out of anything not yet attended.
WITHDRAWABLE_STATES = (
    State.REQUESTED,
    State.HEAD_APPROVED,
    State.EXECUTIVE_APPROVED,
    State.BOOKED,
)
