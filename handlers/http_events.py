"""POST /events in the CloudEvents HTTP binding's three modes, and what became of an event."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response

from handlers import event_intake, views
from handlers.http_guards import read_body, too_large
from handlers.service import Service
from schemas import InvalidEvent, parse_inbound
from schemas.http_binding import (
    TooManyEvents,
    UnsupportedMediaType,
    content_mode,
    parse_batch,
    structured_from_binary,
)
from schemas.http_bodies import BatchResult, BatchResults, EventAccepted, EventApplied
from schemas.http_bodies import EventStatusView as EventStatusBody
from schemas.openapi_events import binary_mode_headers, request_body

POST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": EventApplied, "description": "with ?wait=true: applied; the request now"},
    207: {
        "model": BatchResults,
        "description": "a batch: each event's own answer, in the batch's order",
    },
    400: {"description": "the body is not JSON, or not a JSON object (an array for a batch)"},
    409: {"description": "with ?wait=true: refused (`event_status` is `rejected`)"},
    413: {"description": "body over CPD_MAX_BODY_BYTES (not read), or a batch too long"},
    415: {"description": "a Content-Type this service does not read"},
    422: {"description": "not a valid CloudEvent, unknown type, invalid data, over a limit"},
    503: {"description": "the broker did not take the event; nothing was queued"},
}
POST_DOCS: dict[str, Any] = {"requestBody": request_body(), "parameters": binary_mode_headers()}


def add_event_routes(app: FastAPI, service: Service) -> None:
    @app.post(
        "/events",
        status_code=202,
        response_model=EventAccepted,
        response_description="durably queued (with ?wait=true: still queued when the wait ended)",
        responses=POST_RESPONSES,
        openapi_extra=POST_DOCS,
    )
    async def post_event(request: Request, wait: bool = False) -> Response:
        """Queue a CloudEvent (structured, binary or batched mode); 202 once durably queued.
        `?wait=true` waits for it to be processed (200, or 409 if refused)."""
        try:
            mode = content_mode(request.headers.get("content-type"), request.headers.keys())
        except UnsupportedMediaType as error:
            return views.error(415, "unsupported_media_type", str(error))
        limit = service.settings.max_body_bytes
        body = await read_body(request, limit)
        if body is None:
            return too_large(limit)
        if mode == "batch":
            return await _post_batch(service, body, wait)
        try:
            if mode == "binary":
                event = parse_inbound(structured_from_binary(request.headers.items(), body))
            else:
                event = parse_inbound(body)
        except InvalidEvent as error:
            return views.invalid_event(error).response()
        return (await event_intake.take(service, event, wait)).response()

    @app.get(
        "/events/{event_id}",
        response_model=EventStatusBody,
        responses={400: {"description": "the id came from several sources"}, 404: {}},
    )
    async def get_event(event_id: str, source: str | None = None) -> Response:
        """What became of an event: `queued`, `applied`, or `rejected` with its reason."""
        found = await service.store.event_status(event_id, source)
        if not found:
            return views.error(404, "unknown_event", f"no event '{event_id}' has been received")
        if len(found) > 1:
            sources = sorted(s.source for s in found)
            return views.error(
                400,
                "ambiguous_event",
                f"event id '{event_id}' came from several sources {sources}; add ?source=…",
            )
        return views.ok(views.event_status(found[0]))


async def _post_batch(service: Service, body: bytes, wait: bool) -> Response:
    try:
        events = parse_batch(body)
    except InvalidEvent as error:
        return views.invalid_event(error).response()
    except TooManyEvents as error:
        return views.error(413, "too_many_events", str(error))
    refused_or_valid = [
        views.invalid_event(e) if isinstance(e, InvalidEvent) else e for e in events
    ]
    replies = await event_intake.take_batch(service, refused_or_valid, wait)
    results = [BatchResult(status=r.status, body=r.body) for r in replies]
    return views.ok(BatchResults(results=results), 207)
