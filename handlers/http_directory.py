"""HTTP reads of the staff directory: a person's or a school's record, now or as of a moment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import FastAPI, Query, Response

from handlers import views
from handlers.service import Service
from schemas.http_bodies import SchoolView, StaffView
from workflow.directory import School, StaffMember, schools_acted_for, staff_as_of
from workflow.directory import school_as_of as school_record
from workflow.policy import DEFAULT_POLICY_ID

AT = Query(description="the record as it stood then (default: now)")


def add_directory_routes(app: FastAPI, service: Service) -> None:
    @app.get("/staff/{staff_id}", response_model=StaffView, responses=views.NOT_FOUND)
    async def get_staff(staff_id: str, at: Annotated[datetime | None, AT] = None) -> Response:
        """A member of staff as the HR system last said (a leaver still answers, with
        `left_on`), and the schools each of their roles acts for."""
        moment = _moment(service, at)
        member = await service.store.on_reader(staff_as_of, staff_id, moment)
        if member is None:
            return views.error(404, "unknown_staff", f"no staff member '{staff_id}'")
        acts_for = await service.store.on_reader(_acts_for, member, moment)
        return views.ok(staff_view(member, moment, acts_for))

    @app.get("/schools/{school_id}", response_model=SchoolView, responses=views.NOT_FOUND)
    async def get_school(school_id: str, at: Annotated[datetime | None, AT] = None) -> Response:
        """A school: its name, trust and the policy set that governs it."""
        school = await service.store.on_reader(school_record, school_id, _moment(service, at))
        if school is None:
            return views.error(404, "unknown_school", f"no school '{school_id}'")
        return views.ok(school_view(school))


def staff_view(member: StaffMember, at: datetime, acts_for: dict[str, list[str]]) -> StaffView:
    return StaffView.model_validate(
        {
            **member.to_record(),
            "valid_from": member.valid_from.isoformat(),
            "can_act": member.can_act_at(at),
            "acts_for": acts_for,
        }
    )


def school_view(school: School) -> SchoolView:
    return SchoolView.model_validate(
        {
            **school.to_record(),
            "policy_set": school.policy_id or DEFAULT_POLICY_ID,
            "valid_from": school.valid_from.isoformat(),
        }
    )


def _acts_for(db: Any, member: StaffMember, at: datetime) -> dict[str, list[str]]:
    return {
        role: sorted(schools_acted_for(db, member.staff_id, at, role))
        for role in sorted(member.roles)
    }


def _moment(service: Service, at: datetime | None) -> datetime:
    if at is None:
        return service.clock.now()
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
