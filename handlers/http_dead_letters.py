"""`GET /dead-letters` and `POST /dead-letters/{id}/replay`: messages the service could not
accept or apply, and putting one back through the queue, as kept or corrected."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Path, Query, Request, Response

from handlers import views
from handlers.dead_letter_replay import replay
from handlers.http_access import CallerDep
from handlers.http_guards import read_body, too_large
from handlers.service import Service
from schemas.http_bodies import DeadLetters, EventAccepted, EventApplied
from schemas.media_types import JSON
from schemas.openapi_events import INBOUND_EVENT, REF

REPLAY_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": EventApplied, "description": "with ?wait=true: applied; the request now"},
    400: {"description": "the corrected message is not a JSON object"},
    404: {"description": "no dead letter with this id"},
    409: {
        "description": "already replayed; or its event was already processed (sending it"
        " again would change nothing); or, with ?wait=true, refused"
    },
    413: {"description": "body over CPD_MAX_BODY_BYTES (not read)"},
    422: {"description": "the message (as kept, or corrected) is not a valid CloudEvent"},
    503: {"description": "the broker did not take it; the dead letter is as before"},
}
REPLAY_BODY: dict[str, Any] = {
    "requestBody": {
        "required": False,
        "description": "a corrected CloudEvent (structured mode) to send in the letter's place;"
        " no body sends the letter as kept",
        "content": {JSON: {"schema": {"$ref": REF + INBOUND_EVENT}}},
    }
}
LETTER_ID = Path(ge=1, le=2**63 - 1, description="the dead letter's id, as listed")


def add_dead_letter_routes(app: FastAPI, service: Service) -> None:
    @app.get("/dead-letters", response_model=DeadLetters)
    async def get_dead_letters(limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Response:
        """Messages that could not be accepted or processed, newest first, with why, and
        whether each was replayed."""
        rows = await service.store.dead_letters(limit)
        return views.ok(DeadLetters.model_validate({"dead_letters": rows}))

    @app.post(
        "/dead-letters/{letter_id}/replay",
        status_code=202,
        response_model=EventAccepted,
        response_description="sent through the queue (with ?wait=true: still queued when the"
        " wait ended)",
        responses=REPLAY_RESPONSES,
        openapi_extra=REPLAY_BODY,
    )
    async def replay_dead_letter(
        letter_id: Annotated[int, LETTER_ID],
        request: Request,
        caller: CallerDep,
        wait: bool = False,
    ) -> Response:
        """Put a dead letter back through the inbound queue, as kept or as the corrected
        event in the body; it is processed like any message. `?wait=true` waits for it."""
        limit = service.settings.max_body_bytes
        body = await read_body(request, limit)
        if body is None:
            return too_large(limit)
        corrected = body if body.strip() else None
        return (await replay(service, caller, letter_id, corrected, wait)).response()
