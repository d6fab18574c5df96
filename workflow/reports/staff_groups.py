"""Staff groups for equality of access, and who was in each during a period.

A person belongs to a school's group when any version of their record in force at some
moment of the period (while they were employed: started by its last day, not left before
its first) puts them there: their own school and their extra schools, by their roles,
contract and ECT flag then. So a person may be in several groups, and someone who moved
from support to teaching during the term is in both.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum

from workflow.directory import SCHOOL_ZONE, StaffMember
from workflow.directory.records import end_of_day
from workflow.directory.store import utc
from workflow.policy.vocabulary import Role


class Group(StrEnum):
    ALL_STAFF = "all_staff"
    TEACHING = "teaching"
    SUPPORT = "support"
    LEADERSHIP = "leadership"
    GOVERNORS = "governors"
    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    ECT = "ect"


GROUP_TITLES = {
    Group.ALL_STAFF: "All staff and governors",
    Group.TEACHING: "Teaching",
    Group.SUPPORT: "Support",
    Group.LEADERSHIP: "Leadership",
    Group.GOVERNORS: "Governors",
    Group.FULL_TIME: "Full-time",
    Group.PART_TIME: "Part-time",
    Group.ECT: "Early career teachers",
}

ROLE_GROUPS: dict[Group, frozenset[Role]] = {
    Group.TEACHING: frozenset({Role.TEACHER}),
    Group.SUPPORT: frozenset({Role.SUPPORT}),
    Group.LEADERSHIP: frozenset({Role.LEADERSHIP, Role.HEAD_TEACHER, Role.EXECUTIVE_LEAD}),
    Group.GOVERNORS: frozenset({Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS, Role.TRUSTEE}),
}
CONTRACT_GROUPS = {"full_time": Group.FULL_TIME, "part_time": Group.PART_TIME}

# (school id, group) -> the staff ids in it.
Members = dict[tuple[str, Group], frozenset[str]]


def groups_of(member: StaffMember) -> frozenset[Group]:
    found = {Group.ALL_STAFF, *(g for g, roles in ROLE_GROUPS.items() if member.roles & roles)}
    if member.contract in CONTRACT_GROUPS:
        found.add(CONTRACT_GROUPS[member.contract])
    if member.is_ect:
        found.add(Group.ECT)
    return frozenset(found)


def members(versions: Iterable[StaffMember]) -> Members:
    """Each school's groups from the record versions in force during the period."""
    found: defaultdict[tuple[str, Group], set[str]] = defaultdict(set)
    for version in versions:
        for school_id in version.schools:
            for group in groups_of(version):
                found[(school_id, group)].add(version.staff_id)
    return {key: frozenset(people) for key, people in found.items()}


def versions_during(db: sqlite3.Connection, first: date, last: date) -> list[StaffMember]:
    """Every version of every record in force at some moment from the start of `first` to
    the end of `last` (school dates), of people employed then."""
    starts = datetime.combine(first, datetime.min.time(), SCHOOL_ZONE)
    ends = end_of_day(last, SCHOOL_ZONE)
    rows = db.execute(
        "SELECT record, valid_from FROM (SELECT record, valid_from, LEAD(valid_from) OVER"
        " (PARTITION BY staff_id ORDER BY version) AS replaced_at FROM staff_versions)"
        " WHERE valid_from < ? AND (replaced_at IS NULL OR replaced_at > ?)",
        (utc(ends), utc(starts)),
    ).fetchall()
    found = [
        StaffMember.from_record(json.loads(record), datetime.fromisoformat(at))
        for record, at in rows
    ]
    return [m for m in found if m.started_on <= last and (m.left_on is None or m.left_on >= first)]
