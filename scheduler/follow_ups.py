"""Follow-ups as rows: planned inside each state change's transaction, fired exactly once."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any

from scheduler import renewals
from scheduler.calendar import SchoolCalendar
from scheduler.calendars import Calendars
from scheduler.departures import carry_out_due_departures
from scheduler.follow_up_reads import FollowUpReads
from scheduler.follow_up_rows import COLUMNS as _COLUMNS
from scheduler.follow_up_rows import (
    FollowUp,
)
from scheduler.follow_up_rows import utc as _utc
from scheduler.policy import (
    DISSEMINATION_DUE,
    IMPACT_REVIEW_DUE,
    FollowUpPolicy,
    FollowUpSpec,
    RequestFacts,
    after_firing,
    on_entering,
)
from scheduler.policy_sets import follow_up_policy_of
from scheduler.recipients import Addressee, resolve
from workflow import log_context
from workflow.errors import DomainError
from workflow.model import Command, Transition
from workflow.policy import DEFAULT_POLICY_ID, PolicyLibrary
from workflow.policy.defaults import default_policy_set
from workflow.policy.policy_set import PolicySet
from workflow.store import HISTORY_REMINDER, Store, announce, append_history, outbound_id

log = logging.getLogger("cpd.follow_ups")
REMINDER_DUE = "cpd.reminder.due"
# Runs inside the transaction that fires a reminder, after it is recorded:
# (the writer's connection, the follow-up's id, the cpd.reminder.due data, the moment).
ReminderHook = Callable[[sqlite3.Connection, str, dict[str, Any], datetime], None]
_DEFAULT_SET = default_policy_set()
SCHEDULER_SOURCE = renewals.SCHEDULER_SOURCE
# Steps that leave the state as it was but end one kind of chase.
_ENDS_CHASE = {
    "cpd.request.impact_reviewed": (IMPACT_REVIEW_DUE, "impact reviewed"),
    "cpd.request.dissemination_waived": (DISSEMINATION_DUE, "dissemination waived"),
}


class FollowUps(FollowUpReads):
    def __init__(
        self,
        store: Store,
        calendars: Calendars | SchoolCalendar,
        policy: FollowUpPolicy,
        policies: PolicyLibrary | None = None,
    ) -> None:
        """`policy` governs requests under the default set; with `policies`, a request
        under another set follows that set's version's `[follow_ups]`. School days are
        counted on each school's own calendar (one SchoolCalendar: the same for all)."""
        self.store = store
        if isinstance(calendars, SchoolCalendar):
            calendars = Calendars(calendars, per_nation=False)
        self.calendars = calendars
        self.policy = policy
        self.policies = policies
        self._by_version: dict[tuple[str, int], FollowUpPolicy] = {}
        # Told (from the writer thread) of each new due time, so the waker can move up.
        self.on_scheduled: Callable[[datetime], None] = lambda _due: None
        # Work that must commit or roll back with each reminder (the mail queue).
        self.reminder_hooks: list[ReminderHook] = []

    def policy_for(self, policy_id: str, version: int) -> FollowUpPolicy:
        """The follow-up numbers of the policy-set version governing a request."""
        if self.policies is None or policy_id == DEFAULT_POLICY_ID:
            return self.policy
        key = (policy_id, version)
        if key not in self._by_version:
            self._by_version[key] = follow_up_policy_of(self.policies.version(*key))
        return self._by_version[key]

    def _policy_set(self, policy_id: str, version: int) -> PolicySet | None:
        """The set governing a request, for whom its approval reminders go to."""
        if self.policies is None:
            return _DEFAULT_SET
        try:
            return self.policies.version(policy_id, version)
        except DomainError:  # a version no longer loaded: name the usual approver
            return None

    def plan(
        self, db: sqlite3.Connection, transition: Transition, command: Command, now: datetime
    ) -> None:
        """Transaction hook: the request moved on, so what was pending is cancelled and the
        new state's follow-ups are scheduled, atomically with the state change. A step
        that leaves the state as it was only ends the chase it answers."""
        request = transition.request
        if transition.from_state == transition.to_state:
            kind, why = _ENDS_CHASE.get(command.event_type, (None, ""))
            db.execute(
                "UPDATE follow_ups SET status = 'cancelled', cancelled_at = ?, cancel_reason = ?"
                " WHERE request_id = ? AND status = 'pending' AND kind = ?",
                (_utc(now), why, request.request_id, kind),
            )
            return
        db.execute(
            "UPDATE follow_ups SET status = 'cancelled', cancelled_at = ?, cancel_reason = ?"
            " WHERE request_id = ? AND status = 'pending'",
            (_utc(now), f"request moved to {transition.to_state}", request.request_id),
        )
        submitted = request.details.get("submitted", {})
        facts = RequestFacts(
            request.request_id,
            request.state,
            request.staff_id,
            request.start_date,
            request.end_date,
            submitted.get("line_manager_id"),
            request.dissemination,
            "impact_reviewed" in request.details,
        )
        cause = f"{request.request_id}/{request.version}"
        policy = self.policy_for(request.policy_id, request.policy_version)
        calendar = self.calendars.for_school(db, request.school_id, now)
        for spec in on_entering(facts, now, calendar, policy):
            self._insert(db, request.request_id, request.school_id, spec, cause, now)

    def _insert(
        self,
        db: sqlite3.Connection,
        request_id: str,
        school_id: str,
        spec: FollowUpSpec,
        cause: str,
        now: datetime,
    ) -> None:
        ident = outbound_id("follow-up", cause, spec.kind, spec.recipient_role, str(spec.attempt))
        db.execute(
            f"INSERT INTO follow_ups ({_COLUMNS}) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, NULL, NULL, NULL, NULL)"
            " ON CONFLICT (id) DO NOTHING",
            (
                ident,
                request_id,
                school_id,
                spec.kind,
                spec.recipient_role,
                spec.recipient_staff_id,
                spec.attempt,
                _utc(spec.due_at),
                _utc(now),
            ),
        )
        self.on_scheduled(spec.due_at)

    async def fire_due(self, limit: int = 1000) -> int:
        """Fire every follow-up due by now, each in its own transaction; returns how many
        (leavers' departures that fell due count too: they are timed work of the same kind)."""
        departed = await carry_out_due_departures(self.store)
        await self.plan_renewals()
        now = self.store.clock.now()
        due = await self.due(before=now, limit=limit)
        if not due:
            return departed
        envelope = self.store.envelope

        def fire_all(db: sqlite3.Connection) -> int:
            fired = 0
            for follow_up in due:
                # On the writer's thread: the ids are set here, not inherited from the wake.
                with log_context.about(
                    request_id=follow_up.request_id, event_id=follow_up.id, event_type=REMINDER_DUE
                ):
                    db.execute("BEGIN IMMEDIATE")
                    try:
                        claimed = self._fire(db, follow_up, now, envelope)
                    except BaseException as error:
                        db.execute("ROLLBACK")
                        log.error("%s follow-up could not be fired: %r", follow_up.kind, error)
                        raise
                    db.execute("COMMIT")
                    if claimed:
                        log.debug("%s follow-up fired", follow_up.kind)
                    fired += claimed
            return fired

        fired: int = await self.store.on_writer(lambda db: fire_all(db))
        self.store.outbox_ready.set()
        return fired + departed

    def _fire(
        self,
        db: sqlite3.Connection,
        follow_up: FollowUp,
        now: datetime,
        envelope: Callable[..., dict[str, Any]],
    ) -> int:
        late = max(0, int((now - datetime.fromisoformat(follow_up.due_at)).total_seconds()))
        claimed = db.execute(
            "UPDATE follow_ups SET status = 'fired', fired_at = ?, late_by_seconds = ?"
            " WHERE id = ? AND status = 'pending'",
            (_utc(now), late, follow_up.id),
        ).rowcount
        if not claimed:  # fired or cancelled since we looked: never twice
            return 0
        request_id = follow_up.request_id
        if request_id is None:  # a renewal reminder: about a qualification, not a request
            return renewals.fire(db, follow_up, now, late, envelope, self.reminder_hooks)
        state, last_seq, policy_id, policy_version, staff_id = db.execute(
            "SELECT state, last_seq, policy_id, policy_version, staff_id FROM requests"
            " WHERE request_id = ?",
            (request_id,),
        ).fetchone()
        to = Addressee(
            follow_up.recipient_role,
            follow_up.recipient_staff_id,
            staff_id,
            follow_up.school_id,
            follow_up.kind,
            self._policy_set(policy_id, policy_version),
        )
        resolved = resolve(db, to, now)
        recipients = [r.to_data() for r in resolved.recipients]
        data = follow_up.reminder_data(request_id, recipients, late)
        db.execute(
            "UPDATE follow_ups SET recipients = ? WHERE id = ?",
            (json.dumps(recipients), follow_up.id),
        )
        db.execute(
            "UPDATE requests SET last_seq = ? WHERE request_id = ?",
            (last_seq + 1, request_id),
        )
        append_history(
            db,
            request_id=request_id,
            seq=last_seq + 1,
            at=now,
            event_id=follow_up.id,
            event_source=SCHEDULER_SOURCE,
            event_type=REMINDER_DUE,
            actor="cpd-workflow",
            from_state=state,
            to_state=state,
            data=data,
            outcome=HISTORY_REMINDER,
            reason=resolved.reason,
        )
        announce(
            db,
            envelope,
            event_id=follow_up.id,
            event_type=REMINDER_DUE,
            subject=request_id,
            data=data,
            at=now,
        )
        for hook in self.reminder_hooks:
            hook(db, follow_up.id, data, now)
        cause = f"{follow_up.id}/next"
        policy = self.policy_for(policy_id, policy_version)
        calendar = self.calendars.for_school(db, follow_up.school_id, now)
        for spec in after_firing(follow_up.spec(), now, calendar, policy):
            self._insert(db, request_id, follow_up.school_id, spec, cause, now)
        return 1

    async def plan_renewals(self) -> int:
        """Plan the renewal reminders of every person's kind marked since the last look, a
        batch per transaction (scheduler/renewals.py); returns how many kinds."""
        now, planned = self.store.clock.now(), 0
        if not await self.store.on_writer(renewals.any_marked):
            return 0  # the usual case: no writer transaction at every wake

        def batch(db: sqlite3.Connection) -> int:
            return renewals.plan_marked(
                db, now, self.calendars.for_school, self._policy_of_school, self.on_scheduled
            )

        while done := await self.store.transaction(batch):
            planned += done
        return planned

    def _policy_of_school(
        self, db: sqlite3.Connection, school_id: str, now: datetime
    ) -> FollowUpPolicy:
        try:
            current = self.store.governance.for_new_request(db, school_id, now)
        except DomainError:  # no version in force: the service's own numbers
            return self.policy
        return self.policy_for(current.id, current.version)
