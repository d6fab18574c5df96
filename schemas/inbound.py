"""The `data` each inbound event type must carry. Unknown fields are kept, never rejected."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.limits import MAX_IDENTIFIER_CHARS, MAX_TEXT_CHARS

# Identifiers end up in keys, headers and logs: short, and no control characters.
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"
Identifier = Annotated[
    str, Field(min_length=1, max_length=MAX_IDENTIFIER_CHARS, pattern=NO_CONTROL_CHARACTERS)
]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
FreeText = Annotated[str, Field(max_length=MAX_TEXT_CHARS)]  # may be empty
# A statutory training kind as a policy set names it: `[statutory.safeguarding]`.
StatutoryKind = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
# Time spent on CPD, so each person's hours can be totalled.
Hours = Annotated[Decimal, Field(ge=0, le=1000, max_digits=6, decimal_places=2)]


class ActivityType(StrEnum):
    COURSE = "course"
    CONFERENCE = "conference"
    IN_SCHOOL = "in_school"
    ONLINE = "online"
    COACHING = "coaching"
    VISIT = "visit"
    QUALIFICATION = "qualification"
    OTHER = "other"


class EventData(BaseModel):
    model_config = ConfigDict(extra="allow")


class Submitted(EventData):
    staff_id: Identifier
    school_id: Identifier
    title: Text
    activity_type: ActivityType
    provider: FreeText | None = None
    start_date: date
    end_date: date
    cost_gbp: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
    justification: Text
    priorities: list[FreeText]
    # Obligations (all optional): statutory training it renews, CPD agreed in appraisal
    # that it provides (an agreed item, or just the fact), and the hours it takes.
    statutory_kind: StatutoryKind | None = None
    agreed_item_id: Identifier | None = None
    agreed_in_appraisal: bool | None = None
    hours: Hours | None = None

    @model_validator(mode="after")
    def ends_on_or_after_start(self) -> Submitted:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class Approved(EventData):
    comment: FreeText | None = None


class Rejected(EventData):
    reason: FreeText


class Booked(EventData):
    # Not an Identifier: a blank one (even "\t\n") is the booking guard's to refuse (409).
    booking_reference: Annotated[str, Field(max_length=MAX_IDENTIFIER_CHARS)]
    confirmed_cost_gbp: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] | None = (
        None
    )


class BookingCancelled(EventData):
    reason: FreeText


class Completed(EventData):
    completed_on: date


class Evaluated(EventData):
    rating: Annotated[int, Field(ge=1, le=5)]
    impact_on_practice: Text
    recommend_provider: bool


class Disseminated(EventData):
    method: Text
    disseminated_on: date
    audience: Text


class Withdrawn(EventData):
    reason: FreeText | None = None


Pounds = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]


class NotAttended(EventData):
    """Booked, but the participant did not attend; what it still cost (a lost fee)."""

    reason: Text
    cost_incurred_gbp: Pounds


class DisseminationWaived(EventData):
    reason: Text


class ImpactReviewed(EventData):
    reviewed_on: date
    impact_rating: Annotated[int, Field(ge=1, le=5)]
    summary: Text
    evidence: FreeText | None = None


INBOUND_DATA: dict[str, type[EventData]] = {
    "cpd.request.submitted": Submitted,
    "cpd.request.head_approved": Approved,
    "cpd.request.executive_approved": Approved,
    "cpd.request.head_rejected": Rejected,
    "cpd.request.executive_rejected": Rejected,
    "cpd.request.booked": Booked,
    "cpd.request.booking_cancelled": BookingCancelled,
    "cpd.request.completed": Completed,
    "cpd.request.evaluated": Evaluated,
    "cpd.request.disseminated": Disseminated,
    "cpd.request.withdrawn": Withdrawn,
    "cpd.request.not_attended": NotAttended,
    "cpd.request.dissemination_waived": DisseminationWaived,
    "cpd.request.impact_reviewed": ImpactReviewed,
}

# The staff directory's events travel the same way; their models live in schemas/directory.py
# (imported last, as it builds on the types above).
from schemas.directory import DIRECTORY_DATA  # noqa: E402

INBOUND_DATA.update(DIRECTORY_DATA)

# So do the obligations' (qualifications, agreed CPD, sessions): schemas/compliance.py.
from schemas.compliance import COMPLIANCE_DATA  # noqa: E402

INBOUND_DATA.update(COMPLIANCE_DATA)
