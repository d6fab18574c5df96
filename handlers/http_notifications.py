"""HTTP reads of the mail queue: what was queued, sent and failed."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse

from handlers import views
from handlers.mail.records import STATUSES
from handlers.service import Service


def add_notification_routes(app: FastAPI, service: Service) -> None:
    @app.get("/notifications")
    async def list_notifications(
        status: Annotated[str | None, Query(description="queued, sent or failed")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> JSONResponse:
        """Mail, newest first: `at` is when it was sent, when it failed, or (queued) when
        it is next tried."""
        if status is not None and status not in STATUSES:
            return views.error(422, "unknown_status", f"status must be one of {list(STATUSES)}")
        return JSONResponse({"items": await service.mail.listed(status, limit)})
