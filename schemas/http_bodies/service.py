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
    reason: str
    body: str


class DeadLetters(BaseModel):
    dead_letters: list[DeadLetter]


class SchemaCatalogue(BaseModel):
    inbound: list[str] = Field(description="the event types POST /events accepts")
    schemas: dict[str, dict[str, Any]] = Field(description="event type: its JSON Schema")
