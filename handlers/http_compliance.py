"""HTTP reads of obligations: a school's compliance list, a person's CPD agreed in appraisal
and their CPD hours, and an in-house session as recorded."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated

from fastapi import FastAPI, Query, Response

from handlers import http_reach, views
from handlers.http_access import CallerDep
from handlers.service import Service
from schemas.http_bodies import (
    AgreedCpd,
    ComplianceReport,
    ComplianceRow,
    CpdHoursView,
    SessionView,
)
from workflow.compliance import (
    EXPIRING_WITHIN_DAYS,
    Status,
    agreed_for,
    compliance_of,
    cpd_hours,
    session_view,
)
from workflow.directory import StaffMember, school_as_of, staff_as_of
from workflow.errors import DomainError
from workflow.model import local_today
from workflow.store import Store

SCHOOL = Query(description="one school (all of it within reach); none: every school you read")


def add_compliance_routes(app: FastAPI, service: Service) -> None:
    @app.get("/compliance", response_model=ComplianceReport, responses=views.NOT_FOUND)
    async def compliance(
        caller: CallerDep, school_id: Annotated[str | None, SCHOOL] = None
    ) -> Response:
        """For each person of the school and each statutory kind their roles require under
        the school's policy set: `expired`, `expiring` (within 90 days), `valid` or `missing`."""
        schools = await http_reach.schools_to_report(service, caller, school_id)
        now = service.clock.now()
        rows: list[ComplianceRow] = []
        for school in schools:
            rows += await service.store.on_reader(_school_rows, service.store, school, now)
        if school_id is not None and not rows and await _unknown_school(service, school_id):
            return views.error(404, "unknown_school", f"no school '{school_id}'")
        report = ComplianceReport(
            school_id=school_id,
            on=local_today(service.store.governance.library.default, now).isoformat(),
            expiring_within_days=EXPIRING_WITHIN_DAYS,
            summary={s.value: n for s, n in _counts(rows).items()},
            items=rows,
        )
        return views.ok(report)

    @app.get("/staff/{staff_id}/agreed-cpd", response_model=AgreedCpd, responses=views.NOT_FOUND)
    async def agreed_cpd(staff_id: str, caller: CallerDep) -> Response:
        """Each item of CPD agreed in the person's appraisals, newest cycle first, and
        whether the school provided it (a linked request completed, a session recorded)."""
        member = await _person(service, caller, staff_id)
        if member is None:
            return views.error(404, "unknown_staff", f"no staff member '{staff_id}'")
        items = await service.store.on_reader(agreed_for, staff_id)
        return views.ok(AgreedCpd.model_validate({"staff_id": staff_id, "items": items}))

    @app.get("/staff/{staff_id}/cpd-hours", response_model=CpdHoursView, responses=views.NOT_FOUND)
    async def hours(
        staff_id: str,
        caller: CallerDep,
        from_date: Annotated[date | None, Query(description="first day, inclusive")] = None,
        to_date: Annotated[date | None, Query(description="last day, inclusive")] = None,
    ) -> Response:
        """The person's CPD hours: completed requests that give `hours`, sessions attended."""
        member = await _person(service, caller, staff_id)
        if member is None:
            return views.error(404, "unknown_staff", f"no staff member '{staff_id}'")
        found = await service.store.on_reader(cpd_hours, staff_id, from_date, to_date)
        view = CpdHoursView(
            staff_id=staff_id,
            from_date=from_date.isoformat() if from_date else None,
            to_date=to_date.isoformat() if to_date else None,
            requests_hours=str(found.requests),
            sessions_hours=str(found.sessions),
            total_hours=str(found.total),
        )
        return views.ok(view)

    @app.get("/sessions/{session_id}", response_model=SessionView, responses=views.NOT_FOUND)
    async def session(session_id: str, caller: CallerDep) -> Response:
        """An in-house session as recorded, its attendance now and every correction."""
        found = await service.store.on_reader(session_view, session_id)
        if found is None:
            return views.error(404, "unknown_session", f"no session '{session_id}'")
        await http_reach.may_read_school(service, caller, found["school_id"])
        return views.ok(SessionView.model_validate(found))


async def _person(service: Service, caller: CallerDep, staff_id: str) -> StaffMember | None:
    member = await service.store.on_reader(staff_as_of, staff_id, service.clock.now())
    if member is not None:
        await http_reach.may_read_development(service, caller, member)
    return member


def _school_rows(
    db: sqlite3.Connection, store: Store, school_id: str, now: datetime
) -> list[ComplianceRow]:
    try:
        policy = store.governance.for_new_request(db, school_id, now)
    except DomainError:  # a set not loaded, or none in force: no rules to judge by
        return []
    found = compliance_of(db, school_id, policy, now)
    return [
        ComplianceRow(
            **{
                **asdict(row),
                "valid_until": row.valid_until.isoformat() if row.valid_until else None,
            },
            school_id=school_id,
        )
        for row in found.rows
    ]


def _counts(rows: list[ComplianceRow]) -> dict[Status, int]:
    counted = Counter(Status(row.status) for row in rows)
    return {status: counted.get(status, 0) for status in Status}


async def _unknown_school(service: Service, school_id: str) -> bool:
    found = await service.store.on_reader(school_as_of, school_id, service.clock.now())
    return found is None
