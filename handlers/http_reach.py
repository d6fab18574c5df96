"""The checks a route makes once it knows what is asked for: may this caller post this
event, may it read this request, person, school or event status.

Each takes the caller `current_caller` gave (None: access is off, everything allowed)
and raises an AccessRefused, which the app answers (403) and logs.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from handlers.service import Service
from schemas import CLIENT_EXTENSION, CloudEvent
from workflow.access import (
    EVERYTHING,
    READING_ROLES,
    Caller,
    OutOfReach,
    Reach,
    check_event,
    check_person,
    check_post,
    check_request,
    check_school,
    check_school_list,
    needs_directory,
    reach_of,
)
from workflow.compliance import session_view
from workflow.directory import StaffMember, acting_member, direct_reports, schools_acted_for
from workflow.directory import staff_as_of as staff_record
from workflow.directory.store import schools_as_of
from workflow.store import EventStatus


async def may_post(service: Service, caller: Caller | None, event: CloudEvent) -> None:
    """Check the event against the caller, then record the caller on it as its client
    (`cpdclient`), whatever the body said; with access off, no client is recorded."""
    extensions = event.__pydantic_extra__
    assert extensions is not None  # CloudEvent allows extension attributes
    if caller is None:
        extensions.pop(CLIENT_EXTENSION, None)
        return
    is_person = needs_directory(caller, event.type) and await service.store.on_reader(
        can_act, event.actor, service.clock.now()
    )
    check_post(caller, event.type, event.actor, is_person)
    extensions[CLIENT_EXTENSION] = caller.client


async def reach(service: Service, caller: Caller | None) -> Reach:
    if caller is None or not caller.limited_to_reach:
        return EVERYTHING
    assert caller.staff_id is not None
    return await service.store.on_reader(_reach, caller.staff_id, service.clock.now())


async def may_read_request(service: Service, caller: Caller | None, request_id: str) -> None:
    """Within reach, or unknown (the route answers 404)."""
    if caller is None or not caller.limited_to_reach:
        return
    found = await service.store.get_request(request_id)
    if found is not None:
        within = await reach(service, caller)
        check_request(caller, within, request_id, found.staff_id, found.school_id)


async def may_read_events(
    service: Service, caller: Caller | None, statuses: list[EventStatus]
) -> None:
    if caller is None or not caller.limited_to_reach:
        return
    within = await reach(service, caller)
    for status in statuses:
        subject = status.request_id or ""
        found = await service.store.get_request(subject)
        if found is not None:
            check_event(caller, within, status.event_id, request=(found.staff_id, found.school_id))
            continue
        member = await service.store.on_reader(staff_record, subject, service.clock.now())
        if member is not None:
            check_event(caller, within, status.event_id, person=(subject, member.schools))
            continue
        session = await service.store.on_reader(session_view, subject)
        school = session["school_id"] if session is not None else subject
        check_event(caller, within, status.event_id, school=school)


async def may_read_person(service: Service, caller: Caller | None, member: StaffMember) -> None:
    if caller is not None and caller.limited_to_reach:
        check_person(caller, await reach(service, caller), member.staff_id, member.schools)


async def may_read_school(service: Service, caller: Caller | None, school_id: str) -> None:
    if caller is not None and caller.limited_to_reach:
        check_school(caller, await reach(service, caller), school_id)


async def may_read_school_reports(service: Service, caller: Caller | None, school_id: str) -> None:
    """A school's reports (its budget and ledger) need the whole school within reach."""
    if caller is not None and caller.limited_to_reach:
        check_school_list(caller, await reach(service, caller), school_id)


async def follow_ups_within(
    service: Service, caller: Caller | None, school_id: str | None
) -> Reach:
    """The reach a follow-up list is filtered to; a school's list needs all the school."""
    within = await reach(service, caller)
    if caller is not None and school_id is not None:
        check_school_list(caller, within, school_id)
    return within


async def may_read_development(
    service: Service, caller: Caller | None, member: StaffMember
) -> None:
    """A person's CPD record (agreed CPD, hours) reads like their requests: themselves, their
    line manager, their schools' head teachers and CPD leads, the trust's leaders."""
    if caller is None or not caller.limited_to_reach:
        return
    within = await reach(service, caller)
    if not any(within.covers_request(member.staff_id, school) for school in member.schools):
        raise OutOfReach(
            f"the CPD record of {member.staff_id} is outside what '{caller.client}'"
            f" (acting as {caller.staff_id}) may read"
        )


async def schools_to_report(
    service: Service, caller: Caller | None, school_id: str | None
) -> list[str]:
    """The schools a report covers: the one asked for (all of it within reach), else every
    school the caller reads whole (every school there is, for a caller not limited)."""
    within = await reach(service, caller)
    if school_id is not None:
        if caller is not None:
            check_school_list(caller, within, school_id)
        return [school_id]
    if within.everything:
        known = await service.store.on_reader(schools_as_of, service.clock.now())
        return sorted(known)
    return sorted(within.schools)


def _reach(db: sqlite3.Connection, staff_id: str, at: datetime) -> Reach:
    member = acting_member(db, staff_id, at)
    if member is None:
        return Reach(staff_id=staff_id)
    acted_for = {
        role: schools_acted_for(db, staff_id, at, role) for role in member.roles & READING_ROLES
    }
    return reach_of(staff_id, member.schools, acted_for, direct_reports(db, staff_id, at))


def can_act(db: sqlite3.Connection, staff_id: str, at: datetime) -> bool:
    return acting_member(db, staff_id, at) is not None
