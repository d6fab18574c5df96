"""How one directory event is applied inside the event's transaction (the writer thread).

The store hands every event whose type is a directory type here instead of to the request
engine; the inbox (idempotency by source + id), the tracked broker position and the outbox
work exactly as for request events. A refusal is recorded and announced like any other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from schemas.directory import (
    APPROVAL_DELEGATED,
    DELEGATION_REVOKED,
    DIRECTORY_DATA,
    SCHOOL_UPSERTED,
    STAFF_LEFT,
    STAFF_UPSERTED,
)
from workflow.authorisation.rules import NotAuthorised, UnknownActor
from workflow.directory import queries, rules
from workflow.directory import store as rows
from workflow.directory.leavers import cancel_departures, record_departure
from workflow.directory.records import Delegation, School
from workflow.errors import DomainError
from workflow.policy.defaults import DEFAULT_POLICY_ID
from workflow.policy.vocabulary import Role
from workflow.repayment.resignation import claim_repayments
from workflow.store import _events, _reads
from workflow.store._events import OutboundBuilder, TransactionHook
from workflow.store.audit_events import DIRECTORY_KIND, record_event
from workflow.store.outcomes import APPLIED, Outcome
from workflow.store.policies import Governance

DIRECTORY_EVENT_TYPES = frozenset(DIRECTORY_DATA)


def _default_policy_ids() -> Iterable[str]:
    return (DEFAULT_POLICY_ID,)


def _no_term_dates_directory() -> Collection[str] | None:
    return None


@dataclass
class DirectorySettings:
    """What the directory needs from outside the store. `policy_ids` names the policy sets
    loaded now (the service passes its PolicyLibrary's); by default only `default`."""

    policy_ids: Callable[[], Iterable[str]] = field(default=_default_policy_ids)
    # The files of CPD_TERM_DATES_DIR a school may name as term_dates (None: not set).
    term_dates: Callable[[], Collection[str] | None] = field(default=_no_term_dates_directory)
    # The policy-set versions governing requests, for the withdrawals of a leaver.
    governance: Governance | None = None


@dataclass(frozen=True)
class _Context:
    db: sqlite3.Connection
    event: Any
    data: Mapping[str, Any]
    cause: rows.Cause
    now: datetime
    envelope: OutboundBuilder
    hooks: Sequence[TransactionHook]
    settings: DirectorySettings


def is_directory_event(event_type: str) -> bool:
    return event_type in DIRECTORY_EVENT_TYPES


def apply_directory_event(
    db: sqlite3.Connection,
    event: Any,
    now: datetime,
    envelope: OutboundBuilder,
    hooks: Sequence[TransactionHook],
    settings: DirectorySettings,
) -> Outcome:
    """Apply one directory event inside the caller's transaction: exactly once."""
    done = _reads.processed_status_sync(db, event.source, event.id)
    if done is not None:
        return Outcome(done, None, duplicate=True)
    cause = rows.Cause(event.source, event.id, event.actor)
    context = _Context(db, event, event.data, cause, now, envelope, hooks, settings)
    try:
        _APPLIERS[event.type](context)
    except DomainError as error:
        status = _events._reject(
            db, envelope, event, error.reason, error.code, now, kind=DIRECTORY_KIND
        )
        return Outcome(status, None)
    # After its consequences (a leaver's withdrawals are entries of their requests).
    record_event(db, event, now, DIRECTORY_KIND)
    _events._mark(db, event, APPLIED, None, None, now)
    return Outcome(_events._status(event, APPLIED, now), None)


def _staff_upserted(c: _Context) -> None:
    rules.check_subject(c.event.subject, c.data["staff_id"], "staff_id")
    previous = rows.latest_staff(c.db, c.data["staff_id"])
    member = rules.upserted(previous, c.data, c.now)
    if previous is not None and rules.rehired(previous, member):
        cancel_departures(c.db, member.staff_id, c.now, "rehired")
    rows.save_staff(c.db, member, c.cause)


def _staff_left(c: _Context) -> None:
    rules.check_subject(c.event.subject, c.data["staff_id"], "staff_id")
    leaver = rules.leaving(rows.latest_staff(c.db, c.data["staff_id"]), c.data, c.now)
    rows.save_staff(c.db, leaver, c.cause)
    cause = (c.cause.source, c.cause.event_id)
    governance = c.settings.governance
    record_departure(c.db, leaver, cause, c.now, c.envelope, c.hooks, governance)
    # A resignation's claims for training the school paid for: in this same transaction.
    claim_repayments(c.db, leaver, cause, c.now, c.envelope, governance)


def _school_upserted(c: _Context) -> None:
    rules.check_subject(c.event.subject, c.data["school_id"], "school_id")
    rules.check_policy(c.data.get("policy_id"), c.settings.policy_ids())
    rules.check_term_dates(c.data.get("term_dates"), c.settings.term_dates())
    school = School(
        school_id=c.data["school_id"],
        name=c.data["name"],
        valid_from=c.now,
        policy_id=c.data.get("policy_id"),
        trust_id=c.data.get("trust_id"),
        nation=c.data.get("nation"),
        term_dates=c.data.get("term_dates"),
    )
    rows.save_school(c.db, school, c.cause)


def _approval_delegated(c: _Context) -> None:
    rules.check_subject(c.event.subject, c.data["from_staff_id"], "delegator (from_staff_id)")
    for who in ("from_staff_id", "to_staff_id"):
        if rows.latest_staff(c.db, c.data[who]) is None:
            raise rules.UnknownStaff(f"{who} '{c.data[who]}' is not in the directory")
    _check_delegating(c)
    delegation = Delegation(
        from_staff_id=c.data["from_staff_id"],
        to_staff_id=c.data["to_staff_id"],
        step=c.data["step"],
        starts=date.fromisoformat(c.data["from"]),
        ends=date.fromisoformat(c.data["until"]),
        granted_at=c.now,
    )
    rows.save_delegation(c.db, delegation, c.cause)


def _check_delegating(c: _Context) -> None:
    """A delegation is posted by the delegator or a CPD lead of the delegator's school; unlike
    HR's own events, its actor is a person, so it is looked up."""
    actor, delegator = c.event.actor, c.data["from_staff_id"]
    if queries.acting_member(c.db, actor, c.now) is None:
        raise UnknownActor(f"'{actor}' is not in the staff directory, or has left")
    if actor == delegator:
        return
    member = rows.latest_staff(c.db, delegator)
    school_id = member.school_id if member is not None else ""
    if Role.CPD_LEAD not in queries.roles_for_school(c.db, actor, school_id, c.now):
        raise NotAuthorised(
            f"'{actor}' may not delegate {delegator}'s {c.data['step']} approval: it needs"
            f" {delegator} themselves or a cpd lead of their school (rule who_may.delegate)"
        )


def _delegation_revoked(c: _Context) -> None:
    step = c.data.get("step")
    ended = rows.revoke_delegations(c.db, c.event.subject, c.data["to_staff_id"], step, c.now)
    if not ended:
        raise rules.DirectoryRefusal(
            f"{c.event.subject} has no delegation{f' of the {step} step' if step else ''}"
            f" to {c.data['to_staff_id']} to revoke"
        )


_APPLIERS: dict[str, Callable[[_Context], None]] = {
    STAFF_UPSERTED: _staff_upserted,
    STAFF_LEFT: _staff_left,
    SCHOOL_UPSERTED: _school_upserted,
    APPROVAL_DELEGATED: _approval_delegated,
    DELEGATION_REVOKED: _delegation_revoked,
}
