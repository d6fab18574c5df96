"""What the store reports back: the fate of an event, history rows and outbox rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workflow.model import CpdRequest

QUEUED = "queued"
APPLIED = "applied"
REJECTED = "rejected"


@dataclass(frozen=True)
class EventStatus:
    source: str
    event_id: str
    event_type: str | None
    request_id: str | None
    status: str
    reason: str | None = None
    code: str | None = None
    received_at: str | None = None
    processed_at: str | None = None


@dataclass(frozen=True)
class Outcome:
    status: EventStatus
    request: CpdRequest | None
    duplicate: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    at: str
    event_id: str
    event_source: str
    event_type: str
    actor: str
    from_state: str | None
    to_state: str
    data: dict[str, Any]


@dataclass(frozen=True)
class OutboxMessage:
    seq: int
    event_id: str
    event_type: str
    body: str
