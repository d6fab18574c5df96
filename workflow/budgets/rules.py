"""The money rules, pure: which financial year a request's money belongs to, how much of it
the school pays, what it holds against the school's budget in each state, and the check
that an approval stays within the budget.

Money is Decimal to the penny. A request holds the school's share of its cost and of its
supply cover: nothing until the head teacher approves it; that share of the estimate (or,
once booked, of the confirmed cost) committed while it is approved or booked; spent once
completed. A no-show (`not_attended`) spends the school's share of the cost it still
incurred (`cost_incurred_gbp`) and releases the rest, cover included: the participant was
not away, so the cover is cancelled or not the CPD budget's to bear. Rejected and
withdrawn requests hold nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from schemas.budgets import year_starting
from workflow.errors import DomainError
from workflow.policy.sections import Money
from workflow.states import State

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
COMMITTED, RELEASED, SPENT, BUDGET_SET = "committed", "released", "spent", "budget_set"
MOVEMENTS = (COMMITTED, RELEASED, SPENT)

# Approved or booked: the money is promised. Completed and after: it is spent.
_COMMITTING = frozenset({State.HEAD_APPROVED, State.EXECUTIVE_APPROVED, State.BOOKED})
_SPENDING = frozenset({State.COMPLETED, State.EVALUATED, State.DISSEMINATED})


class OverBudget(DomainError):
    code = "over_budget"


def pennies(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def gbp(amount: Decimal) -> str:
    return f"£{amount:,.2f}" if amount >= 0 else f"-£{-amount:,.2f}"


def year_of(day: date, first_month: int) -> str:
    """The financial year `day` falls in, when years start on the 1st of `first_month`:
    named by the calendar years it starts and ends in (`2026-27`; `2026-26` for a year
    starting in January), as the policy set's FinancialYear names it."""
    return Money(financial_year_starts=first_month).year_containing(day).label


def first_day_of(label: str, first_month: int) -> date | None:
    """The first day of the year `label` names, or None when years starting in
    `first_month` are never named so (`2026-26` for an April school)."""
    starts = date(year_starting(label), first_month, 1)
    return starts if year_of(starts, first_month) == label else None


def not_a_year_of(label: str, first_month: int) -> str:
    example = year_of(date(year_starting(label), first_month, 1), first_month)
    month = date(2000, first_month, 1).strftime("%B")
    return (
        f"{label} is not a financial year of a school whose years start on 1 {month}"
        f" (money.financial_year_starts = {first_month}): e.g. {example}"
    )


def school_share(submitted: Mapping[str, Any]) -> Decimal:
    """The school's share of a request's cost: all of it unless `funding` says otherwise."""
    funding = submitted.get("funding")
    if not funding:
        return Decimal(1)
    return Decimal(str(funding.get("school", 0)))


@dataclass(frozen=True)
class Holding:
    """What one request holds against its school's budget."""

    committed: Decimal = ZERO
    spent: Decimal = ZERO


def holding_of(state: str, cost: Decimal, submitted: Mapping[str, Any]) -> Holding:
    """What a request in `state` costing `cost` (the estimate, confirmed, or incurred)
    holds: the school's share of the cost and of the cover, each to the penny."""
    share = school_share(submitted)
    cost_part = pennies(cost * share)
    cover_part = pennies(Decimal(str(submitted.get("cover_cost_gbp") or 0)) * share)
    if state in _COMMITTING:
        return Holding(committed=cost_part + cover_part)
    if state in _SPENDING:
        return Holding(spent=cost_part + cover_part)
    if state == State.NOT_ATTENDED:
        return Holding(spent=cost_part)
    return Holding()


def movements(held: Holding, target: Holding) -> list[tuple[str, Decimal]]:
    """The ledger rows that take a request from what it holds to what it should hold.

    `committed` and `released` change what is committed; a `spent` row then moves money
    from committed to spent (so what is spent was first committed, even for a request
    approved before budgets were kept). Spending is never undone: completed and
    not_attended are final."""
    rows: list[tuple[str, Decimal]] = []
    newly_spent = max(target.spent - held.spent, ZERO)
    change = target.committed + newly_spent - held.committed
    if change > 0:
        rows.append((COMMITTED, change))
    elif change < 0:
        rows.append((RELEASED, -change))
    if newly_spent > 0:
        rows.append((SPENT, newly_spent))
    return rows


@dataclass(frozen=True)
class BudgetStanding:
    """A school's budget for one year as an approval finds it, this request left out."""

    school_id: str
    financial_year: str
    budget: Decimal
    committed: Decimal  # by the school's other requests
    spent: Decimal
    this_request: Decimal  # the school's share of this request's cost and cover
    citation: str  # "rule money.within_budget of policy set X v1"

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.committed - self.spent

    @property
    def goes_over(self) -> bool:
        """A request that costs the school nothing never goes over, however spent it is."""
        return self.this_request > 0 and self.this_request > self.remaining


def check_within_budget(standing: BudgetStanding, override_reason: str) -> None:
    """An approval may not take the school past its budget for the year, unless the
    approver says why (`override_reason`): then it may, and the remainder goes negative."""
    if standing.goes_over and not override_reason:
        s = standing
        raise OverBudget(
            f"approving this request would take {s.school_id} past its {s.financial_year}"
            f" CPD budget ({s.citation}): budget {gbp(s.budget)}, committed {gbp(s.committed)},"
            f" spent {gbp(s.spent)}, this request {gbp(s.this_request)}, remaining"
            f" {gbp(s.remaining)}; approve with an override_reason to go over it"
        )
