"""A school's budget for a financial year, as `GET /budgets/{school_id}` answers it.

Amounts are strings of pounds and pence ("12000.00"), exact, as every cost is."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class LedgerRow(BaseModel):
    seq: int = Field(description="the ledger's order")
    kind: Literal["budget_set", "committed", "released", "spent"]
    request_id: str | None = Field(description="the request whose money moved (none: a budget)")
    amount_gbp: str = Field(description="always positive; the kind says which way it moved")
    at: str
    cause: str = Field(description="the event type that moved it, e.g. cpd.request.booked")
    actor: str
    categories: dict[str, str] | None = Field(description="a budget_set's categories, if any")


class BudgetOverride(BaseModel):
    """An approval that took the school past its budget, with the reason its approver gave."""

    request_id: str
    cause: str = Field(description="cpd.request.head_approved or cpd.request.executive_approved")
    actor: str
    override_reason: str
    at: str
    budget_gbp: str
    committed_gbp: str = Field(description="by the school's other requests, at the time")
    spent_gbp: str
    request_gbp: str = Field(description="the school's share of this request, cover included")


class BudgetView(BaseModel):
    school_id: str
    financial_year: str = Field(examples=["2026-27"])
    starts_on: str = Field(description="the year's first day, by the school's policy set")
    ends_on: str
    budget_gbp: str | None = Field(description="the latest budget.set; none: no budget, no guard")
    categories: dict[str, str] | None
    committed_gbp: str = Field(description="approved or booked, not yet spent")
    spent_gbp: str
    remaining_gbp: str | None = Field(description="budget - committed - spent; may be negative")
    ledger: list[LedgerRow]
    overrides: list[BudgetOverride]
