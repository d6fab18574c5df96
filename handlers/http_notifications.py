"""HTTP reads of the mail queue: what was queued, sent, failed and cancelled."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query, Response

from handlers import views
from handlers.mail.records import STATUSES
from handlers.service import Service
from schemas.http_bodies import Notifications


def add_notification_routes(app: FastAPI, service: Service) -> None:
    @app.get("/notifications", response_model=Notifications)
    async def list_notifications(
        status: Annotated[str | None, Query(description=", ".join(STATUSES))] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> Response:
        """Mail, newest first: `at` is when it was sent, when it failed or was cancelled, or
        (queued) when it is next tried."""
        if status is not None and status not in STATUSES:
            return views.error(422, "unknown_status", f"status must be one of {list(STATUSES)}")
        items = await service.mail.listed(status, limit)
        return views.ok(Notifications.model_validate({"items": items}))
