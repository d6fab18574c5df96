"""Reader: money. What the ledger holds for each of a period's requests (the school's
share of its cost and cover: committed, and spent), and the budget of each financial year
the period touches, with what the whole year holds.

Both come from `budget_ledger` (workflow/budgets), so the reports agree with the budget
view to the penny: committed = committed - released - spent, in whole pence.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from workflow.budgets.ledger import pounds, totals
from workflow.budgets.view import school_policy
from workflow.reports.periods import Period
from workflow.store.policies import Governance


@dataclass(frozen=True)
class Holding:
    committed: Decimal
    spent: Decimal

    @property
    def held(self) -> Decimal:
        return self.committed + self.spent


NOTHING = Holding(Decimal("0.00"), Decimal("0.00"))


@dataclass(frozen=True)
class YearMoney:
    label: str  # "2026-27", by the school's financial year
    budget: Decimal | None  # None: no budget set
    committed: Decimal  # by every request of the year, not only the period's
    spent: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed - self.spent


def holdings_of(db: sqlite3.Connection, school_id: str, period: Period) -> dict[str, Holding]:
    rows = db.execute(
        "SELECT l.request_id,"
        " SUM(CASE l.kind WHEN 'committed' THEN l.amount_pence"
        "  WHEN 'released' THEN -l.amount_pence WHEN 'spent' THEN -l.amount_pence END),"
        " SUM(CASE l.kind WHEN 'spent' THEN l.amount_pence ELSE 0 END)"
        " FROM requests r JOIN budget_ledger l ON l.request_id = r.request_id"
        " WHERE r.school_id = ? AND r.start_date BETWEEN ? AND ? GROUP BY l.request_id",
        (school_id, period.first.isoformat(), period.last.isoformat()),
    ).fetchall()
    return {
        request_id: Holding(pounds(committed), pounds(spent))
        for request_id, committed, spent in rows
    }


def years_touched(
    db: sqlite3.Connection, governance: Governance, school_id: str, period: Period, now: datetime
) -> list[YearMoney]:
    """Each financial year of the school (by its policy set now) that the period touches."""
    policy = school_policy(db, governance, school_id, now)
    years = []
    year = policy.financial_year_containing(period.first)
    while year.starts <= period.last:
        found = totals(db, school_id, year.label)
        years.append(YearMoney(year.label, found.budget, found.committed, found.spent))
        year = policy.financial_year_containing(year.ends + timedelta(days=1))
    return years
