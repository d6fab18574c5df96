"""A follow-up's row: what the `follow_ups` table holds and how it reads back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from scheduler.policy import FollowUpSpec

COLUMNS = (
    "id, request_id, school_id, kind, recipient_role, recipient_staff_id, attempt, due_at,"
    " status, created_at, fired_at, late_by_seconds, cancelled_at, cancel_reason"
)


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

    def spec(self) -> FollowUpSpec:
        return FollowUpSpec(
            self.kind,
            datetime.fromisoformat(self.due_at),
            self.attempt,
            self.recipient_role,
            self.recipient_staff_id,
        )


def utc(moment: datetime | date) -> str:
    # Stored in UTC with a fixed format, so text comparison orders them in time.
    assert isinstance(moment, datetime)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
