"""What the directory answers, as of a moment: for authorisation, reminders and HTTP.

Each takes a sqlite3 connection (the writer inside an event's transaction, or the reader)
and an aware datetime; reading the records is all they do, the rules are in rules.py.
A person who has left (their last working day has ended) holds no roles and acts for
no school; `staff_as_of` still returns their record.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from workflow.directory import rules
from workflow.directory import store as rows
from workflow.directory.records import SCHOOL_ZONE, TRUST_ROLES, Delegation, School, StaffMember
from workflow.policy.vocabulary import Role

staff_as_of = rows.staff_as_of
school_as_of = rows.school_as_of


def acting_member(db: sqlite3.Connection, staff_id: str, at: datetime) -> StaffMember | None:
    """Their record at `at` if they could act then: known, and not past their last day."""
    member = rows.staff_as_of(db, staff_id, at)
    return member if member is not None and member.can_act_at(at) else None


def roles_at(db: sqlite3.Connection, staff_id: str, at: datetime) -> frozenset[Role]:
    """Every role the person held at `at` (empty: unknown, or left)."""
    member = acting_member(db, staff_id, at)
    return member.roles if member is not None else frozenset()


def roles_for_school(
    db: sqlite3.Connection, staff_id: str, school_id: str, at: datetime
) -> frozenset[Role]:
    """The roles the person held for `school_id` at `at`: own-school roles for their school
    and extra_school_ids, trust roles for every school of their trust."""
    member = acting_member(db, staff_id, at)
    if member is None:
        return frozenset()
    return rules.roles_for_school(member, school_id, rows.schools_as_of(db, at))


def schools_acted_for(
    db: sqlite3.Connection, staff_id: str, at: datetime, role: Role | None = None
) -> frozenset[str]:
    """The schools the person acted for at `at`, in `role` or in any of their roles."""
    member = acting_member(db, staff_id, at)
    if member is None:
        return frozenset()
    schools = rows.schools_as_of(db, at)
    held = [role] if role is not None else sorted(member.roles)
    return frozenset(s for r in held for s in rules.schools_for_role(member, r, schools))


def members_of(db: sqlite3.Connection, school_id: str, at: datetime) -> list[StaffMember]:
    """The people of a school at `at`: those whose own school it is, leavers excluded."""
    return [m for m in rows.staff_of_school_as_of(db, school_id, at) if m.can_act_at(at)]


def person_by_email(db: sqlite3.Connection, email: str, at: datetime) -> StaffMember | None:
    """The current person (not left) whose record at `at` has this e-mail, ignoring case;
    None when nobody, or more than one person, has it."""
    wanted = email.casefold()
    found = [
        member
        for staff_id in rows.staff_ids_by_email(db, email)
        if (member := acting_member(db, staff_id, at)) is not None
        and member.email.casefold() == wanted
    ]
    return found[0] if len(found) == 1 else None


def direct_reports(db: sqlite3.Connection, staff_id: str, at: datetime) -> frozenset[str]:
    """The people whose record at `at` names `staff_id` as their line manager."""
    return frozenset(
        report
        for report in rows.staff_ids_managed_by(db, staff_id)
        if (member := rows.staff_as_of(db, report, at)) is not None
        and member.line_manager_id == staff_id
    )


def holders(db: sqlite3.Connection, role: Role, school_id: str, at: datetime) -> list[StaffMember]:
    """Everyone who held `role` for `school_id` at `at` ("every head teacher of the school"),
    by staff id; leavers excluded. Reads only the records that can decide it: a school
    role's holders name the school; a trust role needs the schools' trusts."""
    trust_wide = role in TRUST_ROLES
    found = rows.staff_with_role_as_of(db, role.value, at, None if trust_wide else school_id)
    members = [m for m in found if m.can_act_at(at)]
    schools: dict[str, School] = {}
    if trust_wide:
        for wanted in {school_id, *(s for m in members for s in m.schools)}:
            if (school := rows.school_as_of(db, wanted, at)) is not None:
                schools[wanted] = school
    return [m for m in members if rules.holds_for(m, role, school_id, schools)]


def active_delegations(
    db: sqlite3.Connection,
    step: str,
    at: datetime,
    *,
    to_staff_id: str | None = None,
    from_staff_id: str | None = None,
) -> list[Delegation]:
    """Delegations of `step` (`head` or `executive`) in force at `at`: granted by then, not
    revoked, and `at` falls in the window (inclusive dates, school time zone)."""
    on = at.astimezone(SCHOOL_ZONE).date()
    found = rows.delegations_for_step(db, step, on, to_staff_id=to_staff_id)
    return [
        d
        for d in found
        if d.active_at(at) and (from_staff_id is None or d.from_staff_id == from_staff_id)
    ]


def policy_id_of_school(db: sqlite3.Connection, school_id: str, at: datetime) -> str | None:
    """The policy set the school named at `at` (None: never upserted, or named none, so it
    follows the shipped default)."""
    school = rows.school_as_of(db, school_id, at)
    return school.policy_id if school is not None else None
