"""JSON shapes of HTTP answers; errors always carry a JSON body naming the problem."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from fastapi.responses import JSONResponse

from schemas import INBOUND_DATA, CloudEvent, InvalidEvent
from workflow.model import CpdRequest
from workflow.store import APPLIED, REJECTED, EventStatus, HistoryEntry

_ERROR = {"content": {"application/json": {"example": {"error": "code", "message": "why"}}}}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "not found", **_ERROR}}
EVENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "with ?wait=true: processed; the request's new state"},
    202: {"description": 'durably queued: {"id", "status": "accepted"}'},
    400: {"description": "body is not a JSON object", **_ERROR},
    409: {"description": "with ?wait=true: the transition is not allowed", **_ERROR},
    413: {"description": "body over CPD_MAX_BODY_BYTES; not read", **_ERROR},
    422: {
        "description": "not a valid CloudEvent, unknown type, invalid data, or over a limit",
        **_ERROR,
    },
    503: {"description": "the broker did not take the event; nothing was queued", **_ERROR},
}


def _event_body() -> dict[str, Any]:
    """POST /events takes its body raw (to cap and parse it itself), so FastAPI cannot
    document it: describe the envelope here, for readers and for API fuzzers."""
    envelope = CloudEvent.model_json_schema()
    envelope["properties"]["type"] = {"type": "string", "enum": sorted(INBOUND_DATA)}
    return {"required": True, "content": {"application/json": {"schema": envelope}}}


EVENT_BODY: dict[str, Any] = {"requestBody": _event_body()}


def error(
    http_status: int,
    code: str,
    message: str,
    *,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    return JSONResponse(
        {"error": code, "message": message, **extra},
        status_code=http_status,
        headers=dict(headers) if headers else None,
    )


def invalid_event(problem: InvalidEvent) -> JSONResponse:
    status = 400 if problem.malformed else 422
    return error(status, "invalid_event", problem.message, problems=problem.problems)


def unknown_request(request_id: str) -> JSONResponse:
    return error(404, "unknown_request", f"no CPD request '{request_id}'")


def accepted(event_id: str, still_queued: bool = False) -> JSONResponse:
    body: dict[str, Any] = {"id": event_id, "status": "accepted"}
    if still_queued:
        body["processing"] = "still queued; poll GET /events/{id}"
    return JSONResponse(body, status_code=202)


def processed(status: EventStatus, found: CpdRequest | None, wait: bool) -> JSONResponse:
    """The answer for an event already processed: the same as the first time it was posted."""
    if not wait:
        return accepted(status.event_id)
    if status.status == REJECTED:
        return error(
            409,
            status.code or "rejected",
            status.reason or "rejected",
            id=status.event_id,
            status=REJECTED,
        )
    body: dict[str, Any] = {"id": status.event_id, "status": APPLIED}
    if found is not None:
        body["request"] = request(found)
    return JSONResponse(body, status_code=200)


def request(found: CpdRequest) -> dict[str, Any]:
    return {
        "request_id": found.request_id,
        "state": found.state,
        "staff_id": found.staff_id,
        "school_id": found.school_id,
        "title": found.title,
        "activity_type": found.activity_type,
        "provider": found.provider,
        "start_date": found.start_date.isoformat(),
        "end_date": found.end_date.isoformat(),
        "cost_gbp": str(found.cost_gbp),
        "estimated_cost_gbp": str(found.estimate),
        "policy_id": found.policy_id,
        "policy_version": found.policy_version,
        "dissemination": found.dissemination,
        "version": found.version,
        "created_at": found.created_at.isoformat() if found.created_at else None,
        "updated_at": found.updated_at.isoformat() if found.updated_at else None,
        "details": found.details,
    }


def history_entry(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at,
        "event_id": entry.event_id,
        "event_source": entry.event_source,
        "event_type": entry.event_type,
        "actor": entry.actor,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "data": entry.data,
        "outcome": entry.outcome,
        "reason": entry.reason,
        "on_behalf_of": entry.on_behalf_of,
        "client": entry.client,
    }


def event_status(status: EventStatus) -> dict[str, Any]:
    body = asdict(status)
    body["id"] = body.pop("event_id")
    return body
