"""The mail queue's rows: what is due, what became of each message, and the reads for
`GET /notifications`, `GET /requests/{id}` and `cpd notifications`.

Plain sqlite3 functions, so the service (on its writer or reader) and the command line
(on its own connection, while the service runs) share them.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

STATUSES = ("queued", "sent", "failed", "cancelled")
# Waits after the 1st, 2nd, ... failed attempt: temporary trouble spread over hours.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
)
_ITEM = (
    "id, message_id, request_id, kind, to_staff_id, to_name, to_address, subject, status,"
    " attempts, last_error, created_at, sent_at, last_attempt_at, not_before"
)


def stamp(moment: datetime) -> str:
    # UTC in one fixed format, so comparing the text compares the moments.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


@dataclass(frozen=True)
class Row:
    id: int
    to_address: str
    to_name: str
    subject: str
    text: str
    html: str
    context: dict[str, Any]
    digest_key: str | None


@dataclass(frozen=True)
class Due:
    """One message to send: a row, or the rows of one digest, under one Message-ID."""

    message_id: str
    rows: list[Row]


def claim_due(db: sqlite3.Connection, now: datetime, limit: int) -> list[Due]:
    """Messages due by `now`. Reminders waiting under a digest key whose first is due are
    sealed into one message first (the earliest row's Message-ID), so its retries carry
    the same rows under the same Message-ID; a reminder queued later starts a new one."""
    at = stamp(now)
    _drop_overtaken(db, at)
    keys = db.execute(
        "SELECT DISTINCT digest_key FROM notifications WHERE status = 'queued'"
        " AND sealed_at IS NULL AND digest_key IS NOT NULL AND not_before <= ?",
        (at,),
    ).fetchall()
    for (key,) in keys:
        (leader,) = db.execute(
            "SELECT message_id FROM notifications WHERE digest_key = ? AND status = 'queued'"
            " AND sealed_at IS NULL ORDER BY id LIMIT 1",
            (key,),
        ).fetchone()
        db.execute(
            "UPDATE notifications SET sealed_at = ?, message_id = ?"
            " WHERE digest_key = ? AND status = 'queued' AND sealed_at IS NULL",
            (at, leader, key),
        )
    found = db.execute(
        "SELECT message_id FROM notifications WHERE status = 'queued' AND not_before <= ?"
        " GROUP BY message_id ORDER BY MIN(id) LIMIT ?",
        (at, limit),
    ).fetchall()
    return [Due(message_id, _rows(db, message_id)) for (message_id,) in found]


def _drop_overtaken(db: sqlite3.Connection, at: str) -> None:
    """A reminder that waited for its digest while its request moved on (the head approved
    it meanwhile, say) would chase what is done: it is cancelled, not sent."""
    db.execute(
        "UPDATE notifications SET status = 'cancelled', last_attempt_at = ?1,"
        " last_error = 'not sent: the request moved on to ' || r.state || ' first'"
        " FROM requests AS r WHERE r.request_id = notifications.request_id"
        " AND notifications.status = 'queued' AND notifications.kind = 'reminder'"
        " AND notifications.sealed_at IS NULL AND notifications.not_before <= ?1"
        " AND json_extract(notifications.context, '$.request.state') != r.state",
        (at,),
    )


def _rows(db: sqlite3.Connection, message_id: str) -> list[Row]:
    rows = db.execute(
        "SELECT id, to_address, to_name, subject, text, html, context, digest_key"
        " FROM notifications WHERE message_id = ? AND status = 'queued' ORDER BY id",
        (message_id,),
    ).fetchall()
    return [
        Row(
            id=r[0],
            to_address=r[1],
            to_name=r[2],
            subject=r[3],
            text=r[4],
            html=r[5],
            context=json.loads(r[6]),
            digest_key=r[7],
        )
        for r in rows
    ]


def record_sent(db: sqlite3.Connection, message_id: str, now: datetime) -> None:
    at = stamp(now)
    db.execute(
        "UPDATE notifications SET status = 'sent', sent_at = ?, last_attempt_at = ?,"
        " attempts = attempts + 1, last_error = NULL WHERE message_id = ? AND status = 'queued'",
        (at, at, message_id),
    )


def record_failure(
    db: sqlite3.Connection,
    message_id: str,
    error: str,
    now: datetime,
    *,
    permanent: bool,
    max_attempts: int,
) -> str:
    """A refused or failed attempt: failed at once when permanent or out of attempts, else
    queued again after the backoff. Returns the message's status now."""
    (attempts,) = db.execute(
        "SELECT MAX(attempts) + 1 FROM notifications WHERE message_id = ? AND status = 'queued'",
        (message_id,),
    ).fetchone()
    attempts = attempts or 1
    failed = permanent or attempts >= max_attempts
    wait = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    db.execute(
        "UPDATE notifications SET status = ?, attempts = ?, last_error = ?, last_attempt_at = ?,"
        " not_before = ? WHERE message_id = ? AND status = 'queued'",
        (
            "failed" if failed else "queued",
            attempts,
            error,
            stamp(now),
            stamp(now if failed else now + wait),
            message_id,
        ),
    )
    return "failed" if failed else "queued"


def retry(db: sqlite3.Connection, row_id: int, now: datetime) -> int:
    """Queue a failed message again, with a fresh count of attempts (every row of its
    digest with it, under the same Message-ID); returns how many rows."""
    return db.execute(
        "UPDATE notifications SET status = 'queued', attempts = 0, not_before = ?"
        " WHERE status = 'failed' AND message_id ="
        " (SELECT message_id FROM notifications WHERE id = ?)",
        (stamp(now), row_id),
    ).rowcount


def next_due(db: sqlite3.Connection) -> datetime | None:
    (found,) = db.execute(
        "SELECT MIN(not_before) FROM notifications WHERE status = 'queued'"
    ).fetchone()
    return datetime.fromisoformat(found) if found else None


def listed(db: sqlite3.Connection, status: str | None, limit: int) -> list[dict[str, Any]]:
    """Newest first, as `GET /notifications` lists them."""
    where, args = ("WHERE status = ?", [status]) if status else ("", [])
    rows = db.execute(
        f"SELECT {_ITEM} FROM notifications {where} ORDER BY id DESC LIMIT ?", [*args, limit]
    ).fetchall()
    return [_item(r) for r in rows]


def of_request(db: sqlite3.Connection, request_id: str) -> list[dict[str, Any]]:
    """What was sent to whom and when about one request, oldest first."""
    rows = db.execute(
        f"SELECT {_ITEM} FROM notifications WHERE request_id = ? ORDER BY id", (request_id,)
    ).fetchall()
    return [_item(r) for r in rows]


def _item(row: Any) -> dict[str, Any]:
    (
        ident,
        message_id,
        request_id,
        kind,
        staff_id,
        name,
        address,
        subject,
        status,
        attempts,
        last_error,
        created_at,
        sent_at,
        attempted_at,
        not_before,
    ) = row
    # `at`: when it was sent; when it failed or was cancelled; if queued, when it is next tried.
    at = {"sent": sent_at, "failed": attempted_at, "cancelled": attempted_at}.get(
        status, not_before
    )
    return {
        "id": ident,
        "message_id": message_id,
        "to": address,
        "to_name": name,
        "to_staff_id": staff_id,
        "request_id": request_id,
        "kind": kind,
        "subject": subject,
        "status": status,
        "attempts": attempts,
        "last_error": last_error,
        "at": at,
        "created_at": created_at,
    }
