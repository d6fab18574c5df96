"""Obligations: statutory training held and kept in date, CPD agreed in appraisal and
whether it was provided, in-house sessions, and each person's CPD hours.

The event families (`qualification.recorded`, `appraisal.cpd_agreed`, `cpd.session.*`) are
listed in workflow/families.py; `on_completion` is the transaction hook by which a completed
request records its statutory training and provides its agreed CPD. Renewal reminders are
the scheduler's (scheduler/renewals.py), planned from the `qualifications` table.
"""

from workflow.compliance.agreed import AGREED_CPD, agreed_for
from workflow.compliance.hours import CpdHours, cpd_hours
from workflow.compliance.qualifications import Qualification, current, of_person
from workflow.compliance.recorded import QUALIFICATIONS
from workflow.compliance.report import Compliance, compliance_of
from workflow.compliance.requests import on_completion
from workflow.compliance.sessions import SESSIONS, session_view
from workflow.compliance.validity import (
    EXPIRING_WITHIN_DAYS,
    Status,
    StatutoryStanding,
    valid_until,
)

__all__ = [
    "AGREED_CPD",
    "EXPIRING_WITHIN_DAYS",
    "QUALIFICATIONS",
    "SESSIONS",
    "Compliance",
    "CpdHours",
    "Qualification",
    "Status",
    "StatutoryStanding",
    "agreed_for",
    "compliance_of",
    "cpd_hours",
    "current",
    "of_person",
    "on_completion",
    "session_view",
    "valid_until",
]
