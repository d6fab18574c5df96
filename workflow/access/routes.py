"""Which scope each HTTP route needs: the one place that says so.

A route not listed needs `admin`, so a route added without thought is closed, not open.
"""

from __future__ import annotations

from workflow.access.scopes import (
    ADMIN,
    READ_AUDIT,
    READ_DIRECTORY,
    READ_METRICS,
    READ_REPORTS,
    READ_REQUESTS,
)

# Routes that describe the contract or the service's health, without data: never closed
# (a load balancer probes /health/live and /health/ready without a key).
OPEN_PATHS = frozenset(
    {"/health", "/openapi.json", "/asyncapi.json", "/schemas", "/docs", "/docs/oauth2-redirect"}
    | {"/redoc", "/health/live", "/health/ready"}
)
# A form's signed link is its own credential (handlers/forms): the token in the path
# names the one request, step and person it may act for.
OPEN_PREFIXES = ("/health/", "/forms/")
# POST /events is checked per event, by its type and actor (rules.check_post).
BY_EVENT = "post:<the event's type>"

ROUTE_SCOPES: dict[tuple[str, str], str] = {
    ("POST", "/events"): BY_EVENT,
    ("GET", "/events/{event_id}"): READ_REQUESTS,
    ("GET", "/requests"): READ_REQUESTS,
    ("GET", "/requests/{request_id}"): READ_REQUESTS,
    ("GET", "/requests/{request_id}/history"): READ_REQUESTS,
    ("GET", "/requests/{request_id}/follow-ups"): READ_REQUESTS,
    ("GET", "/follow-ups"): READ_REQUESTS,
    ("GET", "/dead-letters"): READ_AUDIT,
    # Sends a message into the queue as whoever first sent it: the operator's alone.
    ("POST", "/dead-letters/{letter_id}/replay"): ADMIN,
    # The tamper-evident audit chain: its entries searched, and its head.
    ("GET", "/audit"): READ_AUDIT,
    ("GET", "/audit/head"): READ_AUDIT,
    # The mail log: whom the service wrote to, about what, and whether it arrived.
    ("GET", "/notifications"): READ_AUDIT,
    ("GET", "/staff/{staff_id}"): READ_DIRECTORY,
    ("GET", "/schools/{school_id}"): READ_DIRECTORY,
    # Claims on leavers for training costs (policy 003's repayment clause).
    ("GET", "/repayments"): READ_REPORTS,
    # A school's budget for a financial year, and its ledger.
    ("GET", "/budgets/{school_id}"): READ_REPORTS,
    # The approval queues, each request with its priority score and its reasons.
    ("GET", "/queues/head"): READ_REPORTS,
    ("GET", "/queues/executive"): READ_REPORTS,
    # Obligations. A person's agreed CPD and hours are part of their CPD record, read as
    # their requests are (not HR's directory); a session as the school's records.
    ("GET", "/compliance"): READ_REPORTS,
    ("GET", "/staff/{staff_id}/agreed-cpd"): READ_REQUESTS,
    ("GET", "/staff/{staff_id}/cpd-hours"): READ_REQUESTS,
    ("GET", "/sessions/{session_id}"): READ_REQUESTS,
    # Counts and ages by event type, kind and status: a monitoring system's own key.
    ("GET", "/metrics"): READ_METRICS,
    # Reports for governors and trustees (JSON, CSV or an HTML page with charts).
    ("GET", "/reports/termly"): READ_REPORTS,
    ("GET", "/reports/trust"): READ_REPORTS,
    # A person's portfolio is their CPD record, read as their requests are (like their
    # agreed CPD and hours); the reports about groups, providers and a school's year are
    # reports, each needing the school (or every school of a trust) within reach.
    ("GET", "/staff/{staff_id}/portfolio"): READ_REQUESTS,
    ("GET", "/reports/equality"): READ_REPORTS,
    ("GET", "/reports/providers"): READ_REPORTS,
    ("GET", "/reports/annual-review"): READ_REPORTS,
}


def is_open(path: str) -> bool:
    return path in OPEN_PATHS or path.startswith(OPEN_PREFIXES)


def scope_for(method: str, path: str) -> str:
    """The scope a route needs (BY_EVENT: checked per event); unlisted: admin."""
    return ROUTE_SCOPES.get((method.upper(), path), ADMIN)
