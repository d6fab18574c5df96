"""The CPD workflow engine: states, policy guards and the pure transition function."""

from workflow.errors import (
    DomainError,
    GuardFailed,
    InvalidTransition,
    RequestAlreadyExists,
    UnknownRequest,
)
from workflow.model import Command, CpdRequest, Transition, apply
from workflow.states import TERMINAL_STATES, State

__all__ = [
    "TERMINAL_STATES",
    "Command",
    "CpdRequest",
    "DomainError",
    "GuardFailed",
    "InvalidTransition",
    "RequestAlreadyExists",
    "State",
    "Transition",
    "UnknownRequest",
    "apply",
]
