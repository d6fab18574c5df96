"""Every body the HTTP edge answers with, as typed models: /openapi.json documents them all."""

from schemas.http_bodies.audit import AuditEntry, AuditHead, AuditPage
from schemas.http_bodies.budgets import BudgetOverride, BudgetView, LedgerRow
from schemas.http_bodies.compliance import (
    AgreedCpd,
    AgreedItem,
    ComplianceReport,
    ComplianceRow,
    CpdHoursView,
    ProvidedBy,
    SessionView,
)
from schemas.http_bodies.directory import SchoolView, StaffView
from schemas.http_bodies.events import (
    BatchResult,
    BatchResults,
    EventAccepted,
    EventApplied,
    EventStatusView,
)
from schemas.http_bodies.notifications import Notifications, NotificationView
from schemas.http_bodies.probes import Liveness, ProbeCheck, ProbeWarning, Readiness
from schemas.http_bodies.problem import (
    PROBLEM_MEDIA_TYPE,
    PROBLEM_TYPE_PREFIX,
    Problem,
    ProblemItem,
)
from schemas.http_bodies.queues import (
    QueueItemView,
    QueueView,
    ReasonView,
    RequestPage,
    RequestSummary,
)
from schemas.http_bodies.repayments import RepaymentClaims, RepaymentClaimView
from schemas.http_bodies.reports import ReportBody
from schemas.http_bodies.requests import (
    DueFollowUps,
    FollowUpView,
    History,
    HistoryEntryView,
    RequestFollowUps,
    RequestView,
)
from schemas.http_bodies.service import (
    DeadLetter,
    DeadLetters,
    Health,
    HealthCheck,
    SchemaCatalogue,
)

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "PROBLEM_TYPE_PREFIX",
    "AgreedCpd",
    "AgreedItem",
    "AuditEntry",
    "AuditHead",
    "AuditPage",
    "BatchResult",
    "BatchResults",
    "BudgetOverride",
    "BudgetView",
    "ComplianceReport",
    "ComplianceRow",
    "CpdHoursView",
    "DeadLetter",
    "DeadLetters",
    "DueFollowUps",
    "EventAccepted",
    "EventApplied",
    "EventStatusView",
    "FollowUpView",
    "Health",
    "HealthCheck",
    "History",
    "HistoryEntryView",
    "LedgerRow",
    "Liveness",
    "NotificationView",
    "Notifications",
    "ProbeCheck",
    "ProbeWarning",
    "Problem",
    "ProblemItem",
    "ProvidedBy",
    "QueueItemView",
    "QueueView",
    "Readiness",
    "ReasonView",
    "RepaymentClaimView",
    "RepaymentClaims",
    "ReportBody",
    "RequestFollowUps",
    "RequestPage",
    "RequestSummary",
    "RequestView",
    "SchemaCatalogue",
    "SchoolView",
    "SessionView",
    "StaffView",
]
