"""The audit entries of events outside a request's history: a directory change or a
family's event (a session, a budget set, a qualification...) once applied, and any event
refused that its request's history does not already hold (a refusal on an existing
request is a history entry, written by workflow/store/_steps.py).

Each names the person and the school it is about: as its data says, else as the
directory, the request, the session or the claim its subject names says.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from workflow.audit.people import about
from workflow.store import audit
from workflow.store._steps import client_of
from workflow.store._writes import REQUEST_KIND

REFUSED = "refused"
DIRECTORY_KIND = "directory"

# Where a subject that names no person or school in its data is looked up, in turn.
_SUBJECTS = (
    "SELECT staff_id, school_id FROM requests WHERE request_id = ?",
    "SELECT staff_id, school_id FROM repayment_claims WHERE claim_id = ?",
    "SELECT NULL, school_id FROM sessions WHERE session_id = ?",
    "SELECT staff_id, school_id FROM staff_versions WHERE staff_id = ?"
    " ORDER BY version DESC LIMIT 1",
)


def record_event(
    db: sqlite3.Connection,
    event: Any,
    now: datetime,
    kind: str,
    *,
    refused: str | None = None,
) -> int:
    """One entry for the event: applied, or `refused` with that reason."""
    data = dict(event.data or {})
    staff_id, school_id = _where(db, event.subject, data)
    return audit.append(
        db,
        at=now,
        kind=kind,
        event_type=event.type,
        event_id=event.id,
        event_source=event.source,
        actor=str(event.actor),
        data=data,
        outcome=REFUSED if refused is not None else audit.APPLIED,
        client=client_of(event),
        request_id=event.subject if kind == REQUEST_KIND else None,
        staff_id=staff_id,
        school_id=school_id,
        reason=refused,
    )


def _where(
    db: sqlite3.Connection, subject: str | None, data: dict[str, Any]
) -> tuple[str | None, str | None]:
    staff_id, school_id = about(data)
    if staff_id is not None and school_id is None:
        school_id = _school_of(db, staff_id)
    if staff_id is None and school_id is None and subject:
        for query in _SUBJECTS:
            found = db.execute(query, (subject,)).fetchone()
            if found is not None:
                return found[0], found[1]
    return staff_id, school_id


def _school_of(db: sqlite3.Connection, staff_id: str) -> str | None:
    found = db.execute(
        "SELECT school_id FROM staff_versions WHERE staff_id = ? ORDER BY version DESC LIMIT 1",
        (staff_id,),
    ).fetchone()
    return found[0] if found else None
