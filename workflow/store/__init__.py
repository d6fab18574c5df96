"""Durable persistence of requests, history, inbox and outbox in one SQLite file."""

from workflow.store._tracking import Position, Tracked
from workflow.store._writes import announce, append_history, enqueue_outbound, outbound_id
from workflow.store.outcomes import (
    APPLIED,
    QUEUED,
    REJECTED,
    EventStatus,
    HistoryEntry,
    OutboxMessage,
    Outcome,
)
from workflow.store.store import EVENT_REJECTED, STATE_CHANGED, Store, TransactionHook

__all__ = [
    "APPLIED",
    "EVENT_REJECTED",
    "QUEUED",
    "REJECTED",
    "STATE_CHANGED",
    "EventStatus",
    "HistoryEntry",
    "OutboxMessage",
    "Outcome",
    "Position",
    "Store",
    "Tracked",
    "TransactionHook",
    "announce",
    "append_history",
    "enqueue_outbound",
    "outbound_id",
]
