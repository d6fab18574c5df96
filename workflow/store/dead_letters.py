"""Dead letters: listed with what each message says it is, and replayed at most once.

A replay is recorded before the message is sent again (so the reader, which may apply it
at once, finds the event's status reopened), and undone if the broker does not take it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from schemas.document import decode
from schemas.errors import InvalidEvent
from workflow.store import _reads
from workflow.store.outcomes import EventStatus

_COLUMNS = (
    "id, received_at, transport, source, event_id, reason, body,"
    " replayed_at, replayed_by, replayed_body"
)
# The mark a readable event that kept failing left on its status (store/_unapplied.py).
_KEPT_AS_DEAD_LETTER = "dead_letter"


def listing(db: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """Newest first, each with the type and subject its message names, where readable."""
    cursor = db.execute(f"SELECT {_COLUMNS} FROM dead_letters ORDER BY id DESC LIMIT ?", (limit,))
    return [_letter(cursor, row) for row in cursor.fetchall()]


def one(db: sqlite3.Connection, letter_id: int) -> dict[str, Any] | None:
    cursor = db.execute(f"SELECT {_COLUMNS} FROM dead_letters WHERE id = ?", (letter_id,))
    row = cursor.fetchone()
    return _letter(cursor, row) if row else None


def mark_replayed(
    db: sqlite3.Connection,
    letter_id: int,
    *,
    by: str | None,
    corrected_body: str | None,
    event: Any,
    now: datetime,
) -> tuple[bool, EventStatus | None]:
    """Record the replay and make `event` queued again: whether it was recorded (not if it
    was replayed meanwhile), and the event's status before (None: never seen), for `unmark`.
    A status the dead letter itself closed (rejected, `dead_letter`) is reopened: the same
    event may now apply."""
    cursor = db.execute(
        "UPDATE dead_letters SET replayed_at = ?, replayed_by = ?, replayed_body = ?"
        " WHERE id = ? AND replayed_at IS NULL",
        (now.isoformat(), by, corrected_body, letter_id),
    )
    if cursor.rowcount == 0:
        return False, None
    before = _reads.status_sync(db, event.source, event.id)
    db.execute(
        "INSERT INTO inbox (source, event_id, event_type, request_id, status, received_at)"
        " VALUES (?, ?, ?, ?, 'queued', ?) ON CONFLICT (source, event_id) DO UPDATE SET"
        " status = 'queued', reason = NULL, code = NULL, processed_at = NULL,"
        " event_type = excluded.event_type, request_id = excluded.request_id"
        " WHERE inbox.status = 'rejected' AND inbox.code = ?",
        (event.source, event.id, event.type, event.subject, now.isoformat(), _KEPT_AS_DEAD_LETTER),
    )
    return True, before


def unmark(db: sqlite3.Connection, letter_id: int, event: Any, before: EventStatus | None) -> None:
    """Undo `mark_replayed` when the message could not be sent: as if never tried."""
    db.execute(
        "UPDATE dead_letters SET replayed_at = NULL, replayed_by = NULL, replayed_body = NULL"
        " WHERE id = ?",
        (letter_id,),
    )
    if before is None:
        db.execute(
            "DELETE FROM inbox WHERE source = ? AND event_id = ? AND status = 'queued'",
            (event.source, event.id),
        )
        return
    db.execute(
        "UPDATE inbox SET status = ?, reason = ?, code = ?, processed_at = ?"
        " WHERE source = ? AND event_id = ? AND status = 'queued'",
        (before.status, before.reason, before.code, before.processed_at, event.source, event.id),
    )


def settled_elsewhere(status: EventStatus | None) -> bool:
    """The event was applied, or refused by a rule: sending it again would change nothing
    (events apply once by source and id). A status its dead letter closed does not count."""
    if status is None or status.status == "queued":
        return False
    return not (status.status == "rejected" and status.code == _KEPT_AS_DEAD_LETTER)


def _letter(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    letter = dict(zip([c[0] for c in cursor.description], row, strict=True))
    letter["event_type"], letter["subject"] = _named(letter["body"])
    return letter


def _named(body: str) -> tuple[str | None, str | None]:
    """`type` and `subject` as the message gives them, when it is a readable JSON object."""
    try:
        document = decode(body)
    except InvalidEvent:
        return None, None
    if not isinstance(document, dict):
        return None, None
    return _text(document.get("type")), _text(document.get("subject"))


def _text(value: Any) -> str | None:
    return value[:200] if isinstance(value, str) else None
