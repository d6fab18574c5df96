"""The HTTP edge: post events, ask what became of them, read requests and their history."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse

from handlers import views
from handlers.http_directory import add_directory_routes
from handlers.http_follow_ups import add_follow_up_routes
from handlers.http_guards import answer_failures_in_json, read_body, too_large
from handlers.http_notifications import add_notification_routes
from handlers.service import Service
from schemas import INBOUND_DATA, InvalidEvent, parse_inbound
from schemas.export import all_schemas
from workflow.store import QUEUED, Outcome


def create_app(service: Service) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await service.start()
        try:
            yield
        finally:
            await service.stop()

    app = FastAPI(
        title="cpd-workflow",
        version="0.1.0",
        description="Continuing Professional Development requests, approvals and follow-ups.",
        lifespan=lifespan,
    )
    app.state.service = service
    answer_failures_in_json(app)
    add_follow_up_routes(app, service)
    add_directory_routes(app, service)
    add_notification_routes(app, service)

    @app.post(
        "/events",
        status_code=202,
        responses=views.EVENT_RESPONSES,
        openapi_extra=views.EVENT_BODY,
    )
    async def post_event(request: Request, wait: bool = False) -> JSONResponse:
        """Queue a CloudEvent (structured JSON). `?wait=true` waits for it to be processed."""
        limit = service.settings.max_body_bytes
        body = await read_body(request, limit)
        if body is None:
            return too_large(limit)
        try:
            event = parse_inbound(body)
        except InvalidEvent as error:
            return views.invalid_event(error)
        store = service.store
        status, created = await store.record_queued(
            event.source, event.id, event.type, event.subject
        )
        if status.status != QUEUED:
            return views.processed(status, await store.get_request(event.subject), wait)
        waiter = service.waiters.expect(event.source, event.id) if wait else None
        if waiter is not None and not created:
            # An earlier post of this event may have been processed since we looked.
            fresh = await store.fresh_status(event.source, event.id)
            if fresh is not None and fresh.status != QUEUED:
                status = fresh
                service.waiters.discard(event.source, event.id, waiter)
                return views.processed(status, await store.get_request(event.subject), wait)
        try:
            body = event.model_dump_json(exclude_none=True).encode()
            await service.broker.publish_inbound(body, f"{event.source}\x1f{event.id}")
        except Exception as error:
            if waiter is not None:
                service.waiters.discard(event.source, event.id, waiter)
            if created:
                await store.forget_queued(event.source, event.id)
            return views.error(503, "broker_unavailable", f"event not queued: {error!r}")
        if waiter is None:
            return views.accepted(event.id)
        return await _wait(service, event.source, event.id, event.subject, waiter)

    @app.get("/events/{event_id}", responses=views.NOT_FOUND)
    async def get_event(event_id: str, source: str | None = None) -> JSONResponse:
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
        return JSONResponse(views.event_status(found[0]))

    @app.get("/requests/{request_id}", responses=views.NOT_FOUND)
    async def get_request(request_id: str) -> JSONResponse:
        found = await service.store.get_request(request_id)
        if found is None:
            return views.unknown_request(request_id)
        body = views.request(found)
        body["notifications"] = await service.mail.of_request(request_id)  # mail about it
        return JSONResponse(body)

    @app.get("/requests/{request_id}/history", responses=views.NOT_FOUND)
    async def get_history(request_id: str) -> JSONResponse:
        """Every applied event and follow-up for a request, oldest first."""
        entries = await service.store.history(request_id)
        if not entries:
            return views.unknown_request(request_id)
        return JSONResponse(
            {"request_id": request_id, "entries": [views.history_entry(e) for e in entries]}
        )

    @app.get("/dead-letters")
    async def get_dead_letters(limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> JSONResponse:
        """Broker messages that could not be accepted or processed, newest first, with why."""
        return JSONResponse({"dead_letters": await service.store.dead_letters(limit)})

    @app.get("/health", responses={503: {"description": "database or broker unreachable"}})
    async def health() -> JSONResponse:
        report = await service.health()
        return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)

    @app.get("/schemas")
    async def list_schemas() -> dict[str, Any]:
        return {"inbound": sorted(INBOUND_DATA), "schemas": all_schemas()}

    @app.get("/asyncapi.json")
    async def asyncapi() -> JSONResponse:
        from faststream.specification import AsyncAPI

        spec = AsyncAPI(
            service.broker.broker,
            title="cpd-workflow",
            version="0.1.0",
            description=f"Inbound: {service.broker.inbound_address}",
        )
        return JSONResponse(spec.to_specification().to_jsonable())

    return app


async def _wait(
    service: Service, source: str, event_id: str, request_id: str, waiter: asyncio.Future[Outcome]
) -> JSONResponse:
    try:
        outcome = await asyncio.wait_for(waiter, service.settings.wait_timeout)
    except TimeoutError:
        service.waiters.discard(source, event_id, waiter)
        return views.accepted(event_id, still_queued=True)
    request = outcome.request or await service.store.get_request(request_id)
    return views.processed(outcome.status, request, wait=True)
