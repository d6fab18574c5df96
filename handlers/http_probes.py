"""What a load balancer, a monitor and Prometheus ask: is the process alive, may it take
work, and how much is waiting (`/health` keeps its own, older answer)."""

from __future__ import annotations

import asyncio
import os

from fastapi import FastAPI, Response

from handlers import views
from handlers.metrics import CONTENT_TYPE, Observed
from handlers.readiness import ReadinessProbe
from handlers.service import Service
from schemas.http_bodies import Liveness, ProbeCheck, Readiness
from workflow.store import backlog
from workflow.store.backlog import Waiting

BROKER_WITHIN = 2.0  # a scrape still answers, without the broker's count, if it is slow
METRICS_DOC = {
    200: {
        "description": "the service's metrics in the Prometheus text format (0.0.4)",
        "content": {CONTENT_TYPE: {"schema": {"type": "string"}}},
    }
}


def add_probe_routes(app: FastAPI, service: Service) -> None:
    ready = ReadinessProbe(service)

    @app.get("/health/live", response_model=Liveness)
    async def live() -> Response:
        """The process answers (its event loop runs): restart it only when this fails."""
        check = ProbeCheck(name="process", ok=True, detail=f"pid {os.getpid()} answering")
        return views.ok(Liveness(status="ok", checks=[check]))

    @app.get(
        "/health/ready",
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "a check failed: `failed` names it"}},
    )
    async def readiness() -> Response:
        """The database takes a write, the broker answers, the embedded NATS server runs;
        `warnings`: mail server unreachable, term dates ending within 90 days."""
        report = await ready()
        return views.ok(report, 200 if report.status == "ok" else 503)

    @app.get("/metrics", response_class=Response, responses=METRICS_DOC)  # type: ignore[arg-type]
    async def metrics() -> Response:
        """Events applied, refused and dead-lettered, apply latency, what is waiting."""
        observed = await observe(service)
        return Response(service.metrics.render(observed), media_type=CONTENT_TYPE)


async def observe(service: Service) -> Observed:
    store, now = service.store, service.clock.now()
    waiting = await store.on_reader(backlog.read, now)
    inbound: Waiting | None
    try:
        inbound = await asyncio.wait_for(service.broker.inbound_backlog(), BROKER_WITHIN)
    except Exception:  # unreachable or slow: the figures it cannot give are left out
        inbound = None
    return Observed(
        backlog=waiting,
        now=now,
        inbound=inbound,
        database_bytes=backlog.database_bytes(service.settings.database_path),
        nats_restarts=service.embedded.restarts if service.embedded else None,
        mail_sent=service.mail.sender.sent,
    )
