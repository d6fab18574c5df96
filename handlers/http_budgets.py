"""`GET /budgets/{school_id}`: a school's CPD budget for a financial year, and its ledger."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Query, Response

from handlers import http_reach, views
from handlers.http_access import CallerDep
from handlers.service import Service
from schemas.budgets import year_starting
from schemas.http_bodies import BudgetView
from workflow.budgets.view import NotAYear, budget_year
from workflow.directory import school_as_of

YEAR = Query(
    description="the financial year, e.g. 2026-27 (default: the school's current one)",
    examples=["2026-27"],
)


def add_budget_routes(app: FastAPI, service: Service) -> None:
    @app.get("/budgets/{school_id}", response_model=BudgetView, responses=views.NOT_FOUND)
    async def get_budget(
        school_id: str, caller: CallerDep, year: Annotated[str | None, YEAR] = None
    ) -> Response:
        """The school's budget for the year (`budget_gbp` null when none is set), what its
        requests have committed and spent, what remains, every ledger row (budgets set,
        money committed, released and spent) and every approval that overrode the budget."""
        if year is not None and (wrong := _not_a_year(year)) is not None:
            return wrong
        now = service.clock.now()
        if await service.store.on_reader(school_as_of, school_id, now) is None:
            return views.error(404, "unknown_school", f"no school '{school_id}'")
        await http_reach.may_read_school_reports(service, caller, school_id)
        store = service.store
        try:
            body = await store.on_reader(budget_year, store.governance, school_id, year, now)
        except NotAYear as error:
            return _bad_year(str(error))
        return views.ok(BudgetView.model_validate(body))


def _not_a_year(year: str) -> Response | None:
    try:
        year_starting(year)
    except ValueError as error:
        return _bad_year(str(error))
    return None


def _bad_year(message: str) -> Response:
    problem = {"loc": ["query", "year"], "msg": message, "type": "value_error"}
    return views.error(422, "invalid_parameters", message, problems=[problem])
