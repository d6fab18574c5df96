"""Renewal reminders: statutory training about to run out, in a schedule of its own.

For the qualification a person's standing in a kind rests on, the holder and their
school's CPD lead are reminded 90 and 30 days before its last valid day and on the day
after it, the first day it is no longer valid (follow-up kind `renewal_due`), at the
morning reminder time of a school day. They belong
to the qualification, not to a request, so nothing a request does cancels them; a newer
qualification of the same kind (a completed renewal) does, and a leaver is not chased.

Planned from the `qualifications` table: writing a qualification marks its person's kind
(`renewals_planned_at` NULL) and the waker plans every marked kind before it fires what
is due, each in its own transaction, so a plan is never lost or made twice. Firing checks
again that the reminder's qualification is still the current one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from scheduler.calendar import SchoolCalendar
from scheduler.follow_up_rows import FollowUp, utc
from scheduler.policy import (
    CPD_LEAD,
    PARTICIPANT,
    RENEWAL_DUE,
    FollowUpPolicy,
    in_school_hours,
    school_morning_by,
    school_morning_from,
)
from scheduler.recipients import Addressee, resolve
from workflow.compliance import Qualification, current
from workflow.directory import acting_member
from workflow.store import HISTORY_REMINDER as REMINDER
from workflow.store import announce, audit, outbound_id

REMINDER_DUE = "cpd.reminder.due"
SCHEDULER_SOURCE, SERVICE_ACTOR = "cpd-workflow/scheduler", "cpd-workflow"
# A renewal reminder is about a qualification, not a request: its audit entry is of the
# qualifications' kind, about the holder (recipients are found by their staff_id too).
AUDIT_KIND = "qualifications"
# Days before the last valid day; -1 is the day after it, when the training has expired.
DAYS_BEFORE = (90, 30, -1)
_PLAN_BATCH = 500
# (the writer's connection, a school, the moment) -> the follow-up numbers it goes by.
PolicyOfSchool = Callable[[sqlite3.Connection, str, datetime], FollowUpPolicy]
CalendarOfSchool = Callable[[sqlite3.Connection, str, datetime], SchoolCalendar]
ReminderHook = Callable[[sqlite3.Connection, str, dict[str, Any], datetime], None]


def reminders_for(
    last_valid_day: date, now: datetime, calendar: SchoolCalendar, p: FollowUpPolicy
) -> list[tuple[int, datetime]]:
    """(attempt, due) of each reminder still to send: those ahead, and of those already
    passed (training recorded late) only the latest, due now rather than never. A warning
    that falls in a holiday comes on the last school day before it; the one on expiry, on
    the first school day after."""
    dues = []
    for attempt, before in enumerate(DAYS_BEFORE, start=1):
        day = last_valid_day - timedelta(days=before)
        on = school_morning_by if before >= 0 else school_morning_from
        dues.append((attempt, on(day, calendar, p)))
    passed = [(attempt, due) for attempt, due in dues if due <= now]
    ahead = [(attempt, due) for attempt, due in dues if due > now]
    late = [(passed[-1][0], in_school_hours(now, calendar, p))] if passed else []
    return late + ahead


def any_marked(db: sqlite3.Connection) -> bool:
    found = db.execute(
        "SELECT 1 FROM qualifications WHERE renewals_planned_at IS NULL LIMIT 1"
    ).fetchone()
    return found is not None


def plan_marked(
    db: sqlite3.Connection,
    now: datetime,
    calendar_of_school: CalendarOfSchool,
    policy_of_school: PolicyOfSchool,
    on_scheduled: Callable[[datetime], None],
) -> int:
    """Plan up to a batch of marked kinds, inside the caller's transaction; how many."""
    marked = db.execute(
        "SELECT DISTINCT staff_id, kind FROM qualifications WHERE renewals_planned_at IS NULL"
        " ORDER BY staff_id, kind LIMIT ?",
        (_PLAN_BATCH,),
    ).fetchall()
    for staff_id, kind in marked:
        held = current(db, staff_id, kind)
        _cancel_others(db, staff_id, kind, held, now)
        person = acting_member(db, staff_id, now)
        if held is not None and person is not None:
            policy = policy_of_school(db, person.school_id, now)
            calendar = calendar_of_school(db, person.school_id, now)
            for attempt, due in reminders_for(held.valid_until, now, calendar, policy):
                for role in (PARTICIPANT, CPD_LEAD):
                    _insert(db, held, person.school_id, role, attempt, due, now)
                on_scheduled(due)
        db.execute(
            "UPDATE qualifications SET renewals_planned_at = ? WHERE staff_id = ? AND kind = ?"
            " AND renewals_planned_at IS NULL",
            (utc(now), staff_id, kind),
        )
    return len(marked)


def fire(
    db: sqlite3.Connection,
    follow_up: FollowUp,
    now: datetime,
    late: int,
    envelope: Callable[..., dict[str, Any]],
    hooks: Sequence[ReminderHook],
) -> int:
    """Send one claimed renewal reminder (already marked fired), or cancel it if its
    qualification was renewed or withdrawn meanwhile, or its holder has left."""
    staff_id, kind, until = db.execute(
        "SELECT staff_id, kind, valid_until FROM qualifications WHERE qualification_id = ?",
        (follow_up.qualification_id,),
    ).fetchone()
    held = current(db, staff_id, kind)
    person = acting_member(db, staff_id, now)
    if held is None or held.qualification_id != follow_up.qualification_id or person is None:
        why = "left the school" if person is None else "renewed"
        _cancel(db, "id = ?", [follow_up.id], why, now)
        return 0
    to = Addressee(
        follow_up.recipient_role, follow_up.recipient_staff_id, staff_id, person.school_id
    )
    resolved = resolve(db, to, now)
    recipients = [r.to_data() for r in resolved.recipients]
    data = {
        **follow_up.reminder_data(None, recipients, late),
        "staff_id": staff_id,
        "statutory_kind": kind,
        "valid_until": until,
        "qualification_id": follow_up.qualification_id,
    }
    db.execute(
        "UPDATE follow_ups SET recipients = ?, school_id = ? WHERE id = ?",
        (json.dumps(recipients), person.school_id, follow_up.id),
    )
    audit.append(
        db, at=now, kind=AUDIT_KIND, event_type=REMINDER_DUE, event_id=follow_up.id,
        event_source=SCHEDULER_SOURCE, actor=SERVICE_ACTOR, data=data, outcome=REMINDER,
        staff_id=staff_id, school_id=person.school_id, reason=resolved.reason,
    )  # fmt: skip
    announce(
        db, envelope, event_id=follow_up.id, event_type=REMINDER_DUE, subject=staff_id,
        data=data, at=now,
    )  # fmt: skip
    for hook in hooks:
        hook(db, follow_up.id, data, now)
    return 1


def _insert(
    db: sqlite3.Connection,
    held: Qualification,
    school_id: str,
    role: str,
    attempt: int,
    due: datetime,
    now: datetime,
) -> None:
    """One reminder; planned again after being cancelled (a renewal later withdrawn), it is
    pending once more, but one already sent is never sent again."""
    ident = outbound_id("renewal", held.qualification_id, role, str(attempt))
    staff_id = held.staff_id if role == PARTICIPANT else None
    db.execute(
        "INSERT INTO follow_ups (id, request_id, qualification_id, school_id, kind,"
        " recipient_role, recipient_staff_id, attempt, due_at, status, created_at)"
        " VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (id) DO UPDATE SET"
        " status = 'pending', due_at = excluded.due_at, cancelled_at = NULL,"
        " cancel_reason = NULL WHERE follow_ups.status = 'cancelled'",
        (
            ident,
            held.qualification_id,
            school_id,
            RENEWAL_DUE,
            role,
            staff_id,
            attempt,
            utc(due),
            utc(now),
        ),
    )


def _cancel_others(
    db: sqlite3.Connection, staff_id: str, kind: str, held: Qualification | None, now: datetime
) -> None:
    """A person's kind is chased for its current qualification only."""
    keep = held.qualification_id if held is not None else ""
    why = "renewed" if held is not None else "withdrawn"
    _cancel(
        db,
        "status = 'pending' AND qualification_id IN (SELECT qualification_id FROM"
        " qualifications WHERE staff_id = ? AND kind = ? AND qualification_id != ?)",
        [staff_id, kind, keep],
        why,
        now,
    )


def _cancel(db: sqlite3.Connection, where: str, args: list[str], why: str, now: datetime) -> None:
    """`where`: which renewal reminders (a claimed one is un-fired: it was never sent)."""
    db.execute(
        "UPDATE follow_ups SET status = 'cancelled', fired_at = NULL, late_by_seconds = NULL,"
        f" cancelled_at = ?, cancel_reason = ? WHERE kind = ? AND {where}",
        [utc(now), why, RENEWAL_DUE, *args],
    )
