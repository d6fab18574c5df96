"""Writing one step of a request: its history entry and its `cpd.request.state_changed`.

A step is an applied event, or a step the request's policy passed on its own (actor
`policy`, with the rule as its reason); a refused attempt is written into history too,
with the state unchanged, so the audit shows attempts as well as decisions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from workflow.governance import POLICY_ACTOR, PolicyStep
from workflow.model import Command, CpdRequest, Transition
from workflow.store._writes import announce, append_history, outbound_id
from workflow.store.outcomes import HISTORY_REFUSED

STATE_CHANGED = "cpd.request.state_changed"
POLICY_SOURCE = "cpd-workflow/policy"

OutboundBuilder = Callable[..., dict[str, Any]]


def write_applied(
    db: sqlite3.Connection,
    envelope: OutboundBuilder,
    event: Any,
    command: Command,
    transition: Transition,
    seq: int,
    now: datetime,
) -> None:
    """The inbound event's own step. One that leaves the state as it was (an impact
    review, a waiver) is in history but announces no state change."""
    request = transition.request
    append_history(
        db,
        request_id=request.request_id,
        seq=seq,
        at=now,
        event_id=event.id,
        event_source=event.source,
        event_type=event.type,
        actor=command.actor,
        from_state=transition.from_state,
        to_state=transition.to_state,
        data=command.data,
    )
    if transition.from_state != transition.to_state:
        ident = outbound_id("state_changed", event.source, event.id)
        _announce(db, envelope, ident, event, transition, seq, command.actor, None, now)


def write_policy_step(
    db: sqlite3.Connection,
    envelope: OutboundBuilder,
    event: Any,
    passed: PolicyStep,
    seq: int,
    now: datetime,
) -> None:
    """A step passed by the policy: its own entry and its own state change, whose ids are
    derived from the event that led to it, so a re-processed event repeats them exactly."""
    transition = passed.transition
    ident = outbound_id("state_changed", event.source, event.id, passed.step)
    append_history(
        db,
        request_id=transition.request.request_id,
        seq=seq,
        at=now,
        event_id=ident,
        event_source=POLICY_SOURCE,
        event_type=passed.event_type,
        actor=POLICY_ACTOR,
        from_state=transition.from_state,
        to_state=transition.to_state,
        data={**passed.record, "cause": _cause(event)},
        reason=passed.reason,
    )
    _announce(db, envelope, ident, event, transition, seq, POLICY_ACTOR, passed.reason, now)


def write_refused(
    db: sqlite3.Connection,
    event: Any,
    command: Command,
    current: CpdRequest,
    seq: int,
    reason: str,
    now: datetime,
) -> None:
    """An attempt refused on an existing request: in its history, the state unchanged."""
    db.execute("UPDATE requests SET last_seq = ? WHERE request_id = ?", (seq, current.request_id))
    append_history(
        db,
        request_id=current.request_id,
        seq=seq,
        at=now,
        event_id=event.id,
        event_source=event.source,
        event_type=event.type,
        actor=command.actor,
        from_state=current.state,
        to_state=current.state,
        data=command.data,
        outcome=HISTORY_REFUSED,
        reason=reason,
    )


def _announce(
    db: sqlite3.Connection,
    envelope: OutboundBuilder,
    ident: str,
    event: Any,
    transition: Transition,
    seq: int,
    actor: str,
    reason: str | None,
    now: datetime,
) -> None:
    request = transition.request
    data: dict[str, Any] = {
        "request_id": request.request_id,
        "school_id": request.school_id,
        "staff_id": request.staff_id,
        "from_state": transition.from_state,
        "to_state": transition.to_state,
        "version": request.version,
        "seq": seq,
        "cause": _cause(event),
        "actor": actor,
    }
    if reason is not None:
        data["reason"] = reason
    announce(
        db,
        envelope,
        event_id=ident,
        event_type=STATE_CHANGED,
        subject=request.request_id,
        data=data,
        at=now,
    )


def _cause(event: Any) -> dict[str, str]:
    return {"id": event.id, "source": event.source, "type": event.type}
