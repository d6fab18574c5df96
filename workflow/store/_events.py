"""How one inbound event is applied inside a write transaction.

Runs on the writer thread: plain sqlite3, no awaits, so a transaction is one hop.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from workflow.authorisation.rules import Permit, UnknownActor, authorise
from workflow.budgets.ledger import standing_for_approval
from workflow.errors import DomainError
from workflow.governance import POLICY_ACTOR, passed_by_policy
from workflow.model import SUBMITTED, Command, CpdRequest, Transition, apply
from workflow.policy import PolicySet
from workflow.store import _reads
from workflow.store._rows import REQUEST_COLUMNS, request_from_row, request_to_row
from workflow.store._steps import (
    STATE_CHANGED,
    OutboundBuilder,
    write_applied,
    write_policy_step,
    write_refused,
)
from workflow.store._writes import REQUEST_KIND, announce, outbound_id
from workflow.store.audit_events import record_event
from workflow.store.outcomes import APPLIED, REJECTED, EventStatus, Outcome
from workflow.store.policies import Governance

EVENT_REJECTED = "cpd.event.rejected"
# The names the service acts under itself; never taken from an inbound event's actor.
SERVICE_ACTOR = "cpd-workflow"
SERVICE_ACTORS = frozenset({SERVICE_ACTOR, POLICY_ACTOR})
__all__ = ["EVENT_REJECTED", "STATE_CHANGED", "OutboundBuilder", "TransactionHook", "apply_event"]

# Runs inside the event's transaction after its state change, once per applied event:
# the transition runs from the state before the event to the state after it and any
# steps the policy passed with it (follow-ups hook in here).
TransactionHook = Callable[[sqlite3.Connection, Transition, Command, datetime], None]

# An upsert, not INSERT OR REPLACE: replacing deletes the row its history refers to.
_COLUMN_NAMES = [c.strip() for c in REQUEST_COLUMNS.split(",")]
_UPSERT_REQUEST = (
    f"INSERT INTO requests ({REQUEST_COLUMNS}) VALUES ({', '.join('?' * len(_COLUMN_NAMES))})"
    " ON CONFLICT (request_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _COLUMN_NAMES if c != "request_id")
)


def apply_event(
    db: sqlite3.Connection,
    event: Any,
    command: Command,
    now: datetime,
    envelope: OutboundBuilder,
    hooks: Sequence[TransactionHook],
    governance: Governance | None = None,
    *,
    by_service: bool = False,
) -> Outcome:
    """Apply one event inside the caller's transaction: exactly once, per its inbox row.

    `by_service`: the service takes this step itself (a leaver's withdrawal), so nobody's
    role is checked; an event from outside is always checked against the directory."""
    done = _reads.processed_status_sync(db, event.source, event.id)
    if done is not None:
        return Outcome(done, None, duplicate=True)
    governance = governance or Governance()
    current, last_seq = _load(db, command.request_id)
    try:
        policy = _governing(db, governance, current, command, now)
        permit = None if by_service else _authorised(db, command, current, policy, now)
        budget = standing_for_approval(db, current, command, policy)
        transition = apply(current, command, now, policy, budget=budget)
        passed = passed_by_policy(transition.request, policy, now)
    except DomainError as error:
        if current is not None:
            write_refused(db, event, command, current, last_seq + 1, error.reason, now)
        status = _reject(
            db, envelope, event, error.reason, error.code, now, in_history=current is not None
        )
        return Outcome(status, current)
    final = passed[-1].transition.request if passed else transition.request
    # The row first: history refers to it. One entry for the event, one per passed step.
    db.execute(_UPSERT_REQUEST, request_to_row(final, last_seq + 1 + len(passed)))
    write_applied(db, envelope, event, command, transition, last_seq + 1, now, permit)
    for seq, step in enumerate(passed, start=last_seq + 2):
        write_policy_step(db, envelope, event, step, seq, now)
    _mark(db, event, APPLIED, None, None, now)
    whole = Transition(final, transition.from_state, final.state)
    for hook in hooks:
        hook(db, whole, command, now)
    return Outcome(_status(event, APPLIED, now), final)


def _governing(
    db: sqlite3.Connection,
    governance: Governance,
    current: CpdRequest | None,
    command: Command,
    now: datetime,
) -> PolicySet:
    """The version the request was submitted under; for a new one, its school's now."""
    if current is not None:
        return governance.for_request(current)
    if command.event_type == SUBMITTED:
        return governance.for_new_request(db, str(command.data["school_id"]), now)
    return governance.library.default  # unknown request: apply() refuses it


def _authorised(
    db: sqlite3.Connection,
    command: Command,
    current: CpdRequest | None,
    policy: PolicySet,
    now: datetime,
) -> Permit | None:
    """Who may take the step, judged by the directory as it stands `now`; raises the refusal.
    An event for an unknown request is left to `apply`, which refuses it as today."""
    # Imported here: the directory's own event handling imports this module.
    from workflow.authorisation.standing import read_standing, step_of

    if current is None and command.event_type != SUBMITTED:
        return None
    if command.actor in SERVICE_ACTORS:
        raise UnknownActor(
            f"'{command.actor}' is the service's own name: an event from outside cannot act as it"
        )
    standing, parties = read_standing(db, command, current, now)
    return authorise(step_of(command.event_type), standing, parties, policy, command.actor)


def _reject(
    db: sqlite3.Connection,
    envelope: OutboundBuilder,
    event: Any,
    reason: str,
    code: str,
    now: datetime,
    *,
    kind: str = REQUEST_KIND,
    in_history: bool = False,
) -> EventStatus:
    """Refused: marked so, announced, and entered in the audit chain (unless its request's
    history already holds the attempt). `kind`: the audit kind, as the event's area."""
    _mark(db, event, REJECTED, reason, code, now)
    if not in_history:
        record_event(db, event, now, kind, refused=reason)
    data = {
        "event_id": event.id,
        "event_source": event.source,
        "event_type": event.type,
        "request_id": event.subject,
        "reason": reason,
        "code": code,
    }
    ident = outbound_id("rejected", event.source, event.id)
    announce(
        db,
        envelope,
        event_id=ident,
        event_type=EVENT_REJECTED,
        subject=event.subject,
        data=data,
        at=now,
    )
    return _status(event, REJECTED, now, reason, code)


def _load(db: sqlite3.Connection, request_id: str) -> tuple[CpdRequest | None, int]:
    row = db.execute(
        f"SELECT {REQUEST_COLUMNS} FROM requests WHERE request_id = ?", (request_id,)
    ).fetchone()
    return request_from_row(row) if row else (None, 0)


def _mark(
    db: sqlite3.Connection,
    event: Any,
    status: str,
    reason: str | None,
    code: str | None,
    now: datetime,
) -> None:
    stamp = now.isoformat()
    db.execute(
        "INSERT INTO inbox (source, event_id, event_type, request_id, status, reason, code,"
        " received_at, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (source, event_id) DO UPDATE SET status = excluded.status,"
        " reason = excluded.reason, code = excluded.code, processed_at = excluded.processed_at",
        (event.source, event.id, event.type, event.subject, status, reason, code, stamp, stamp),
    )


def _status(
    event: Any, status: str, now: datetime, reason: str | None = None, code: str | None = None
) -> EventStatus:
    return EventStatus(
        event.source,
        event.id,
        event.type,
        event.subject,
        status,
        reason,
        code,
        processed_at=now.isoformat(),
    )
