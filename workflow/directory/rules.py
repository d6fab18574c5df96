"""Pure rules of the directory: how an HR event changes a record, and who acts where.

No I/O: every function takes the records it needs. workflow/directory/queries.py reads
those records from the store and calls these.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from workflow.directory.records import SCHOOL_ROLES, TRUST_ROLES, School, StaffMember
from workflow.errors import DomainError
from workflow.policy.vocabulary import Role


class DirectoryRefusal(DomainError):
    code = "directory_refused"


class UnknownStaff(DirectoryRefusal):
    code = "unknown_staff"


class UnknownPolicy(DirectoryRefusal):
    code = "unknown_policy_set"


class UnknownTermDates(DirectoryRefusal):
    code = "unknown_term_dates"


class SubjectMismatch(DirectoryRefusal):
    code = "subject_mismatch"


def check_subject(subject: str, named: str, field_name: str) -> None:
    if subject != named:
        raise SubjectMismatch(
            f"subject '{subject}' must be the {field_name} the event is about ('{named}')"
        )


def upserted(previous: StaffMember | None, data: Mapping[str, Any], now: datetime) -> StaffMember:
    """The new current record. It replaces the previous one, except that a leaver stays a
    leaver unless the upsert starts a new employment (started_on after the last day), so a
    full HR export re-sent after someone left does not bring them back."""
    member = StaffMember.from_record(dict(data), valid_from=now)
    if previous is not None and previous.left_on is not None and not rehired(previous, member):
        member = replace(
            member,
            left_on=previous.left_on,
            leaving_reason=previous.leaving_reason,
            resigned_on=previous.resigned_on,
        )
    return member


def rehired(previous: StaffMember, member: StaffMember) -> bool:
    return previous.left_on is not None and member.started_on > previous.left_on


def leaving(current: StaffMember | None, data: Mapping[str, Any], now: datetime) -> StaffMember:
    if current is None:
        raise UnknownStaff(f"no staff member '{data['staff_id']}' in the directory")
    resigned = data.get("resigned_on")
    return replace(
        current,
        valid_from=now,
        left_on=date.fromisoformat(data["left_on"]),
        leaving_reason=data["reason"],
        resigned_on=date.fromisoformat(resigned) if resigned else None,
    )


def check_policy(policy_id: str | None, known: Iterable[str]) -> None:
    """A school may name only a loaded policy set (none means the shipped `default`)."""
    if policy_id is None:
        return
    loaded = sorted(set(known))
    if policy_id not in loaded:
        raise UnknownPolicy(
            f"policy set '{policy_id}' is not loaded (loaded: {', '.join(loaded) or 'none'})"
        )


def check_term_dates(name: str | None, files: Collection[str] | None) -> None:
    """A school may name only a file of the term-dates directory, by its bare name
    (none means the default calendar)."""
    if name is None:
        return
    if "/" in name or "\\" in name or ".." in name:
        raise UnknownTermDates(
            f"term_dates '{name}' is a path: it must be the name of a file in"
            " CPD_TERM_DATES_DIR (rule term_dates.file_name: no '/', '\\' or '..')"
        )
    if files is None:
        raise UnknownTermDates(
            f"term_dates '{name}' names a file, but CPD_TERM_DATES_DIR is not set: set it to"
            " the directory of term-dates files, or leave term_dates out for the default"
            " calendar (rule term_dates.directory)"
        )
    if name not in files:
        raise UnknownTermDates(
            f"term_dates '{name}' is not a file in CPD_TERM_DATES_DIR (files:"
            f" {', '.join(sorted(files)) or 'none'}; they are read at start, so restart the"
            " service after adding one) (rule term_dates.known_file)"
        )


def trust_of(school_id: str, schools: Mapping[str, School]) -> str:
    """The trust a school belongs to; an unknown school, or one without trust_id, is its own."""
    school = schools.get(school_id)
    return school.trust if school is not None else f"school:{school_id}"


def schools_for_role(member: StaffMember, role: Role, schools: Mapping[str, School]) -> set[str]:
    """The schools `member` acts for in `role` (empty when they do not hold it).

    School roles: their own school and extra_school_ids. Trust roles: every school in the
    trust of any of those schools. Other roles: their own school."""
    if role not in member.roles:
        return set()
    if role in SCHOOL_ROLES:
        return set(member.schools)
    if role in TRUST_ROLES:
        trusts = {trust_of(s, schools) for s in member.schools}
        in_trust = {s for s in schools if trust_of(s, schools) in trusts}
        return in_trust | set(member.schools)
    return {member.school_id}


def roles_for_school(
    member: StaffMember, school_id: str, schools: Mapping[str, School]
) -> frozenset[Role]:
    """The roles `member` holds for `school_id` (what they may do there)."""
    return frozenset(r for r in member.roles if school_id in schools_for_role(member, r, schools))


def holds_for(
    member: StaffMember, role: Role, school_id: str, schools: Mapping[str, School]
) -> bool:
    if role not in member.roles:
        return False
    if role in SCHOOL_ROLES:
        return school_id in member.schools
    if role in TRUST_ROLES:
        return trust_of(school_id, schools) in {trust_of(s, schools) for s in member.schools}
    return school_id == member.school_id
