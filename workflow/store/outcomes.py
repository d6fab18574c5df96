"""What the store reports back: the fate of an event, history rows and outbox rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workflow.model import CpdRequest

QUEUED = "queued"
APPLIED = "applied"
REJECTED = "rejected"

# A history entry's outcome: a step taken, an attempt refused, or a reminder sent.
HISTORY_APPLIED = "applied"
HISTORY_REFUSED = "refused"
HISTORY_REMINDER = "reminder"


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
    outcome: str = HISTORY_APPLIED
    reason: str | None = None  # why it was refused, or the rule that passed a step
    on_behalf_of: str | None = None  # the approver a delegate took the step for
    client: str | None = None  # the client system that sent the event, when known


@dataclass(frozen=True)
class OutboxMessage:
    seq: int
    event_id: str
    event_type: str
    body: str
