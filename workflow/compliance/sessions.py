"""In-house CPD: `cpd.session.recorded` and `cpd.session.attendance_corrected`.

An INSET day, a staff meeting, coaching or a network meeting is CPD for every attendee
without a request or an approval chain: recorded by a head teacher or CPD lead of the
school, or a trust system whose key allows it. A session that renews statutory training
records a qualification for each attendee; one that names agreed CPD provides it. A
correction gives the full attendance as it should have been: those taken off lose the
session's qualification, those added gain it. `subject` is the session id.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from schemas.compliance import ATTENDANCE_CORRECTED, SESSION_RECORDED
from workflow.compliance import agreed, qualifications, rules
from workflow.compliance.errors import SessionExists, UnknownSchool, UnknownSession
from workflow.compliance.validity import valid_until
from workflow.directory import school_as_of, staff_as_of
from workflow.directory.rules import UnknownStaff, check_subject
from workflow.store.families import Family, FamilyEvent

_COLUMNS = (
    "session_id, school_id, title, date, hours, kind, statutory_kind, valid_until, led_by,"
    " agreed_item_ids, version, recorded_at, recorded_by, corrections, event_source, event_id"
)


def apply(e: FamilyEvent) -> None:
    check_subject(e.event.subject, e.data["session_id"], "session_id")
    if e.event.type == SESSION_RECORDED:
        _recorded(e)
    else:
        _corrected(e)


def _recorded(e: FamilyEvent) -> None:
    data, session_id, school_id = e.data, e.data["session_id"], e.data["school_id"]
    if _session(e.db, session_id) is not None:
        raise SessionExists(f"session '{session_id}' is recorded already: correct its attendance")
    if school_as_of(e.db, school_id, e.now) is None:
        raise UnknownSchool(f"no school '{school_id}' in the directory")
    _check_actor(e, school_id, session_id)
    policy = rules.school_policy(e.db, e.governance, school_id, e.now)
    day = date.fromisoformat(data["date"])
    rules.not_in_future(policy, e.now, day, "the session's date")
    _known_people(e, data["attendees"])
    until = None
    if data.get("statutory_kind"):
        until = valid_until(day, rules.statutory(policy, data["statutory_kind"]).valid_months)
    items = sorted({*data.get("agreed_item_ids", []), *filter(None, [data.get("agreed_item_id")])})
    agreed.check_known(e.db, items)
    e.db.execute(
        f"INSERT INTO sessions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, '[]',"
        " ?, ?)",
        (
            session_id,
            school_id,
            data["title"],
            day.isoformat(),
            str(data["hours"]),
            data["kind"],
            data.get("statutory_kind"),
            until.isoformat() if until else None,
            data["led_by"],
            json.dumps(items),
            e.now.isoformat(),
            e.event.actor,
            e.event.source,
            e.event.id,
        ),
    )
    for item in items:
        agreed.provided(e.db, item, agreed.BY_SESSION, session_id, day)
    _attend(e, _session(e.db, session_id) or {}, data["attendees"])


def _corrected(e: FamilyEvent) -> None:
    session_id = e.data["session_id"]
    session = _session(e.db, session_id)
    if session is None:
        raise UnknownSession(f"no session '{session_id}' has been recorded")
    _check_actor(e, session["school_id"], session_id)
    wanted = list(e.data["attendees"])
    _known_people(e, wanted)
    before = set(_attendees(e.db, session_id))
    removed = sorted(before - set(wanted))
    for staff_id in removed:
        e.db.execute(
            "DELETE FROM session_attendance WHERE session_id = ? AND staff_id = ?",
            (session_id, staff_id),
        )
        ident = qualifications.qualification_id(qualifications.FROM_SESSION, session_id, staff_id)
        qualifications.withdraw(e.db, ident, e.now)
    added = [s for s in wanted if s not in before]
    _attend(e, session, added)
    change = {
        "at": e.now.isoformat(),
        "by": e.event.actor,
        "added": added,
        "removed": removed,
        "reason": e.data.get("reason"),
        "event_source": e.event.source,
        "event_id": e.event.id,
    }
    e.db.execute(
        "UPDATE sessions SET version = version + 1, corrections = json_insert(corrections,"
        " '$[#]', json(?)) WHERE session_id = ?",
        (json.dumps(change), session_id),
    )


def _attend(e: FamilyEvent, session: dict[str, Any], staff_ids: list[str]) -> None:
    """Each person attended: their CPD, and the session's statutory training if it gave any."""
    session_id = session["session_id"]
    for staff_id in staff_ids:
        e.db.execute(
            "INSERT INTO session_attendance (session_id, staff_id) VALUES (?, ?)",
            (session_id, staff_id),
        )
        if session["statutory_kind"]:
            ident = qualifications.qualification_id(
                qualifications.FROM_SESSION, session_id, staff_id
            )
            q = qualifications.Qualification(
                ident,
                staff_id,
                session["statutory_kind"],
                date.fromisoformat(session["date"]),
                date.fromisoformat(session["valid_until"]),
                qualifications.FROM_SESSION,
                session_id,
                e.event.actor,
                awarding_body=session["led_by"],
            )
            qualifications.save(e.db, q, e.now)


def _check_actor(e: FamilyEvent, school_id: str, session_id: str) -> None:
    rules.check_actor(
        e.db,
        e.event.actor,
        e.now,
        school_id=school_id,
        doing=f"record session {session_id} for {school_id}",
        rule="who_may.record_session",
    )


def _known_people(e: FamilyEvent, staff_ids: list[str]) -> None:
    unknown = [s for s in staff_ids if staff_as_of(e.db, s, e.now) is None]
    if unknown:
        raise UnknownStaff(f"attendees not in the directory: {', '.join(unknown)}")


def _session(db: sqlite3.Connection, session_id: str) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT {_COLUMNS} FROM sessions WHERE session_id = ?", (session_id,))
    row = cursor.fetchone()
    return dict(zip([c[0] for c in cursor.description], row, strict=True)) if row else None


def _attendees(db: sqlite3.Connection, session_id: str) -> list[str]:
    rows = db.execute(
        "SELECT staff_id FROM session_attendance WHERE session_id = ? ORDER BY staff_id",
        (session_id,),
    ).fetchall()
    return [row[0] for row in rows]


def session_view(db: sqlite3.Connection, session_id: str) -> dict[str, Any] | None:
    """A session as recorded and corrected, with its attendance now."""
    session = _session(db, session_id)
    if session is None:
        return None
    session["agreed_item_ids"] = json.loads(session["agreed_item_ids"])
    session["corrections"] = json.loads(session["corrections"])
    return {**session, "attendees": _attendees(db, session_id)}


SESSIONS = Family("sessions", frozenset({SESSION_RECORDED, ATTENDANCE_CORRECTED}), apply)
