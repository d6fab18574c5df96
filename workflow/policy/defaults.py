"""The shipped default policy set: what a school that names no policy set gets.

It behaves exactly as the service did before policy sets: every request goes to the head
teacher and then the executive lead, every activity is booked centrally and disseminated,
and the follow-up numbers are today's (or those of CPD_FOLLOW_UP_POLICY, passed in). Staff
renew their safeguarding training every year (Keeping Children Safe in Education expects it
of everyone working in a school), the example the issue gives.
"""

from __future__ import annotations

from datetime import date

from workflow.policy.policy_set import PolicySet
from workflow.policy.sections import (
    Approval,
    Booking,
    Dissemination,
    FollowUps,
    StatutoryTraining,
)
from workflow.policy.vocabulary import ALL_ACTIVITY_TYPES, Role

DEFAULT_POLICY_ID = "default"
DEFAULT_POLICY_VERSION = 1
SAFEGUARDING = StatutoryTraining(
    valid_months=12,
    required_for_roles=frozenset({Role.TEACHER, Role.SUPPORT, Role.LEADERSHIP, Role.HEAD_TEACHER}),
)


def default_policy_set(follow_ups: FollowUps | None = None) -> PolicySet:
    return PolicySet(
        id=DEFAULT_POLICY_ID,
        version=DEFAULT_POLICY_VERSION,
        effective_from=date.min,  # in force for any request, however old
        title="Shipped default: head teacher then executive lead; everything booked centrally",
        approval=Approval(executive="always"),
        booking=Booking(required_for=ALL_ACTIVITY_TYPES),
        dissemination=Dissemination(required_for=ALL_ACTIVITY_TYPES),
        follow_ups=follow_ups or FollowUps(),
        statutory={"safeguarding": SAFEGUARDING},
    )
