"""The audit chain as the HTTP edge shows it (GET /audit, GET /audit/head)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class AuditHead(BaseModel):
    """The chain's last entry: keep it elsewhere, and `cpd audit verify --head` finds a cut tail."""

    seq: int = Field(description="its sequence number (0: the chain is empty)")
    hash: str = Field(description="its hash (64 zeros: the chain is empty)")


class AuditEntry(BaseModel):
    seq: int = Field(description="its place in the one chain of every audit entry")
    at: str = Field(description="when it was written (ISO 8601, UTC)")
    kind: str = Field(
        description="`request`, `directory`, or a family: `budgets`, `sessions`,"
        " `qualifications`, `agreed_cpd`, `sip`, `repayment`"
    )
    event_type: str
    event_id: str
    event_source: str
    actor: str
    on_behalf_of: str | None
    client: str | None = Field(description="the client system that sent the event")
    request_id: str | None
    request_seq: int | None = Field(description="its number in the request's history")
    staff_id: str | None = Field(description="the person it is about")
    school_id: str | None
    from_state: str | None
    to_state: str | None = Field(description="the state it left the request in")
    outcome: str = Field(description="`applied`, `refused` or `reminder`")
    reason: str | None
    data: str = Field(description="its data: the JSON text exactly as hashed")
    prev_hash: str
    hash: str


class AuditPage(BaseModel):
    entries: list[AuditEntry]
    next_cursor: str | None = Field(description="ask again with it for the next page; null: done")
