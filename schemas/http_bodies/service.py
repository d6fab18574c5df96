"""The service's own reads: health, dead letters and its event schemas."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class HealthCheck(BaseModel):
    model_config = ConfigDict(extra="allow")  # each check adds what it knows

    ok: bool


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, HealthCheck] = Field(
        description="database, broker, inbound_consumer, outbox_relay"
    )


class DeadLetter(BaseModel):
    id: int
    received_at: str
    transport: str
    source: str | None
    event_id: str | None
    event_type: str | None = Field(None, description="the message's `type`, where readable")
    subject: str | None = Field(None, description="the message's `subject`, where readable")
    reason: str
    body: str
    replayed_at: str | None = Field(None, description="when it was put back through the queue")
    replayed_by: str | None = Field(
        None, description="the client that replayed it (none while access is off)"
    )
    replayed_body: str | None = Field(
        None, description="the corrected message sent in its place; none: sent as kept"
    )


class DeadLetters(BaseModel):
    dead_letters: list[DeadLetter]


class SchemaCatalogue(BaseModel):
    inbound: list[str] = Field(description="the event types POST /events accepts")
    schemas: dict[str, dict[str, Any]] = Field(description="event type: its JSON Schema")
