"""The `data` each inbound event type must carry. Unknown fields are kept, never rejected."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

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


def _absent(value: object) -> bool:
    return value is None


def left_out_when_absent(**field: Any) -> Any:
    """An optional field that is left out of the data kept when not given, rather than
    kept as null: fields added later leave the records and history of events that never
    carried them as they were."""
    return Field(None, exclude_if=_absent, **field)


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


class FundingSource(StrEnum):
    """Who pays for a request: only the school's share counts against the school's budget."""

    SCHOOL = "school"
    TRUST = "trust"
    GRANT = "grant"
    SELF = "self"


Share = Annotated[Decimal, Field(ge=0, le=1, max_digits=12)]


def _shares_of_one(value: object) -> object:
    """Name an unknown source plainly (the enum's own message lists only the allowed)."""
    if isinstance(value, dict):
        unknown = sorted(str(k) for k in value if k not in set(FundingSource))
        if unknown:
            raise ValueError(
                f"unknown funding source {', '.join(repr(u) for u in unknown)}:"
                f" use {', '.join(FundingSource)}"
            )
    return value


Funding = Annotated[dict[FundingSource, Share], BeforeValidator(_shares_of_one)]


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
    # Supply cover while the participant is away: its cost counts against the budget.
    cover_days: Annotated[Decimal, Field(ge=0, max_digits=6, decimal_places=1)] | None = (
        left_out_when_absent()
    )
    cover_cost_gbp: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] | None = (
        left_out_when_absent()
    )
    funding: Funding | None = left_out_when_absent(
        description='shares of the cost by source, adding up to 1, e.g. {"school": "0.5",'
        ' "grant": "0.5"}; absent: the school pays it all',
    )
    # Obligations: statutory training it renews, CPD agreed in appraisal that it provides
    # (an agreed item, or just the fact), and the hours it takes.
    statutory_kind: StatutoryKind | None = left_out_when_absent()
    agreed_item_id: Identifier | None = left_out_when_absent()
    agreed_in_appraisal: bool | None = left_out_when_absent()
    hours: Hours | None = left_out_when_absent()

    @model_validator(mode="after")
    def ends_on_or_after_start(self) -> Submitted:
        if self.end_date < self.start_date:
            raise ValueError("end_date is before start_date")
        return self

    @field_validator("funding", mode="after")
    @classmethod
    def shares_add_up_to_one(
        cls, funding: dict[FundingSource, Decimal] | None
    ) -> dict[FundingSource, Decimal] | None:
        if funding is not None and sum(funding.values(), Decimal(0)) != 1:
            total = sum(funding.values(), Decimal(0))
            raise ValueError(f"the funding shares add up to {total}, not 1")
        return funding


class AgreedScale(BaseModel):
    """Repayment on a scale of `months` months instead of the policy set's."""

    model_config = ConfigDict(extra="forbid")

    months: Annotated[int, Field(strict=True, ge=1, le=120)]


class AgreedWaiver(BaseModel):
    """No repayment of this training, whatever the policy set says, and why."""

    model_config = ConfigDict(extra="forbid")

    waived: Literal[True]
    reason: Text


class Approved(EventData):
    comment: FreeText | None = None
    # Approves a request that takes the school past its budget (refused otherwise).
    override_reason: FreeText | None = left_out_when_absent()
    # An approval that agrees no terms is stored as it was before terms existed.
    repayment_terms: AgreedScale | AgreedWaiver | None = left_out_when_absent(
        description="terms agreed at this approval, overriding the policy set's repayment"
        ' scale: {"months": n} or {"waived": true, "reason": ...}; the executive'
        " approval's override the head's",
    )


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


REQUEST_DATA: dict[str, type[EventData]] = {
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

# The staff directory's events and the other families' travel the same way; their models
# live in modules of their own (imported last, as they build on the types above).
from schemas.budgets import BUDGET_DATA  # noqa: E402
from schemas.compliance import COMPLIANCE_DATA  # noqa: E402
from schemas.directory import DIRECTORY_DATA  # noqa: E402
from schemas.repayment import REPAYMENT_DATA  # noqa: E402
from schemas.sip import SIP_DATA  # noqa: E402

INBOUND_DATA: dict[str, type[EventData]] = {
    **REQUEST_DATA,
    **DIRECTORY_DATA,
    **REPAYMENT_DATA,
    **BUDGET_DATA,
    **SIP_DATA,  # a school's School Improvement Plan, for each request's priority
    **COMPLIANCE_DATA,
}
