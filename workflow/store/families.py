"""Event families applied beside the request machine: budgets, sessions, qualifications...

Each family is a set of event types and one function that applies an event inside its
transaction (plain sqlite3 on the writer thread, no awaits) and raises a DomainError to
refuse it. Exactly-once by the inbox, the refusal recorded and announced as
`cpd.event.rejected`, and the tracked broker position are shared with every other event,
so a family only says what its events mean. Each applied event is one entry of the
audit chain (kind: the family's name), written after the family's own rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workflow.errors import DomainError
from workflow.store import _events, _reads
from workflow.store._events import OutboundBuilder, TransactionHook
from workflow.store.audit_events import record_event
from workflow.store.outcomes import APPLIED, Outcome
from workflow.store.policies import Governance


@dataclass(frozen=True)
class FamilyEvent:
    """What an applier gets: the event, its transaction, and the service's seams."""

    db: sqlite3.Connection
    event: Any  # the parsed CloudEvent: .type, .subject, .actor, .data, .source, .id
    now: datetime
    envelope: OutboundBuilder  # to announce outbound events (workflow.store._writes.announce)
    governance: Governance  # the policy set of a school or request
    hooks: Sequence[TransactionHook]

    @property
    def data(self) -> Mapping[str, Any]:
        return self.event.data  # type: ignore[no-any-return]


def no_hooks(_governance: Governance) -> Sequence[TransactionHook]:
    return ()


@dataclass(frozen=True)
class Family:
    name: str
    types: frozenset[str]
    apply: Callable[[FamilyEvent], None]
    # Transaction hooks the family adds to every store, made with the store's governance:
    # run after each applied request event, in its transaction (e.g. the budget ledger).
    hooks: Callable[[Governance], Sequence[TransactionHook]] = no_hooks


def apply_family_event(
    family: Family,
    db: sqlite3.Connection,
    event: Any,
    now: datetime,
    envelope: OutboundBuilder,
    governance: Governance,
    hooks: Sequence[TransactionHook],
) -> Outcome:
    done = _reads.processed_status_sync(db, event.source, event.id)
    if done is not None:
        return Outcome(done, None, duplicate=True)
    try:
        family.apply(FamilyEvent(db, event, now, envelope, governance, hooks))
    except DomainError as error:
        status = _events._reject(
            db, envelope, event, error.reason, error.code, now, kind=family.name
        )
        return Outcome(status, None)
    record_event(db, event, now, family.name)
    _events._mark(db, event, APPLIED, None, None, now)
    return Outcome(_events._status(event, APPLIED, now), None)


def family_of(families: Sequence[Family], event_type: str) -> Family | None:
    return next((f for f in families if event_type in f.types), None)
