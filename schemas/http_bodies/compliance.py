"""Obligations as the HTTP edge shows them: a compliance list, CPD agreed in appraisal and
whether it was provided, a person's CPD hours, an in-house session."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ComplianceRow(BaseModel):
    staff_id: str
    name: str
    school_id: str
    kind: str = Field(description="the statutory kind, as the school's policy set names it")
    status: Literal["expired", "expiring", "valid", "missing"] = Field(
        description="`expired`: valid_until is before today; `expiring`: within the next 90"
        " days; `valid`: after that; `missing`: nothing held"
    )
    valid_until: str | None = Field(description="ISO date, the last day it is valid")


class ComplianceReport(BaseModel):
    school_id: str | None = Field(description="the school asked for; null: every school read")
    on: str = Field(description="ISO date: today at the school, each status's day")
    expiring_within_days: int
    summary: dict[str, int] = Field(description="how many rows of each status")
    items: list[ComplianceRow]


class ProvidedBy(BaseModel):
    kind: Literal["request", "session"]
    id: str = Field(description="the request id or the session id")
    on: str = Field(description="ISO date: the request's completed_on, the session's date")


class AgreedItem(BaseModel):
    agreed_item_id: str
    staff_id: str
    appraisal_cycle: str
    description: str
    agreed_on: str
    agreed_by: str
    provided: bool = Field(
        description="a request naming it is completed, or a session naming it recorded"
    )
    provided_by: list[ProvidedBy]


class AgreedCpd(BaseModel):
    staff_id: str
    items: list[AgreedItem]


class CpdHoursView(BaseModel):
    staff_id: str
    from_date: str | None = Field(description="ISO date, inclusive; null: open")
    to_date: str | None = Field(description="ISO date, inclusive; null: open")
    requests_hours: str = Field(description="decimal: completed requests that give `hours`")
    sessions_hours: str = Field(description="decimal: sessions attended")
    total_hours: str


class SessionView(BaseModel):
    session_id: str
    school_id: str
    title: str
    date: str
    hours: str
    kind: str
    statutory_kind: str | None
    valid_until: str | None = Field(description="how long its statutory training lasts")
    led_by: str
    agreed_item_ids: list[str]
    attendees: list[str]
    version: int
    recorded_at: str
    recorded_by: str
    corrections: list[dict[str, object]] = Field(
        description="each attendance correction: at, by, added, removed, reason"
    )
