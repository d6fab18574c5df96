"""What `POST /events` and `GET /events/{id}` answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from schemas.http_bodies.problem import Problem
from schemas.http_bodies.requests import RequestView


class EventAccepted(BaseModel):
    """202: the event is durably queued (or, with `?wait=true`, still queued at the wait's end)."""

    id: str
    status: Literal["accepted"]
    processing: str | SkipJsonSchema[None] = Field(
        None, description="with ?wait=true: present when the wait ran out before processing"
    )


class EventApplied(BaseModel):
    """200 (`?wait=true`): the event was applied; the request as it now stands."""

    id: str
    status: Literal["applied"]
    request: RequestView | SkipJsonSchema[None] = Field(
        None, description="absent for an event about no CPD request (a directory event)"
    )


class EventStatusView(BaseModel):
    """What became of a received event."""

    id: str
    source: str
    event_type: str | None
    request_id: str | None
    status: str = Field(description="`queued`, `applied` or `rejected`")
    reason: str | None = Field(description="why it was rejected")
    code: str | None = Field(description="the rejection's code")
    received_at: str | None
    processed_at: str | None


class BatchResult(BaseModel):
    """The answer one event of a batch would have had, posted alone."""

    status: int = Field(description="the HTTP status it would have had")
    body: EventAccepted | EventApplied | Problem


class BatchResults(BaseModel):
    """207: one result per event of the batch, in the batch's order."""

    results: list[BatchResult]
