"""A member of staff and a school, as the HTTP edge shows them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class StaffView(BaseModel):
    # The HR record's members, whatever it grows to hold, then what the service adds.
    model_config = ConfigDict(extra="allow")

    staff_id: str
    name: str
    email: str
    school_id: str
    roles: list[str]
    line_manager_id: str | None
    is_ect: bool
    contract: str
    started_on: str
    extra_school_ids: list[str]
    left_on: str | None
    leaving_reason: str | None
    resigned_on: str | None
    valid_from: str = Field(description="the moment from which this version of the record held")
    can_act: bool = Field(description="whether they may act at that moment (not a leaver)")
    acts_for: dict[str, list[str]] = Field(description="role: the schools it acts for")


class SchoolView(BaseModel):
    model_config = ConfigDict(extra="allow")

    school_id: str
    name: str
    policy_id: str | None
    trust_id: str | None
    nation: str | None = Field(None, description="whose bank holidays it keeps; none: england")
    term_dates: str | None = Field(
        None, description="its file in CPD_TERM_DATES_DIR; none: the default calendar"
    )
    policy_set: str = Field(description="the policy set that governs it")
    valid_from: str
