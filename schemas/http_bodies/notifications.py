"""Mail as the HTTP edge shows it: what was queued, sent, failed or cancelled, to whom."""

from __future__ import annotations

from pydantic import BaseModel, Field


class NotificationView(BaseModel):
    id: int = Field(description="as `cpd notifications retry ID` names it")
    message_id: str = Field(description="the Message-ID every attempt carries")
    to: str = Field(description="the e-mail address")
    to_name: str
    to_staff_id: str | None
    request_id: str | None
    kind: str = Field(description="`decision` (sent at once) or `reminder` (may go as a digest)")
    subject: str
    status: str = Field(description="`queued`, `sent`, `failed` or `cancelled`")
    attempts: int
    last_error: str | None = Field(description="the SMTP server's answer to the last attempt")
    at: str | None = Field(
        description="when it was sent; when it failed or was cancelled; if queued, when it is"
        " next tried"
    )
    created_at: str


class Notifications(BaseModel):
    items: list[NotificationView] = Field(description="newest first")
