"""Every event family the store applies beside requests and the directory: one line each.

A family's module (e.g. workflow/budgets) defines `FAMILY = Family(...)` with its event
types and applier (workflow.store.families); listing it here is what makes the store apply
its events. Its inbound `data` models go in schemas (INBOUND_DATA) like every other type.
"""

from __future__ import annotations

from collections.abc import Callable

from workflow.compliance import AGREED_CPD, QUALIFICATIONS, SESSIONS, on_completion
from workflow.store import TransactionHook
from workflow.store.families import Family
from workflow.store.policies import Governance

FAMILIES: tuple[Family, ...] = (QUALIFICATIONS, AGREED_CPD, SESSIONS)

# Work a family does inside every request step's transaction (a completed request records
# its statutory training): each made with the store's Governance, run after the step.
REQUEST_HOOKS: tuple[Callable[[Governance], TransactionHook], ...] = (on_completion,)
