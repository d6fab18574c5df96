"""GET /repayments: the claims on leavers for the training the school paid for."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import FastAPI, Query, Response

from handlers import http_reach, views
from handlers.http_access import CallerDep
from handlers.service import Service
from schemas.http_bodies import RepaymentClaims
from workflow.access import check_school_list
from workflow.repayment import claims


def add_repayment_routes(app: FastAPI, service: Service) -> None:
    @app.get("/repayments", response_model=RepaymentClaims)
    async def list_repayments(
        caller: CallerDep,
        school_id: Annotated[str | None, Query(description="one school's claims")] = None,
        status: Annotated[Literal["open", "confirmed", "waived"] | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    ) -> Response:
        """Repayment claims, newest first. A person reads a school's claims only when the
        whole school is within their reach; without `school_id`, the claims of the
        schools they read and any on themselves."""
        within = await http_reach.reach(service, caller)
        if caller is not None and school_id is not None:
            check_school_list(caller, within, school_id)
        schools = None if within.everything else within.schools
        found = await service.store.on_reader(
            lambda db: claims.listed(
                db,
                school_id=school_id,
                status=status,
                schools=schools,
                staff_id=within.staff_id,
                limit=limit,
            )
        )
        return views.ok(RepaymentClaims.model_validate({"items": [asdict(c) for c in found]}))
