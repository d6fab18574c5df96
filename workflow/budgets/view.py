"""A school's budget for one financial year as people read it: the budget, what is
committed and spent, what remains, every ledger row and every override."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from workflow.budgets.ledger import pounds, totals
from workflow.budgets.rules import first_day_of, not_a_year_of
from workflow.errors import DomainError
from workflow.model import local_today
from workflow.policy import PolicySet
from workflow.policy.sections import FinancialYear
from workflow.store.policies import Governance


def school_policy(
    db: sqlite3.Connection, governance: Governance, school_id: str, now: datetime
) -> PolicySet:
    """The policy set the school follows now: it says when the school's year starts."""
    try:
        return governance.for_new_request(db, school_id, now)
    except DomainError:  # a set not loaded or not yet in force: the shipped default's year
        return governance.library.default


class NotAYear(ValueError):
    """A year the school's policy set never names (`2026-26` for an April school)."""


def named_year(label: str, policy: PolicySet) -> FinancialYear:
    """`2026-27` by the school's year: from the 1st of its first month in 2026."""
    first_month = policy.money.financial_year_starts
    starts = first_day_of(label, first_month)
    if starts is None:
        raise NotAYear(not_a_year_of(label, first_month))
    return policy.money.year_containing(starts)


def budget_year(
    db: sqlite3.Connection,
    governance: Governance,
    school_id: str,
    label: str | None,
    now: datetime,
) -> dict[str, Any]:
    """The budget view of `school_id` for the year `label` (None: the current one); raises
    NotAYear for a label the school's years are never named by."""
    policy = school_policy(db, governance, school_id, now)
    year = (
        named_year(label, policy)
        if label is not None
        else policy.financial_year_containing(local_today(policy, now))
    )
    found = totals(db, school_id, year.label)
    remaining = found.remaining
    return {
        "school_id": school_id,
        "financial_year": year.label,
        "starts_on": year.starts.isoformat(),
        "ends_on": year.ends.isoformat(),
        "budget_gbp": _money(found.budget),
        "categories": found.categories,
        "committed_gbp": _money(found.committed),
        "spent_gbp": _money(found.spent),
        "remaining_gbp": _money(remaining),
        "ledger": ledger(db, school_id, year.label),
        "overrides": overrides(db, school_id, year.label),
    }


def ledger(db: sqlite3.Connection, school_id: str, year: str) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT seq, kind, request_id, amount_pence, at, cause, actor, categories"
        " FROM budget_ledger WHERE school_id = ? AND financial_year = ? ORDER BY seq",
        (school_id, year),
    ).fetchall()
    return [
        {
            "seq": seq,
            "kind": kind,
            "request_id": request_id,
            "amount_gbp": str(pounds(amount)),
            "at": at,
            "cause": cause,
            "actor": actor,
            "categories": json.loads(categories) if categories else None,
        }
        for seq, kind, request_id, amount, at, cause, actor, categories in rows
    ]


def overrides(db: sqlite3.Connection, school_id: str, year: str) -> list[dict[str, Any]]:
    rows = db.execute(
        "SELECT request_id, cause, actor, reason, at, budget_pence, committed_pence,"
        " spent_pence, request_pence FROM budget_overrides WHERE school_id = ?"
        " AND financial_year = ? ORDER BY id",
        (school_id, year),
    ).fetchall()
    return [
        {
            "request_id": request_id,
            "cause": cause,
            "actor": actor,
            "override_reason": reason,
            "at": at,
            "budget_gbp": str(pounds(budget)),
            "committed_gbp": str(pounds(committed)),
            "spent_gbp": str(pounds(spent)),
            "request_gbp": str(pounds(cost)),
        }
        for request_id, cause, actor, reason, at, budget, committed, spent, cost in rows
    ]


def _money(amount: Any) -> str | None:
    return None if amount is None else str(amount)
