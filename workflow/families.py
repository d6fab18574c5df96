"""Every event family the store applies beside requests and the directory: one line each.

A family's module (e.g. workflow/budgets) defines `FAMILY = Family(...)` with its event
types and applier (workflow.store.families); listing it here is what makes the store apply
its events. Its inbound `data` models go in schemas (INBOUND_DATA) like every other type.
"""

from __future__ import annotations

from workflow.budgets import family as budgets
from workflow.compliance import AGREED_CPD, QUALIFICATIONS, SESSIONS
from workflow.priority import sip
from workflow.repayment import decisions as repayment
from workflow.store.families import Family

FAMILIES: tuple[Family, ...] = (
    repayment.FAMILY,  # claims on leavers for training costs (workflow/repayment)
    budgets.FAMILY,  # a school's budget for a financial year (workflow/budgets)
    sip.FAMILY,  # a school's SIP priorities (workflow/priority)
    QUALIFICATIONS,  # statutory training held (workflow/compliance)
    AGREED_CPD,  # CPD agreed in appraisal
    SESSIONS,  # in-house CPD sessions
)
