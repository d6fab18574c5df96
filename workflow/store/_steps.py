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

from schemas import CLIENT_EXTENSION
from workflow.authorisation.rules import Permit
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
    permit: Permit | None = None,
) -> None:
    """The inbound event's own step. One that leaves the state as it was (an impact
    review, a waiver) is in history but announces no state change. A delegate's step
    names, in its entry, the person it was taken for."""
    request = transition.request
    on_behalf_of = permit.on_behalf_of if permit is not None else None
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
        reason=_delegation_reason(on_behalf_of, permit),
        on_behalf_of=on_behalf_of,
        client=client_of(event),
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
        client=client_of(event),
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


def _delegation_reason(on_behalf_of: str | None, permit: Permit | None) -> str | None:
    if on_behalf_of is None or permit is None:
        return None
    return f"on behalf of {on_behalf_of} (delegation, rule {permit.rule})"


def client_of(event: Any) -> str | None:
    """The client that sent the event: set by the HTTP edge from its credentials, or as
    carried by a broker message (the broker decides who may publish)."""
    client = getattr(event, CLIENT_EXTENSION, None)
    return None if client is None else str(client)


def _cause(event: Any) -> dict[str, str]:
    return {"id": event.id, "source": event.source, "type": event.type}
