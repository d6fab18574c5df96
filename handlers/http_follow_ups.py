"""HTTP reads of follow-ups: one request's, and a school's overdue list."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Annotated

from fastapi import FastAPI, Query, Response

from handlers import views
from handlers.service import Service
from scheduler.policy import KINDS
from schemas.http_bodies import DueFollowUps, RequestFollowUps


def add_follow_up_routes(app: FastAPI, service: Service) -> None:
    @app.get(
        "/requests/{request_id}/follow-ups",
        response_model=RequestFollowUps,
        responses=views.NOT_FOUND,
    )
    async def request_follow_ups(request_id: str) -> Response:
        """Every follow-up of a request: pending, fired (with how late) and cancelled."""
        if await service.store.get_request(request_id) is None:
            return views.unknown_request(request_id)
        rows = await service.follow_ups.for_request(request_id)
        body = {"request_id": request_id, "follow_ups": [asdict(r) for r in rows]}
        return views.ok(RequestFollowUps.model_validate(body))

    @app.get("/follow-ups", response_model=DueFollowUps)
    async def due_follow_ups(
        due_before: Annotated[datetime | None, Query(description="default: now")] = None,
        kind: Annotated[str | None, Query(description=f"one of {', '.join(KINDS)}")] = None,
        school_id: str | None = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    ) -> Response:
        """Pending follow-ups due before a moment: a school's overdue list."""
        if kind is not None and kind not in KINDS:
            return views.error(422, "unknown_kind", f"kind must be one of {list(KINDS)}")
        before = due_before or service.clock.now()
        if before.tzinfo is None:
            before = before.replace(tzinfo=UTC)
        rows = await service.follow_ups.due(
            before=before, kind=kind, school_id=school_id, limit=limit
        )
        body = {"due_before": before.isoformat(), "follow_ups": [asdict(r) for r in rows]}
        return views.ok(DueFollowUps.model_validate(body))
