"""The `data` each inbound event type must carry. Unknown fields are kept, never rejected."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

Text = Annotated[str, Field(min_length=1, max_length=10_000)]


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
    staff_id: Text
    school_id: Text
    title: Text
    activity_type: ActivityType
    provider: str | None = None
    start_date: date
    end_date: date
    cost_gbp: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
    justification: Text
    priorities: list[str]

    @model_validator(mode="after")
    def ends_on_or_after_start(self) -> Submitted:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self


class Approved(EventData):
    comment: str | None = None


class Rejected(EventData):
    reason: str


class Booked(EventData):
    booking_reference: str
    confirmed_cost_gbp: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] | None = (
        None
    )


class BookingCancelled(EventData):
    reason: str


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
    reason: str | None = None


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
}
