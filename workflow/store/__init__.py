"""Durable persistence of requests, history, inbox and outbox in one SQLite file."""

from workflow.store._rows import read_request
from workflow.store._tracking import Position, Tracked
from workflow.store._writes import announce, append_history, enqueue_outbound, outbound_id
from workflow.store.outcomes import (
    APPLIED,
    HISTORY_APPLIED,
    HISTORY_REFUSED,
    HISTORY_REMINDER,
    QUEUED,
    REJECTED,
    EventStatus,
    HistoryEntry,
    OutboxMessage,
    Outcome,
)
from workflow.store.policies import Governance, PolicyIdForSchool, no_school_policy
from workflow.store.store import EVENT_REJECTED, STATE_CHANGED, Store, TransactionHook

__all__ = [
    "APPLIED",
    "EVENT_REJECTED",
    "HISTORY_APPLIED",
    "HISTORY_REFUSED",
    "HISTORY_REMINDER",
    "QUEUED",
    "REJECTED",
    "STATE_CHANGED",
    "EventStatus",
    "Governance",
    "HistoryEntry",
    "OutboxMessage",
    "Outcome",
    "PolicyIdForSchool",
    "Position",
    "Store",
    "Tracked",
    "TransactionHook",
    "announce",
    "append_history",
    "enqueue_outbound",
    "no_school_policy",
    "outbound_id",
    "read_request",
]
