"""The bodies of HTTP answers, as typed models; every error is a problem body (RFC 9457)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from handlers.problems import problem, problem_response
from schemas import InvalidEvent
from schemas.http_bodies import (
    EventAccepted,
    EventApplied,
    EventStatusView,
    HistoryEntryView,
    Problem,
    RequestView,
)
from workflow.model import CpdRequest
from workflow.store import APPLIED, REJECTED, EventStatus, HistoryEntry

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "not found"}}


@dataclass(frozen=True)
class Reply:
    """An answer before it is an HTTP response: a batch gathers them into one body."""

    status: int
    body: EventAccepted | EventApplied | Problem

    def response(self) -> JSONResponse:
        if isinstance(self.body, Problem):
            return problem_response(self.body)
        return ok(self.body, self.status)


def ok(body: BaseModel, status: int = 200) -> JSONResponse:
    # exclude_unset: a member the body never set (`processing`, `request`) stays absent.
    return JSONResponse(body.model_dump(mode="json", exclude_unset=True), status_code=status)


def error(
    http_status: int,
    code: str,
    message: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem answer: `code` is its `error` and names its `type`, `message` its `detail`."""
    return problem_response(problem(http_status, code, message, **extra), headers)


def refused(http_status: int, code: str, message: str, **extra: Any) -> Reply:
    return Reply(http_status, problem(http_status, code, message, **extra))


def invalid_event(error: InvalidEvent) -> Reply:
    status = 400 if error.malformed else 422
    return refused(status, "invalid_event", error.message, problems=error.problems)


def unknown_request(request_id: str) -> JSONResponse:
    return error(404, "unknown_request", f"no CPD request '{request_id}'")


def accepted(event_id: str, still_queued: bool = False) -> Reply:
    if still_queued:
        processing = "still queued; poll GET /events/{id}"
        return Reply(202, EventAccepted(id=event_id, status="accepted", processing=processing))
    return Reply(202, EventAccepted(id=event_id, status="accepted"))


def processed(status: EventStatus, found: CpdRequest | None, wait: bool) -> Reply:
    """The answer for an event already processed: the same as the first time it was posted."""
    if not wait:
        return accepted(status.event_id)
    if status.status == REJECTED:
        # RFC 9457 gives `status` to the HTTP code: the event's outcome is `event_status`.
        return refused(
            409,
            status.code or "rejected",
            status.reason or "rejected",
            id=status.event_id,
            event_status=REJECTED,
        )
    if found is None:
        return Reply(200, EventApplied(id=status.event_id, status=APPLIED))
    return Reply(200, EventApplied(id=status.event_id, status=APPLIED, request=request(found)))


def request(found: CpdRequest) -> RequestView:
    return RequestView(
        request_id=found.request_id,
        state=found.state,
        staff_id=found.staff_id,
        school_id=found.school_id,
        title=found.title,
        activity_type=found.activity_type,
        provider=found.provider,
        start_date=found.start_date.isoformat(),
        end_date=found.end_date.isoformat(),
        cost_gbp=str(found.cost_gbp),
        estimated_cost_gbp=str(found.estimate),
        policy_id=found.policy_id,
        policy_version=found.policy_version,
        dissemination=found.dissemination,
        version=found.version,
        created_at=found.created_at.isoformat() if found.created_at else None,
        updated_at=found.updated_at.isoformat() if found.updated_at else None,
        details=found.details,
    )


def history_entry(entry: HistoryEntry) -> HistoryEntryView:
    return HistoryEntryView(
        seq=entry.seq,
        at=entry.at,
        event_id=entry.event_id,
        event_source=entry.event_source,
        event_type=entry.event_type,
        actor=entry.actor,
        from_state=entry.from_state,
        to_state=entry.to_state,
        data=entry.data,
        outcome=entry.outcome,
        reason=entry.reason,
        on_behalf_of=entry.on_behalf_of,
    )


def event_status(status: EventStatus) -> EventStatusView:
    body = asdict(status)
    body["id"] = body.pop("event_id")
    return EventStatusView.model_validate(body)
