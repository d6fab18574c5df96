"""Every event family the store applies beside requests and the directory: one line each.

A family's module (e.g. workflow/budgets) defines `FAMILY = Family(...)` with its event
types and applier (workflow.store.families); listing it here is what makes the store apply
its events. Its inbound `data` models go in schemas (INBOUND_DATA) like every other type.
"""

from __future__ import annotations

from workflow.budgets import family as budgets
from workflow.compliance import AGREED_CPD, QUALIFICATIONS, SESSIONS
from workflow.repayment import decisions as repayment
from workflow.store.families import Family

FAMILIES: tuple[Family, ...] = (
    repayment.FAMILY,
    budgets.FAMILY,
    QUALIFICATIONS,
    AGREED_CPD,
    SESSIONS,
)
