"""Form links used up: one row per link, written in the transaction of the event it sent.

A form (handlers/forms) sends its event with the extension attribute `cpdlink`: the link's
nonce. When that event is applied, `record` (a transaction hook every store runs) keeps
the link as used in the same transaction, so a crash can never apply the event and forget
the link, nor use up a link whose event was refused.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from workflow.model import Command, Transition

LINK_EXTENSION = "cpdlink"


@dataclass(frozen=True)
class UsedLink:
    link_id: str
    request_id: str
    event_type: str
    staff_id: str
    used_at: str


def record(db: sqlite3.Connection, _: Transition, command: Command, now: datetime) -> None:
    """Transaction hook: the applied event came from a form link, which is now used up."""
    link_id = command.extensions.get(LINK_EXTENSION)
    if not isinstance(link_id, str) or not link_id:
        return
    db.execute(
        "INSERT INTO used_links (link_id, request_id, event_type, staff_id, used_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (link_id, command.request_id, command.event_type, command.actor, now.isoformat()),
    )


def used(db: sqlite3.Connection, link_id: str) -> UsedLink | None:
    row = db.execute(
        "SELECT link_id, request_id, event_type, staff_id, used_at FROM used_links"
        " WHERE link_id = ?",
        (link_id,),
    ).fetchone()
    return UsedLink(*row) if row else None


def in_flight(db: sqlite3.Connection, source: str, link_id: str) -> bool:
    """An event sent from this link is queued, not yet applied or refused. A form's event
    ids start with the link's nonce and a dot (handlers/forms/submit.py), and a nonce holds
    no GLOB wildcard (letters, digits, - and _)."""
    row = db.execute(
        "SELECT 1 FROM inbox WHERE source = ? AND event_id GLOB ? AND status = 'queued' LIMIT 1",
        (source, f"{link_id}.*"),
    ).fetchone()
    return row is not None
