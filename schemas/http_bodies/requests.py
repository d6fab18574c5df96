"""A CPD request, its history and its follow-ups, as the HTTP edge shows them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from schemas.http_bodies.notifications import NotificationView


class RequestView(BaseModel):
    request_id: str
    state: str
    staff_id: str
    school_id: str
    title: str
    activity_type: str
    provider: str | None
    start_date: str = Field(description="ISO date")
    end_date: str = Field(description="ISO date")
    cost_gbp: str = Field(description="decimal: the estimate, or the booking's confirmed cost")
    estimated_cost_gbp: str = Field(description="decimal: the submitted estimate")
    policy_id: str
    policy_version: int
    dissemination: str = Field(description="`required`, `not_required` or `waived`")
    version: int
    created_at: str | None
    updated_at: str | None
    details: dict[str, Any] = Field(description="what each later step recorded, by step")
    notifications: list[NotificationView] = Field(
        default_factory=list,
        description="GET /requests/{id} only: the mail about it, what went to whom and when",
    )


class HistoryEntryView(BaseModel):
    seq: int
    at: str
    event_id: str
    event_source: str
    event_type: str
    actor: str
    from_state: str | None
    to_state: str
    data: dict[str, Any]
    outcome: str = Field(description="`applied`, `refused` or `reminder`")
    reason: str | None
    on_behalf_of: str | None = Field(description="the approver a delegate acted for")
    client: str | None = Field(
        None,
        description="the client system that sent the event: an API key's name, a signed-in"
        " person's e-mail, `forms`; null when access is off",
    )


class History(BaseModel):
    request_id: str
    entries: list[HistoryEntryView]


class FollowUpView(BaseModel):
    id: str
    request_id: str | None = Field(description="null for a renewal_due reminder")
    school_id: str
    kind: str
    recipient_role: str
    recipient_staff_id: str | None
    attempt: int
    due_at: str
    status: str = Field(description="`pending`, `fired` or `cancelled`")
    created_at: str
    fired_at: str | None
    late_by_seconds: int | None
    cancelled_at: str | None
    cancel_reason: str | None
    recipients: list[dict[str, Any]] | None = Field(description="null until it fires")
    qualification_id: str | None = Field(
        None, description="a renewal_due reminder: the statutory training it is about"
    )


class RequestFollowUps(BaseModel):
    request_id: str
    follow_ups: list[FollowUpView]


class DueFollowUps(BaseModel):
    due_before: str
    follow_ups: list[FollowUpView]
