"""The HTTP edge: post events, ask what became of them, read requests and their history."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Response
from fastapi.responses import JSONResponse

from handlers import http_reach, views
from handlers.forms import add_form_routes
from handlers.http_access import CallerDep, Gate, current_caller, guard
from handlers.http_audit import add_audit_routes
from handlers.http_budgets import add_budget_routes
from handlers.http_compliance import add_compliance_routes
from handlers.http_dead_letters import add_dead_letter_routes
from handlers.http_directory import add_directory_routes
from handlers.http_events import add_event_routes
from handlers.http_follow_ups import add_follow_up_routes
from handlers.http_notifications import add_notification_routes
from handlers.http_probes import add_probe_routes
from handlers.http_queues import add_queue_routes
from handlers.http_repayments import add_repayment_routes
from handlers.openapi import document_the_contract
from handlers.problems import answer_framework_errors_as_problems
from handlers.reports.people_routes import add_people_report_routes
from handlers.reports.routes import add_report_routes
from handlers.service import Service
from schemas import INBOUND_DATA
from schemas.export import all_schemas
from schemas.http_bodies import (
    Health,
    History,
    NotificationView,
    RequestView,
    SchemaCatalogue,
)


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
        # Every route needs credentials once access is on, unless workflow.access opens it.
        dependencies=[Depends(current_caller)],
    )
    app.state.service = service
    answer_framework_errors_as_problems(app)
    guard(app, Gate(service))
    document_the_contract(app)
    add_event_routes(app, service)
    add_follow_up_routes(app, service)
    add_directory_routes(app, service)
    add_form_routes(app, service)
    add_notification_routes(app, service)
    add_repayment_routes(app, service)
    add_budget_routes(app, service)
    add_queue_routes(app, service)
    add_compliance_routes(app, service)
    add_probe_routes(app, service)
    add_dead_letter_routes(app, service)
    add_audit_routes(app, service)
    add_report_routes(app, service)
    add_people_report_routes(app, service)

    @app.get("/requests/{request_id}", response_model=RequestView, responses=views.NOT_FOUND)
    async def get_request(request_id: str, caller: CallerDep) -> Response:
        await http_reach.may_read_request(service, caller, request_id)
        found = await service.store.get_request(request_id)
        if found is None:
            return views.unknown_request(request_id)
        view = views.request(found)
        mail = await service.mail.of_request(request_id)
        view.notifications = [NotificationView.model_validate(m) for m in mail]
        return views.ok(view)

    @app.get("/requests/{request_id}/history", response_model=History, responses=views.NOT_FOUND)
    async def get_history(request_id: str, caller: CallerDep) -> Response:
        """Every applied event and follow-up for a request, oldest first."""
        await http_reach.may_read_request(service, caller, request_id)
        entries = await service.store.history(request_id)
        if not entries:
            return views.unknown_request(request_id)
        return views.ok(
            History(request_id=request_id, entries=[views.history_entry(e) for e in entries])
        )

    @app.get(
        "/health",
        response_model=Health,
        responses={503: {"model": Health, "description": "database or broker unreachable"}},
    )
    async def health() -> Response:
        report = Health.model_validate(await service.health())
        return views.ok(report, 200 if report.status == "ok" else 503)

    @app.get("/schemas", response_model=SchemaCatalogue)
    async def list_schemas() -> Response:
        """The JSON Schema of every event, inbound and outbound."""
        catalogue = SchemaCatalogue(inbound=sorted(INBOUND_DATA), schemas=all_schemas())
        return views.ok(catalogue)

    @app.get("/asyncapi.json", response_model=dict[str, Any])
    async def asyncapi() -> JSONResponse:
        """The AsyncAPI document of the broker side: what is published and consumed."""
        from faststream.specification import AsyncAPI

        spec = AsyncAPI(
            service.broker.broker,
            title="cpd-workflow",
            version="0.1.0",
            description=f"Inbound: {service.broker.inbound_address}",
        )
        return JSONResponse(spec.to_specification().to_jsonable())

    return app
