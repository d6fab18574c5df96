"""The words a policy set is written in: roles, activity types and the names of its rules."""

from __future__ import annotations

from enum import StrEnum

from schemas.directory import Role  # the one definition, shared with the wire contract
from schemas.inbound import ActivityType

__all__ = ["ALL_ACTIVITY_TYPES", "GOVERNANCE_ROLES", "Role", "Rule"]

ALL_ACTIVITY_TYPES: frozenset[ActivityType] = frozenset(ActivityType)
GOVERNANCE_ROLES = frozenset({Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS})


class Rule(StrEnum):
    """Stable rule names: a refusal or an automatically passed step cites one of these
    ("rule approval.executive of policy set X v2"), so never rename a value."""

    EXECUTIVE_STEP = "approval.executive"
    HEAD_STEP_ROLE = "approval.head_step"
    EXECUTIVE_STEP_ROLE = "approval.executive_step"
    BOOKING = "booking.central"
    DISSEMINATION = "dissemination.required"
    FOLLOW_UPS = "follow_ups"
    FINANCIAL_YEAR = "money.financial_year"
    WITHIN_BUDGET = "money.within_budget"  # an approval stays within the school's budget
    REPAYMENT = "repayment"
    STATUTORY = "statutory"


def activity_type(value: ActivityType | str) -> ActivityType:
    """The activity type named by `value` (a request stores it as plain text)."""
    return ActivityType(value)


def in_enum_order(types: frozenset[ActivityType]) -> list[ActivityType]:
    return [t for t in ActivityType if t in types]
