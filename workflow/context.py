"""What the guards may know beyond the event itself: the day, what the policy asks, and
the school's budget."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflow.budgets.rules import BudgetStanding
from workflow.states import DISSEMINATION_REQUIRED


@dataclass(frozen=True)
class StepContext:
    # The date at the school (the request's policy set's time zone) when the event is
    # applied: "not in the future" and "on or after the start date" are judged by it.
    today: date
    # The request's dissemination before this event: required, not_required or waived.
    dissemination: str = DISSEMINATION_REQUIRED
    # Whether the request's policy set books its activity type centrally, and the rule
    # that says so (for the refusal of a cancellation where nothing was booked).
    booked_centrally: bool = True
    booking_rule: str = ""
    # For an approval: the school's budget for the year the request's money belongs to,
    # as the approval finds it (None: no budget set, so no budget to keep within).
    budget: BudgetStanding | None = None
