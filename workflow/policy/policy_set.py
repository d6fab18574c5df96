"""A policy set: one trust's or school's CPD rules, as one typed object the engine reads.

The methods read like the policy ("is an executive step required for a £650 course?") and
each ruling names its rule and the set's id and version, so a refusal or an automatically
passed step can say which rule of which version decided it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict, StrictInt, StrictStr, StringConstraints

from schemas.inbound import ActivityType
from workflow.policy.evaluation import Evaluation
from workflow.policy.sections import (
    Approval,
    Booking,
    Dissemination,
    FinancialYear,
    FollowUps,
    Money,
    Notifications,
    Repayment,
    StatutoryTraining,
)
from workflow.policy.vocabulary import GOVERNANCE_ROLES, Role, Rule, activity_type
from workflow.repayment.rule import share_owed

PolicyId = Annotated[StrictStr, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
KindName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


@dataclass(frozen=True)
class Ruling:
    """What one rule decided for one request, and which rule of which version decided it."""

    rule: Rule
    policy_id: str
    version: int
    applies: bool
    reason: str

    @property
    def citation(self) -> str:
        return f"rule {self.rule} of policy set {self.policy_id} v{self.version}"

    def __str__(self) -> str:
        return f"{self.reason} ({self.citation})"


class PolicySet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: PolicyId
    version: Annotated[StrictInt, Field(ge=1)]
    effective_from: Annotated[date, Strict()]
    title: Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]
    approval: Approval
    booking: Booking
    dissemination: Dissemination
    follow_ups: FollowUps = FollowUps()
    money: Money = Money()
    repayment: Repayment = Repayment()
    notifications: Notifications = Notifications()
    statutory: Mapping[KindName, StatutoryTraining] = Field(default_factory=dict)
    evaluation: Evaluation = Evaluation()  # the questions of the evaluation form
    # The file it came from, for messages only: not part of the rules, never compared.
    source: str | None = Field(default=None, exclude=True)

    @property
    def name(self) -> str:
        return f"{self.id} v{self.version}"

    def same_rules_as(self, other: PolicySet) -> bool:
        return self.model_dump() == other.model_dump()

    def cite(self, rule: Rule) -> str:
        return f"rule {rule} of policy set {self.name}"

    def _ruling(self, rule: Rule, applies: bool, reason: str) -> Ruling:
        return Ruling(rule, self.id, self.version, applies, reason)

    # --- approval -----------------------------------------------------------------------

    def executive_step_ruling(self, estimated_cost: Decimal) -> Ruling:
        a, cost = self.approval, _gbp(estimated_cost)
        if a.executive == "always":
            return self._ruling(Rule.EXECUTIVE_STEP, True, "every request needs executive approval")
        if a.executive == "never":
            return self._ruling(Rule.EXECUTIVE_STEP, False, "no request needs executive approval")
        above = a.executive_above_gbp or Decimal(0)
        applies = estimated_cost > above
        only = "" if applies else "only "
        reason = (
            f"executive approval is needed {only}above {_gbp(above)}; this request costs {cost}"
        )
        return self._ruling(Rule.EXECUTIVE_STEP, applies, reason)

    def executive_step_required(self, estimated_cost: Decimal) -> bool:
        return self.executive_step_ruling(estimated_cost).applies

    def head_step_role_for(self, requester_roles: Collection[Role | str]) -> Role:
        """Who approves at the head step a request made by someone holding these roles:
        a head teacher's own request and a governor's go to the role the set names."""
        roles = {Role(r) for r in requester_roles}
        if Role.HEAD_TEACHER in roles:
            return self.approval.own_request_head_step
        if Role.CHAIR_OF_GOVERNORS in roles:
            return self.approval.chair_request_head_step
        if roles & GOVERNANCE_ROLES:
            return self.approval.governor_request_head_step
        return Role.HEAD_TEACHER

    @property
    def head_step_role_for_own_request(self) -> Role:
        """Approves at the head step when the head step's own approver made the request."""
        return self.approval.own_request_head_step

    @property
    def governor_request_head_step_role(self) -> Role:
        return self.approval.governor_request_head_step

    @property
    def executive_step_role_for_own_request(self) -> Role:
        """Approves at the executive step an executive lead's own request when the trust has
        no other executive lead."""
        return self.approval.own_request_executive_step

    # --- booking and dissemination ------------------------------------------------------

    def booking_ruling(self, kind: ActivityType | str) -> Ruling:
        kind = activity_type(kind)
        applies = kind in self.booking.required_for
        verb = "are" if applies else "are not"
        return self._ruling(Rule.BOOKING, applies, f"{kind} activities {verb} booked centrally")

    def booking_required(self, kind: ActivityType | str) -> bool:
        return self.booking_ruling(kind).applies

    def dissemination_ruling(self, kind: ActivityType | str, cost: Decimal) -> Ruling:
        kind, d = activity_type(kind), self.dissemination
        if kind in d.required_for:
            return self._ruling(Rule.DISSEMINATION, True, f"{kind} activities must be disseminated")
        if d.required_above_gbp is not None and cost > d.required_above_gbp:
            reason = f"activities costing over {_gbp(d.required_above_gbp)} must be disseminated"
            return self._ruling(Rule.DISSEMINATION, True, f"{reason}; this one costs {_gbp(cost)}")
        reason = f"{kind} activities costing {_gbp(cost)} need no dissemination"
        return self._ruling(Rule.DISSEMINATION, False, reason)

    def dissemination_required(self, kind: ActivityType | str, cost: Decimal) -> bool:
        return self.dissemination_ruling(kind, cost).applies

    # --- money, repayment, statutory training -------------------------------------------

    def financial_year_containing(self, day: date) -> FinancialYear:
        return self.money.year_containing(day)

    def repayment_share(self, training_ended: date, resigned_on: date) -> Fraction:
        """Share of the training's cost owed by someone resigning on `resigned_on`: all of it
        during the training and in the first month after it, then 1/months less for each
        whole month served since it ended, nothing once `months` months are served
        (workflow.repayment.rule, where months at the end of a month are counted)."""
        if not self.repayment.enabled:
            return Fraction(0)
        return share_owed(training_ended, resigned_on, self.repayment.months)[1]

    def statutory_training_for(self, role: Role | str) -> dict[str, StatutoryTraining]:
        return {k: s for k, s in self.statutory.items() if Role(role) in s.required_for_roles}


def _gbp(amount: Decimal) -> str:
    return f"£{amount:,.2f}"
