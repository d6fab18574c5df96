"""The reports about people and what they took part in: a person's portfolio, equality of
access, the provider scorecard and a school's annual review of CPD undertaken, each as
JSON, CSV or a printable page (`?format=`), read like the termly and trust reports (one
read-only snapshot, handlers/reports/reading.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import FastAPI, Query, Request, Response

from handlers import http_reach, views
from handlers.http_access import CallerDep
from handlers.reports.answer import FORMAT, ReportFormat, report_response
from handlers.reports.reach import trust_schools
from handlers.reports.reading import read_report
from handlers.reports.routes import FROM, RESPONSES, TO, answered, bad_period, context_of
from handlers.service import Service
from schemas.http_bodies.reports import ReportBody
from workflow.directory import school_as_of, staff_as_of
from workflow.reports.people_reports import (
    annual_review_of,
    equality_of,
    portfolio_of,
    providers_of,
)
from workflow.reports.periods import InvalidPeriod

FormatQuery = Annotated[ReportFormat | None, FORMAT]
SCHOOL = Query(
    description="one school (all of it within reach); none: every school of the trust you"
    " lead or govern, and the trust as a whole",
    min_length=1,
)
REVIEWED = Query(description="the school reviewed (all of it within reach)", min_length=1)
YEAR = Query(
    description="the academic year, September to August",
    pattern=r"^\d{4}-\d{2}$",
    examples=["2026-27"],
)


def add_people_report_routes(app: FastAPI, service: Service) -> None:
    database = service.settings.database_path

    @app.get("/staff/{staff_id}/portfolio", response_model=ReportBody, responses=RESPONSES)
    async def portfolio(
        request: Request, staff_id: str, caller: CallerDep, format: FormatQuery = None
    ) -> Response:
        """The person's professional development record: every request and in-house session
        (dates, hours, provider, cost, evaluation, dissemination, impact review), the
        statutory training they hold and its expiry, and the CPD agreed in their appraisals
        and whether it was provided. Read as their requests are: themselves, their line
        manager, their school's head teachers and CPD leads, the trust's leaders."""
        member = await service.store.on_reader(staff_as_of, staff_id, service.clock.now())
        if member is None:
            return views.error(404, "unknown_staff", f"no staff member '{staff_id}'")
        await http_reach.may_read_development(service, caller, member)
        report = await read_report(database, portfolio_of, context_of(service), staff_id)
        if report is None:  # never: nobody leaves the directory, but never answer 500
            return views.error(404, "unknown_staff", f"no staff member '{staff_id}'")
        return report_response(report, format, request.headers.get("accept"))

    @app.get("/reports/equality", response_model=ReportBody, responses=RESPONSES)
    async def equality(
        request: Request,
        caller: CallerDep,
        from_: Annotated[date, FROM],
        to: Annotated[date, TO],
        school_id: Annotated[str | None, SCHOOL] = None,
        format: FormatQuery = None,
    ) -> Response:
        """Requests, approvals, school spend and CPD hours of each staff group (teaching,
        support, leadership, governors; full-time, part-time; early career teachers), per
        school and trust-wide. A group of fewer than 5 people is suppressed, with whatever
        would give its figures back."""
        schools: list[str] = []
        if school_id is not None:
            if await service.store.on_reader(school_as_of, school_id, service.clock.now()) is None:
                return views.error(404, "unknown_school", f"no school '{school_id}'")
            await http_reach.may_read_school_reports(service, caller, school_id)
        else:
            schools = await trust_schools(service, caller)
        context = context_of(service)
        return await answered(
            request, format, database, equality_of, context, from_, to, schools, school_id
        )

    @app.get("/reports/providers", response_model=ReportBody, responses=RESPONSES)
    async def providers(
        request: Request,
        caller: CallerDep,
        from_: Annotated[date, FROM],
        to: Annotated[date, TO],
        format: FormatQuery = None,
    ) -> Response:
        """Each provider's participants (its completed requests), average rating, share who
        recommend it (over evaluations returned), cost per participant and per hour, and
        its trend term by term, over every school of the trust the caller leads or governs."""
        schools = await trust_schools(service, caller)
        return await answered(
            request, format, database, providers_of, context_of(service), from_, to, schools
        )

    @app.get("/reports/annual-review", response_model=ReportBody, responses=RESPONSES)
    async def annual_review(
        request: Request,
        caller: CallerDep,
        school_id: Annotated[str, REVIEWED],
        year: Annotated[str, YEAR],
        format: FormatQuery = None,
    ) -> Response:
        """The annual review of CPD undertaken (policy 003): the school's completed requests
        and in-house sessions of the academic year, with the benefits recorded in their
        evaluations and impact reviews."""
        if await service.store.on_reader(school_as_of, school_id, service.clock.now()) is None:
            return views.error(404, "unknown_school", f"no school '{school_id}'")
        await http_reach.may_read_school_reports(service, caller, school_id)
        try:
            report = await read_report(
                database, annual_review_of, context_of(service), school_id, year
            )
        except InvalidPeriod as error:
            return bad_period(error)
        if report is None:  # never: no school leaves the directory, but never answer 500
            return views.error(404, "unknown_school", f"no school '{school_id}'")
        return report_response(report, format, request.headers.get("accept"))
