"""A follow-up's row: what the `follow_ups` table holds and how it reads back."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from scheduler.policy import FollowUpSpec
from workflow.access import Reach

COLUMNS = (
    "id, request_id, school_id, kind, recipient_role, recipient_staff_id, attempt, due_at,"
    " status, created_at, fired_at, late_by_seconds, cancelled_at, cancel_reason"
)
# Read back too: whom a fired follow-up reached, as resolved when it fired (JSON), and the
# qualification a renewal reminder is about (instead of a request).
READ_COLUMNS = COLUMNS + ", recipients, qualification_id"


@dataclass(frozen=True)
class FollowUp:
    id: str
    request_id: str | None  # None: a renewal reminder, about `qualification_id`
    school_id: str
    kind: str
    recipient_role: str
    recipient_staff_id: str | None
    attempt: int
    due_at: str
    status: str
    created_at: str
    fired_at: str | None
    late_by_seconds: int | None
    cancelled_at: str | None
    cancel_reason: str | None
    recipients: list[dict[str, Any]] | None = None  # None until it fires
    qualification_id: str | None = None

    def spec(self) -> FollowUpSpec:
        return FollowUpSpec(
            self.kind,
            datetime.fromisoformat(self.due_at),
            self.attempt,
            self.recipient_role,
            self.recipient_staff_id,
        )

    def reminder_data(
        self, request_id: str | None, recipients: list[dict[str, Any]], late_by_seconds: int
    ) -> dict[str, Any]:
        """The `data` of the `cpd.reminder.due` it fires as (a renewal adds its own)."""
        return {
            "request_id": request_id,
            "kind": self.kind,
            "recipient_staff_id": self.recipient_staff_id,
            "recipient_role": self.recipient_role,
            "recipients": recipients,
            "due_at": self.due_at,
            "attempt": self.attempt,
            "late_by_seconds": late_by_seconds,
        }


def follow_up_from_row(row: Sequence[Any]) -> FollowUp:
    """A row read with READ_COLUMNS."""
    *columns, recipients, qualification_id = row
    return replace(
        FollowUp(*columns),
        recipients=json.loads(recipients) if recipients else None,
        qualification_id=qualification_id,
    )


def first_due(db: sqlite3.Connection) -> datetime | None:
    """When the earliest pending follow-up is due."""
    row = db.execute("SELECT MIN(due_at) FROM follow_ups WHERE status = 'pending'").fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def within_reach(reach: Reach) -> tuple[str, list[str]]:
    """A condition (and its values) keeping the follow-ups of requests `reach` covers:
    those of its schools, and those of its person's and their direct reports' requests and
    statutory training."""
    if reach.everything:
        return "", []
    schools = sorted(reach.schools)
    people = sorted({*reach.reports, *([reach.staff_id] if reach.staff_id else [])})
    marks = ", ".join("?" * len(people))
    condition = (
        f" AND (school_id IN ({', '.join('?' * len(schools))}) OR request_id IN"
        f" (SELECT request_id FROM requests WHERE staff_id IN ({marks})) OR qualification_id"
        f" IN (SELECT qualification_id FROM qualifications WHERE staff_id IN ({marks})))"
    )
    return condition, [*schools, *people, *people]


def utc(moment: datetime | date) -> str:
    # Stored in UTC with a fixed format, so text comparison orders them in time.
    assert isinstance(moment, datetime)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
