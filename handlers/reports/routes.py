"""`GET /reports/termly` and `GET /reports/trust`: the reports as JSON, CSV or an HTML page
(`?format=`), for the schools the caller may read whole."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request, Response

from handlers import views
from handlers.http_access import CallerDep
from handlers.reports.answer import FORMAT, REPORT_RESPONSES, ReportFormat, report_response
from handlers.reports.calendar import report_calendar, school_report_calendars
from handlers.reports.reach import may_read_termly, trust_schools
from handlers.reports.reading import read_report
from handlers.service import Service
from schemas.http_bodies.reports import ReportBody
from workflow.directory import school_as_of
from workflow.reports.context import ReportContext
from workflow.reports.periods import InvalidPeriod
from workflow.reports.termly import termly_report
from workflow.reports.trust import trust_report

TERM = Query(
    description="the term, named by its calendar year: 2026-autumn (September to December),"
    " 2027-spring (January to the end of the Easter holiday), 2027-summer (to August)",
    pattern=r"^\d{4}-(autumn|spring|summer)$",
    examples=["2026-autumn"],
)
SCHOOL = Query(description="the school, whole within the caller's reach", min_length=1)
FROM = Query(alias="from", description="first day, inclusive (YYYY-MM-DD)", examples=["2026-09-01"])
TO = Query(
    description="last day, inclusive; at most five years after from", examples=["2027-08-31"]
)
RESPONSES = {**REPORT_RESPONSES, **views.NOT_FOUND}


def context_of(service: Service) -> ReportContext:
    calendar = report_calendar(service.calendar)
    by_school = school_report_calendars(service.calendars)
    return ReportContext(service.store.governance, calendar, service.clock.now(), by_school)


def add_report_routes(app: FastAPI, service: Service) -> None:
    database = service.settings.database_path

    @app.get("/reports/termly", response_model=ReportBody, responses=RESPONSES)
    async def termly(
        request: Request,
        caller: CallerDep,
        school_id: Annotated[str, SCHOOL],
        term: Annotated[str, TERM],
        format: Annotated[ReportFormat | None, FORMAT] = None,
    ) -> Response:
        """One school's term for its governors: requests by state, approvals and rejections
        with the median school days to decide, spending against the budget and by SIP
        priority and activity, supply cover, evaluations, dissemination, impact reviews,
        statutory compliance, agreed CPD not yet provided, INSET and in-house hours."""
        now = service.clock.now()
        if await service.store.on_reader(school_as_of, school_id, now) is None:
            return views.error(404, "unknown_school", f"no school '{school_id}'")
        await may_read_termly(service, caller, school_id)
        return await answered(
            request, format, database, termly_report, context_of(service), school_id, term
        )

    @app.get("/reports/trust", response_model=ReportBody, responses=RESPONSES)
    async def trust(
        request: Request,
        caller: CallerDep,
        from_: Annotated[date, FROM],
        to: Annotated[date, TO],
        format: Annotated[ReportFormat | None, FORMAT] = None,
    ) -> Response:
        """Every school of the trust side by side over any period, for trustees: the termly
        report's figures, with spending per member of staff. Needs an executive lead or a
        trustee (or a system's key: every school)."""
        schools = await trust_schools(service, caller)
        return await answered(
            request, format, database, trust_report, context_of(service), schools, from_, to
        )


async def answered(
    request: Request, asked: ReportFormat | None, database: Path, make: Any, *args: object
) -> Response:
    """The report `make` draws from one snapshot, in the form asked for (or accepted);
    a period that is not one answers 422 naming its parameter."""
    try:
        report = await read_report(database, make, *args)
    except InvalidPeriod as error:
        return bad_period(error)
    return report_response(report, asked, request.headers.get("accept"))


def bad_period(error: InvalidPeriod) -> Response:
    problem = {"loc": ["query", error.parameter], "msg": error.reason, "type": "value_error"}
    return views.error(422, "invalid_parameters", error.reason, problems=[problem])
