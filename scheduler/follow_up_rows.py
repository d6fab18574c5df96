"""A follow-up's row: what the `follow_ups` table holds and how it reads back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from scheduler.policy import FollowUpSpec

COLUMNS = (
    "id, request_id, school_id, kind, recipient_role, recipient_staff_id, attempt, due_at,"
    " status, created_at, fired_at, late_by_seconds, cancelled_at, cancel_reason"
)
# Read back too: whom a fired follow-up reached, as resolved when it fired (JSON).
READ_COLUMNS = COLUMNS + ", recipients"


@dataclass(frozen=True)
class FollowUp:
    id: str
    request_id: str
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

    def spec(self) -> FollowUpSpec:
        return FollowUpSpec(
            self.kind,
            datetime.fromisoformat(self.due_at),
            self.attempt,
            self.recipient_role,
            self.recipient_staff_id,
        )


def follow_up_from_row(row: Sequence[Any]) -> FollowUp:
    """A row read with READ_COLUMNS."""
    *columns, recipients = row
    return replace(FollowUp(*columns), recipients=json.loads(recipients) if recipients else None)


def utc(moment: datetime | date) -> str:
    # Stored in UTC with a fixed format, so text comparison orders them in time.
    assert isinstance(moment, datetime)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
