"""The `data` of the obligations' events: qualifications held, CPD agreed in appraisal, and
in-house sessions (INSET days, staff meetings, coaching, network meetings).

They travel like every other event (same queue, same handler, idempotent by source + id).
`subject` is the staff id for a qualification and an agreed item, the session id for a
session.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from schemas.inbound import EventData, FreeText, Hours, Identifier, StatutoryKind, Text

QUALIFICATION_RECORDED = "qualification.recorded"
CPD_AGREED = "appraisal.cpd_agreed"
SESSION_RECORDED = "cpd.session.recorded"
ATTENDANCE_CORRECTED = "cpd.session.attendance_corrected"

# The most attendees one session names: every member of staff of a large school.
MAX_ATTENDEES = 200
Attendees = Annotated[list[Identifier], Field(min_length=1, max_length=MAX_ATTENDEES)]


class SessionKind(StrEnum):
    INSET = "inset"
    STAFF_MEETING = "staff_meeting"
    COACHING = "coaching"
    NETWORK = "network"
    TRAINING = "training"  # another in-house training session
    OTHER = "other"


class QualificationRecorded(EventData):
    """A qualification gained elsewhere (or before the service): a certificate held."""

    staff_id: Identifier
    kind: StatutoryKind = Field(description="a statutory kind the school's policy set lists")
    achieved_on: date
    valid_until: date | None = Field(
        None, description="last day it is valid, inclusive; none: the policy's valid_months"
    )
    awarding_body: FreeText | None = None
    certificate: FreeText | None = Field(None, description="its number or reference")

    @model_validator(mode="after")
    def valid_from_when_achieved(self) -> QualificationRecorded:
        if self.valid_until is not None and self.valid_until < self.achieved_on:
            raise ValueError("valid_until is before achieved_on")
        return self


class CpdAgreed(EventData):
    """CPD agreed in a member of staff's appraisal, which the school then owes them."""

    agreed_item_id: Identifier
    staff_id: Identifier
    appraisal_cycle: str = Field(pattern=r"^\d{4}-\d{2}$", description="such as 2026-27")
    description: Text
    agreed_on: date
    agreed_by: Identifier = Field(description="the appraiser")

    @field_validator("appraisal_cycle")
    @classmethod
    def one_year_to_the_next(cls, cycle: str) -> str:
        first, second = int(cycle[:4]), int(cycle[5:])
        if (first + 1) % 100 != second:
            raise ValueError(f"{cycle} is not one year to the next, such as 2026-27")
        return cycle


class SessionRecorded(EventData):
    """CPD the school gave itself: recorded for every attendee, with no approval chain."""

    session_id: Identifier
    school_id: Identifier
    title: Text
    date: date
    hours: Annotated[Hours, Field(gt=0)]
    kind: SessionKind
    statutory_kind: StatutoryKind | None = Field(
        None, description="the session renews this statutory training for every attendee"
    )
    attendees: Attendees
    led_by: Text = Field(description="who led it: a staff id or a name")
    agreed_item_ids: list[Identifier] = Field(
        default_factory=list, description="CPD agreed in appraisal that it provides"
    )
    agreed_item_id: Identifier | None = Field(None, description="one such item, on its own")

    @field_validator("attendees", "agreed_item_ids")
    @classmethod
    def each_once(cls, ids: list[str]) -> list[str]:
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"named more than once: {', '.join(repeated)}")
        return ids


class AttendanceCorrected(EventData):
    """The session's full attendance, as it should have been recorded."""

    session_id: Identifier
    attendees: Attendees
    reason: FreeText | None = None

    @field_validator("attendees")
    @classmethod
    def each_once(cls, ids: list[str]) -> list[str]:
        return SessionRecorded.each_once(ids)


COMPLIANCE_DATA: dict[str, type[EventData]] = {
    QUALIFICATION_RECORDED: QualificationRecorded,
    CPD_AGREED: CpdAgreed,
    SESSION_RECORDED: SessionRecorded,
    ATTENDANCE_CORRECTED: AttendanceCorrected,
}
