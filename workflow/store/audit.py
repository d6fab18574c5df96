"""The audit chain in SQLite (table `audit`, migration 16): appending, its head, checking it.

Every audit entry (a request's steps, refusals and reminders, directory changes, budget
movements, sessions and the other families' events, renewal reminders) is appended here,
in the transaction of the change it records, by the one writer: the last entry is read
and the new one linked to it inside that transaction, so the chain never forks. The
table refuses UPDATE and DELETE (triggers). `audit_people` indexes whom each entry
concerns (workflow/audit/people.py) for `staff_id=` searches; it is derived from the
entries, never the record itself.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from workflow.audit.chain import (
    COLUMNS,
    CONTENT_COLUMNS,
    EMPTY,
    GENESIS,
    Head,
    NotCanonical,
    canonical,
    hash_of,
)
from workflow.audit.people import people_in
from workflow.audit.verify import Link, Verdict, check
from workflow.store._rows import dumps

APPLIED = "applied"
_INSERT = f"INSERT INTO audit ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
# The canonical content built by SQLite (json_object writes compact JSON, keys as given,
# so sorted here): one C call per entry instead of a Python dict and encoder.
_CANONICAL_SQL = "json_object(" + ", ".join(f"'{c}', {c}" for c in sorted(CONTENT_COLUMNS)) + ")"


def append(
    db: sqlite3.Connection,
    *,
    at: datetime | str,
    kind: str,
    event_type: str,
    event_id: str,
    event_source: str,
    actor: str,
    data: Mapping[str, Any] | str,
    outcome: str = APPLIED,
    on_behalf_of: str | None = None,
    client: str | None = None,
    request_id: str | None = None,
    request_seq: int | None = None,
    staff_id: str | None = None,
    school_id: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    people: Iterable[str] = (),
) -> int:
    """Append one entry inside the caller's transaction; returns its seq. `data` as stored
    (JSON text) or to be stored; `people`: whom it concerns besides those it names."""
    last = db.execute("SELECT seq, hash, at FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, previous, before = last if last else (0, GENESIS, None)
    text = data if isinstance(data, str) else dumps(data)
    content: dict[str, Any] = {
        "seq": seq + 1,
        "at": at if isinstance(at, str) else at.isoformat(),
        "kind": kind,
        "event_type": event_type,
        "event_id": event_id,
        "event_source": event_source,
        "actor": actor,
        "on_behalf_of": on_behalf_of,
        "client": client,
        "request_id": request_id,
        "request_seq": request_seq,
        "staff_id": staff_id,
        "school_id": school_id,
        "from_state": from_state,
        "to_state": to_state,
        "outcome": outcome,
        "reason": reason,
        "data": text,
        "prev_hash": previous,
    }
    db.execute(_INSERT, [*content.values(), hash_of(content)])
    if _stepped_back(content["at"], before):  # the clock was set back (see audit_search)
        db.execute("INSERT INTO audit_time_steps (seq) VALUES (?)", (seq + 1,))
    parsed = json.loads(text) if isinstance(data, str) else data
    concerned = people_in((staff_id, actor, on_behalf_of, *people), parsed)
    db.executemany(
        "INSERT OR IGNORE INTO audit_people (staff_id, seq) VALUES (?, ?)",
        [(who, seq + 1) for who in sorted(concerned)],
    )
    return seq + 1


def _stepped_back(at: str, before: str | None) -> bool:
    return before is not None and datetime.fromisoformat(at) < datetime.fromisoformat(before)


def head(db: sqlite3.Connection) -> Head:
    row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return Head(row[0], row[1]) if row else EMPTY


def verify(db: sqlite3.Connection, kept: Head | None = None) -> Verdict:
    """Check every link, streaming the chain in one read transaction (constant memory)."""
    db.execute("BEGIN")
    try:
        return check(_links(db), lambda seq: _recheck(db, seq), kept)
    finally:
        db.execute("COMMIT")


def _links(db: sqlite3.Connection) -> Iterator[Link]:
    last = 0
    try:
        cursor = db.execute(
            f"SELECT seq, prev_hash, hash, {_CANONICAL_SQL} FROM audit ORDER BY seq"
        )
        for link in cursor:
            yield link
            last = link[0]
        return
    except sqlite3.OperationalError:
        pass  # a value JSON cannot hold (a blob): the rest entry by entry, by the rule
    rows = db.execute(f"SELECT {', '.join(COLUMNS)} FROM audit WHERE seq > ? ORDER BY seq", [last])
    for row in rows:
        yield row[0], row[-2], row[-1], _canonical_or_blank(row)


def _canonical_or_blank(row: tuple[Any, ...]) -> str:
    try:
        return canonical(dict(zip(CONTENT_COLUMNS, row, strict=False)))
    except NotCanonical:
        return ""


def _recheck(db: sqlite3.Connection, seq: int) -> str | None:
    row = db.execute(f"SELECT {', '.join(CONTENT_COLUMNS)} FROM audit WHERE seq = ?", [seq])
    found = row.fetchone()
    try:
        return hash_of(dict(zip(CONTENT_COLUMNS, found, strict=True))) if found else None
    except NotCanonical:
        return None


__all__ = ["GENESIS", "append", "head", "verify"]
