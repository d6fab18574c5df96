"""Two answers the queues need from parts built beside them, each one named function.

- `renewal_due`: the qualifications store (statutory training, `qualification.recorded`)
  answers whether a person's statutory training of a kind is due for renewal.
- `remaining_budget`: the budgets ledger (`budget.set`, committed and spent) answers how
  much of a school's budget for a financial year is left (workflow/budgets/ledger.py).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal


def renewal_due(db: sqlite3.Connection, staff_id: str, kind: str, today: date) -> bool:
    """Whether `staff_id`'s statutory training of `kind` is due for renewal on `today`:
    missing, expired or expiring (the compliance list's own statuses, workflow/compliance)."""
    from workflow.compliance.qualifications import current
    from workflow.compliance.validity import Status, status_on

    held = current(db, staff_id, kind)
    return status_on(today, held.valid_until if held else None) is not Status.VALID


def remaining_budget(db: sqlite3.Connection, school_id: str, year: str) -> Decimal | None:
    """What is left of `school_id`'s budget for the financial year `year` (e.g. "2026-27"),
    negative after an override; None when no budget is set for that year: the ledger's."""
    from workflow.budgets.ledger import totals  # the ledger imports the store, as do we

    return totals(db, school_id, year).remaining
