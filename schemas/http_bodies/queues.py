"""The approval queues and the list of requests, as the HTTP edge shows them."""

from __future__ import annotations

from pydantic import BaseModel, Field

POUNDS = "decimal pounds, e.g. 180.00"


class ReasonView(BaseModel):
    text: str = Field(description='e.g. "linked to SIP priority SIP-2: Early reading"')
    weight: int = Field(description="points it adds (negative: the cost takes them away)")


class QueueItemView(BaseModel):
    request_id: str
    score: int = Field(description="the sum of the reasons' weights")
    reasons: list[ReasonView]
    days_waiting: int = Field(description="school days since it reached this step")
    waiting_since: str = Field(description="when it reached this step")
    staff_id: str
    school_id: str
    title: str
    start_date: str = Field(description="ISO date")
    cost_gbp: str = Field(description=f"the estimate, {POUNDS}")
    rule: str = Field(description="the policy set whose [priority] weights made the score")
    financial_year: str = Field(description="the budget year its money belongs to, e.g. 2026-27")
    budget_remaining_gbp: str | None = Field(
        description=f"{POUNDS}: what is left of its school's budget for that year; null when"
        " the school has no budget set"
    )


class QueueView(BaseModel):
    step: str = Field(description="`head` or `executive`")
    school_id: str | None = Field(description="the head queue's school; null for the executive")
    financial_year: str | None = Field(description="the head queue's school's year today")
    budget_remaining_gbp: str | None = Field(
        description=f"{POUNDS}: the head queue's school's budget left this year (null: no"
        " budget set; always null for the executive queue, whose items carry their school's)"
    )
    total: int = Field(description="requests waiting in all; `items` holds at most `limit`")
    items: list[QueueItemView] = Field(
        description="highest score first, then the longest waiting (school days) first"
    )


class RequestSummary(BaseModel):
    request_id: str
    state: str
    staff_id: str
    school_id: str
    title: str
    activity_type: str
    start_date: str
    end_date: str
    cost_gbp: str
    estimated_cost_gbp: str
    created_at: str
    updated_at: str


class RequestPage(BaseModel):
    items: list[RequestSummary] = Field(description="newest first (by when submitted)")
    next_cursor: str | None = Field(
        description="pass as `cursor` for the next page; null on the last page"
    )
