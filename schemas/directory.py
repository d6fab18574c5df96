"""The `data` of the staff directory's events, sent by the HR system.

They travel like request events (same queue, same handler, idempotent by source + id);
`subject` is the staff or school id, or for a delegation the delegator's staff id.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import ConfigDict, Field, model_validator

from schemas.inbound import EventData, FreeText, Identifier, Text

STAFF_UPSERTED = "staff.upserted"
STAFF_LEFT = "staff.left"
SCHOOL_UPSERTED = "school.upserted"
APPROVAL_DELEGATED = "approval.delegated"
DELEGATION_REVOKED = "approval.delegation_revoked"

Email = Annotated[str, Field(min_length=3, max_length=320, pattern=r"^[^\s@]+@[^\s@]+$")]


class Role(StrEnum):
    """Roles in the directory (who a person is at a school or in the trust).
    workflow.policy.vocabulary.Role is this same enum."""

    TEACHER = "teacher"
    SUPPORT = "support"
    LEADERSHIP = "leadership"
    HEAD_TEACHER = "head_teacher"
    EXECUTIVE_LEAD = "executive_lead"
    CPD_LEAD = "cpd_lead"
    BOOKING_OFFICE = "booking_office"
    GOVERNOR = "governor"
    CHAIR_OF_GOVERNORS = "chair_of_governors"
    TRUSTEE = "trustee"


class Contract(StrEnum):
    FULL_TIME = "full_time"
    PART_TIME = "part_time"


class LeavingReason(StrEnum):
    RESIGNATION = "resignation"
    RETIREMENT = "retirement"
    END_OF_CONTRACT = "end_of_contract"
    DISMISSAL = "dismissal"
    REDUNDANCY = "redundancy"
    OTHER = "other"


class DelegatedStep(StrEnum):
    HEAD = "head"
    EXECUTIVE = "executive"


class Nation(StrEnum):
    """The UK nation whose bank holidays a school keeps."""

    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class StaffUpserted(EventData):
    staff_id: Identifier
    name: Text
    email: Email
    school_id: Identifier
    roles: Annotated[list[Role], Field(min_length=1)]
    line_manager_id: Identifier | None = None
    is_ect: bool = False
    contract: Contract
    started_on: date
    extra_school_ids: list[Identifier] = Field(default_factory=list)


class StaffLeft(EventData):
    staff_id: Identifier
    left_on: date = Field(description="the last working day; the person may act until it ends")
    reason: LeavingReason
    resigned_on: date | None = None


class SchoolUpserted(EventData):
    school_id: Identifier
    name: Text
    policy_id: Identifier | None = Field(None, description="policy set; none: `default`")
    trust_id: Identifier | None = Field(None, description="none: a trust of its own")
    nation: Nation | None = Field(None, description="whose bank holidays it keeps; none: england")
    term_dates: Identifier | None = Field(
        None,
        description="its term-dates file: a file name in CPD_TERM_DATES_DIR, not a path;"
        " none: the service's default calendar (CPD_TERM_DATES)",
    )


class ApprovalDelegated(EventData):
    # `from` is a Python keyword: the field is `from_` here, `from` on the wire both ways.
    model_config = ConfigDict(extra="allow", populate_by_name=True, serialize_by_alias=True)

    from_staff_id: Identifier
    to_staff_id: Identifier
    step: DelegatedStep
    from_: date = Field(alias="from", description="first day, inclusive, school time zone")
    until: date = Field(description="last day, inclusive, school time zone")

    @model_validator(mode="after")
    def a_real_window_to_someone_else(self) -> ApprovalDelegated:
        if self.until < self.from_:
            raise ValueError("until is before from")
        if self.to_staff_id == self.from_staff_id:
            raise ValueError("to_staff_id is the delegator themselves")
        return self


class DelegationRevoked(EventData):
    to_staff_id: Identifier
    step: DelegatedStep | None = Field(None, description="none: every step delegated to them")
    reason: FreeText | None = None


DIRECTORY_DATA: dict[str, type[EventData]] = {
    STAFF_UPSERTED: StaffUpserted,
    STAFF_LEFT: StaffLeft,
    SCHOOL_UPSERTED: SchoolUpserted,
    APPROVAL_DELEGATED: ApprovalDelegated,
    DELEGATION_REVOKED: DelegationRevoked,
}
