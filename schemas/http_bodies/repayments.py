"""Repayment claims as the HTTP edge shows them (GET /repayments)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class RepaymentClaimView(BaseModel):
    claim_id: str = Field(description="the `subject` of repayment.confirmed / repayment.waived")
    request_id: str
    staff_id: str
    school_id: str
    status: str = Field(description="`open`, `confirmed` or `waived`")
    cost_gbp: str = Field(description="the training's cost, as confirmed at booking")
    school_share_gbp: str = Field(description="what the school paid of it")
    amount_gbp: str = Field(description="what is claimed")
    months_counted: int = Field(description="whole months from the training's end to resigning")
    months: int = Field(description="the scale's length (the policy set's, or agreed terms')")
    training_ended_on: str
    resigned_on: str
    policy_id: str
    policy_version: int
    reason: str = Field(description="the rule, its version, and how it was applied")
    terms: dict[str, Any] | None = Field(description="terms agreed at approval, if any")
    created_at: str
    decided_at: str | None
    decided_by: str | None
    decision_note: str | None = Field(description="the waiver's reason, or a comment")


class RepaymentClaims(BaseModel):
    items: list[RepaymentClaimView] = Field(description="newest first")
