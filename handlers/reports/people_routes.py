"""The reports about people and what they took part in: a person's portfolio, equality of
access, the provider scorecard and a school's annual review of CPD undertaken, each as
JSON, CSV or a printable page (`?format=`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import FastAPI, Header, Query, Response

from handlers import http_reach, views
from handlers.http_access import CallerDep
from handlers.reports.answer import FORMAT, REPORT_RESPONSES, ReportFormat, report_response
from handlers.reports.calendar import report_calendar
from handlers.service import Service
from schemas.http_bodies import ReportBody
from workflow.access import Caller, OutOfReach
from workflow.directory import school_as_of
from workflow.reports.annual_review import annual_review_report
from workflow.reports.equality import equality_report
from workflow.reports.gather import (
    equality_facts,
    known_schools,
    portfolio_facts,
    school_year_facts,
    trusts_of,
)
from workflow.reports.periods import (
    InvalidPeriod,
    Period,
    TermDates,
    academic_year,
    date_range,
)
from workflow.reports.portfolio import portfolio_report
from workflow.reports.providers import providers_report
from workflow.reports.request_facts import requests_starting

FormatQuery = Annotated[ReportFormat | None, FORMAT]
AcceptHeader = Annotated[str | None, Header(include_in_schema=False)]
FROM = Query(alias="from", description="first day, inclusive (YYYY-MM-DD)")
TO = Query(description="last day, inclusive (YYYY-MM-DD); at most five years after from")
SCHOOL = Query(description="one school (all of it within reach); none: each trust you read whole")
YEAR = Query(
    description="the academic year, September to August",
    pattern=r"^\d{4}-\d{2}$",
    examples=["2026-27"],
)
ANSWERS = {**REPORT_RESPONSES, **views.NOT_FOUND}


def add_people_report_routes(app: FastAPI, service: Service) -> None:
    @app.get("/staff/{staff_id}/portfolio", response_model=ReportBody, responses=ANSWERS)
    async def portfolio(
        staff_id: str, caller: CallerDep, format: FormatQuery = None, accept: AcceptHeader = None
    ) -> Response:
        """The person's professional development record: every request and in-house session
        (dates, hours, provider, cost, evaluation, dissemination, impact review), the
        statutory training they hold and its expiry, and the CPD agreed in their appraisals
        and whether it was provided. Read as their requests are."""
        now = service.clock.now()
        facts = await service.store.on_reader(portfolio_facts, staff_id, now)
        if facts is None:
            return views.error(404, "unknown_staff", f"no staff member '{staff_id}'")
        await http_reach.may_read_development(service, caller, facts.person)
        return report_response(portfolio_report(facts, now), format, accept)

    @app.get("/reports/equality", response_model=ReportBody, responses=ANSWERS)
    async def equality(
        first: Annotated[date, FROM],
        to: Annotated[date, TO],
        caller: CallerDep,
        school_id: Annotated[str | None, SCHOOL] = None,
        format: FormatQuery = None,
        accept: AcceptHeader = None,
    ) -> Response:
        """Requests, approvals, school spend and CPD hours of each staff group, per school
        and trust-wide; a group of fewer than 5 people is suppressed."""
        try:
            period = date_range(first, to)
        except InvalidPeriod as error:
            return _bad_period(error)
        now = service.clock.now()
        if school_id is not None:
            if await service.store.on_reader(school_as_of, school_id, now) is None:
                return views.error(404, "unknown_school", f"no school '{school_id}'")
            await http_reach.may_read_school_reports(service, caller, school_id)
            schools, trusts = [school_id], {}
        else:
            trusts = await _trusts_in_reach(service, caller)
            schools = [s for members in trusts.values() for s in members]
        facts = await service.store.on_reader(
            equality_facts, period.first, period.last, schools, trusts, now
        )
        report = equality_report(
            facts.units,
            facts.members,
            facts.requests,
            facts.sessions,
            (period.first, period.last),
            _asked({"from": period.first, "to": period.last, "school_id": school_id}),
            now,
        )
        return report_response(report, format, accept)

    @app.get("/reports/providers", response_model=ReportBody, responses=ANSWERS)
    async def providers(
        first: Annotated[date, FROM],
        to: Annotated[date, TO],
        caller: CallerDep,
        format: FormatQuery = None,
        accept: AcceptHeader = None,
    ) -> Response:
        """Each provider's participants (its completed requests), average rating, share who
        recommend it (over evaluations returned), cost per participant and per hour, and
        its trend term by term, over every school of each trust the caller reads whole."""
        try:
            period = date_range(first, to)
        except InvalidPeriod as error:
            return _bad_period(error)
        trusts = await _trusts_in_reach(service, caller)
        schools = [s for members in trusts.values() for s in members]
        found = await service.store.on_reader(requests_starting, period.first, period.last, schools)
        dates = term_dates(service)
        terms = [t.label for t in terms_touching(period, dates)]
        now = service.clock.now()
        report = providers_report(
            found,
            terms,
            lambda day: dates.term_of(day).label,
            (period.first, period.last),
            _asked({"from": period.first, "to": period.last}),
            now,
        )
        return report_response(report, format, accept)

    @app.get("/reports/annual-review", response_model=ReportBody, responses=ANSWERS)
    async def annual_review(
        school_id: Annotated[str, Query(description="the school reviewed (all of it in reach)")],
        year: Annotated[str, YEAR],
        caller: CallerDep,
        format: FormatQuery = None,
        accept: AcceptHeader = None,
    ) -> Response:
        """The annual review of CPD undertaken (policy 003): the school's completed requests
        and in-house sessions of the academic year, with the benefits recorded in their
        evaluations and impact reviews."""
        try:
            period = academic_year(year)
        except InvalidPeriod as error:
            return _bad_period(error)
        now = service.clock.now()
        school = await service.store.on_reader(school_as_of, school_id, now)
        if school is None:
            return views.error(404, "unknown_school", f"no school '{school_id}'")
        await http_reach.may_read_school_reports(service, caller, school_id)
        requests, sessions = await service.store.on_reader(
            school_year_facts, school_id, period.first, period.last
        )
        dates = term_dates(service)
        report = annual_review_report(
            (school_id, school.name),
            (period.label, period.first, period.last),
            requests,
            sessions,
            lambda day: dates.term_of(day).label,
            [t.label for t in terms_touching(period, dates)],
            now,
        )
        return report_response(report, format, accept)


def term_dates(service: Service) -> TermDates:
    return report_calendar(service.calendar).terms


def terms_touching(period: Period, dates: TermDates) -> list[Period]:
    found = [dates.term_of(period.first)]
    while found[-1].last < period.last:
        found.append(dates.term_of(found[-1].last + timedelta(days=1)))
    return found


async def _trusts_in_reach(service: Service, caller: Caller | None) -> dict[str, list[str]]:
    """The trusts the caller reads whole (every school of each), with their schools."""
    schools = await service.store.on_reader(known_schools, service.clock.now())
    within = await http_reach.reach(service, caller)
    trusts = {
        trust: members
        for trust, members in trusts_of(schools).items()
        if all(within.covers_whole_school(s) for s in members)
    }
    if caller is not None and caller.limited_to_reach and not trusts:
        raise OutOfReach(
            f"a trust-wide report needs every school of a trust within reach; '{caller.client}'"
            f" (acting as {caller.staff_id}) reads no whole trust"
        )
    return trusts


def _asked(given: dict[str, date | str | None]) -> dict[str, str]:
    return {k: str(v) for k, v in given.items() if v is not None}


def _bad_period(error: InvalidPeriod) -> Response:
    problem = {"loc": ["query", error.parameter], "msg": str(error), "type": "value_error"}
    return views.error(422, "invalid_parameters", str(error), problems=[problem])
