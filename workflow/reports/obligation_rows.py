"""Readers: the school's obligations over a period. Statutory training as it stood on the
period's last day (or today, if that is still to come); CPD agreed in the appraisal cycle
of the period's academic year and whether the school had provided it by then; in-house
sessions held in the period."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from workflow.compliance.validity import Status, status_on
from workflow.directory import StaffMember
from workflow.errors import DomainError
from workflow.model import local_today
from workflow.reports.periods import Period
from workflow.store.policies import Governance


@dataclass(frozen=True)
class KindStanding:
    kind: str
    counts: dict[Status, int]  # people who must hold it, by where they stand


@dataclass(frozen=True)
class AgreedItem:
    agreed_item_id: str
    staff_id: str
    description: str
    agreed_on: date
    provided: bool


@dataclass(frozen=True)
class SessionRow:
    session_id: str
    kind: str  # inset, staff_meeting, coaching, network, training, other
    hours: Decimal
    attendees: int


def judged_at(governance: Governance, period: Period, now: datetime) -> datetime:
    """The moment obligations are judged at: the end of the period's last day at the
    school, or now if that is still to come."""
    zone = ZoneInfo(governance.library.default.follow_ups.timezone)
    end = datetime.combine(period.last, time.max, zone)
    return min(now, end)


def statutory_standing(
    db: sqlite3.Connection,
    governance: Governance,
    school_id: str,
    at: datetime,
    people: list[StaffMember],
) -> list[KindStanding]:
    """`people`: the school's people at `at` (directory.members_of)."""
    try:
        policy = governance.for_new_request(db, school_id, at)
    except DomainError:  # no set in force: the shipped default's statutory kinds
        policy = governance.library.default
    today = local_today(policy, at)
    held = _last_valid_days(db, school_id, today)
    counts: dict[str, Counter[Status]] = {}
    for person in people:
        for kind in {k for role in person.roles for k in policy.statutory_training_for(role)}:
            status = status_on(today, held.get((person.staff_id, kind)))
            counts.setdefault(kind, Counter())[status] += 1
    return [
        KindStanding(kind, {s: counts[kind].get(s, 0) for s in Status}) for kind in sorted(counts)
    ]


def _last_valid_days(
    db: sqlite3.Connection, school_id: str, today: date
) -> dict[tuple[str, str], date]:
    rows = db.execute(
        "SELECT staff_id, kind, MAX(valid_until) FROM qualifications WHERE withdrawn_at IS NULL"
        " AND achieved_on <= ? AND staff_id IN (SELECT staff_id FROM staff_versions"
        " WHERE school_id = ?) GROUP BY staff_id, kind",
        (today.isoformat(), school_id),
    ).fetchall()
    return {(s, k): date.fromisoformat(until) for s, k, until in rows}


def agreed_items(
    db: sqlite3.Connection, period: Period, people: list[StaffMember]
) -> list[AgreedItem]:
    """Items of the period's appraisal cycle agreed by its last day with `people`."""
    if not people:
        return []
    last = period.last.isoformat()
    rows = db.execute(
        "SELECT a.agreed_item_id, a.staff_id, a.description, a.agreed_on,"
        " EXISTS (SELECT 1 FROM agreed_cpd_provided p WHERE p.agreed_item_id = a.agreed_item_id"
        " AND p.provided_on <= ?) FROM agreed_cpd a, json_each(?) j"
        " WHERE a.staff_id = j.value AND a.appraisal_cycle = ? AND a.agreed_on <= ?"
        " ORDER BY a.staff_id, a.agreed_item_id",
        (last, json.dumps([p.staff_id for p in people]), period.academic_year, last),
    ).fetchall()
    return [
        AgreedItem(item, staff, text, date.fromisoformat(on), bool(done))
        for item, staff, text, on, done in rows
    ]


def sessions_in(db: sqlite3.Connection, school_id: str, period: Period) -> list[SessionRow]:
    rows = db.execute(
        "SELECT s.session_id, s.kind, s.hours, COUNT(a.staff_id) FROM sessions s"
        " LEFT JOIN session_attendance a ON a.session_id = s.session_id"
        " WHERE s.school_id = ? AND s.date BETWEEN ? AND ? GROUP BY s.session_id"
        " ORDER BY s.date, s.session_id",
        (school_id, period.first.isoformat(), period.last.isoformat()),
    ).fetchall()
    return [SessionRow(i, kind, Decimal(str(hours)), n) for i, kind, hours, n in rows]
