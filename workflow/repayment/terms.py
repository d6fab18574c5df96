"""What a request says about its own repayment: the school's share of its cost, and any
terms agreed when it was approved.

Both come from what the request recorded (its `details`, one entry per step), so a claim
is judged by what was agreed then, whatever the policy file says now.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

# The approvals that may agree terms, the later overriding the earlier.
AGREEING_STEPS = ("executive_approved", "head_approved")


@dataclass(frozen=True)
class Terms:
    """The scale a claim is judged on: `months` long, or waived with a reason."""

    months: int
    agreed_at: str | None = None  # the approval step that agreed them; None: the policy's
    waived_reason: str | None = None

    @property
    def waived(self) -> bool:
        return self.waived_reason is not None

    def to_record(self) -> dict[str, Any] | None:
        if self.agreed_at is None:
            return None
        if self.waived_reason is not None:
            return {"waived": True, "reason": self.waived_reason, "agreed_at": self.agreed_at}
        return {"months": self.months, "agreed_at": self.agreed_at}


def terms_of(details: Mapping[str, Any], policy_months: int) -> Terms:
    """The terms agreed at the latest approval that set `repayment_terms`, else the policy's
    scale (a step the policy passed on its own agreed nothing)."""
    for step in AGREEING_STEPS:
        agreed = (details.get(step) or {}).get("repayment_terms")
        if not isinstance(agreed, Mapping):
            continue
        if agreed.get("waived") is True:
            return Terms(policy_months, step, str(agreed.get("reason") or ""))
        if isinstance(agreed.get("months"), int):
            return Terms(int(agreed["months"]), step)
    return Terms(policy_months)


def funding_of(details: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The request's `funding` (shares by source), wherever the submission kept it."""
    found = details.get("funding")
    if found is None:
        found = (details.get("submitted") or {}).get("funding")
    return found if isinstance(found, Mapping) else None


def school_fraction(details: Mapping[str, Any]) -> Decimal:
    """The school's share of the cost: all of it when no funding was given, else its
    `school` share (none named: nothing)."""
    funding = funding_of(details)
    if funding is None:
        return Decimal(1)
    try:
        return Decimal(str(funding.get("school", "0")))
    except InvalidOperation:
        return Decimal(0)


def school_share(cost_gbp: Decimal, details: Mapping[str, Any]) -> Decimal:
    """What the school paid of `cost_gbp` (unrounded: the rule rounds once, at the end)."""
    return cost_gbp * school_fraction(details)
