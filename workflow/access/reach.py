"""What a person may read: their own requests and record, and more in some roles.

A head teacher or CPD lead also reads their school's (their own and extra schools), the
booking office the schools it books for (it cannot book what it cannot read), an
executive lead or trustee the whole trust's, and a line manager their direct reports'
requests. Callers that act for no one person (a portal, a system, admin) are not limited
by reach, only by their scopes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from workflow.policy.vocabulary import Role

# The roles that widen what a person reads, to the schools each role acts for
# (workflow.directory.schools_acted_for: the school, or the whole trust).
READING_ROLES = frozenset(
    {Role.HEAD_TEACHER, Role.CPD_LEAD, Role.BOOKING_OFFICE, Role.EXECUTIVE_LEAD, Role.TRUSTEE}
)


@dataclass(frozen=True)
class Reach:
    everything: bool = False
    staff_id: str | None = None
    own_schools: tuple[str, ...] = ()  # the schools they belong to (their school's record)
    schools: frozenset[str] = frozenset()  # schools whose requests and staff they read
    reports: frozenset[str] = frozenset()  # staff whose line manager they are

    def covers_request(self, staff_id: str, school_id: str) -> bool:
        return (
            self.everything
            or staff_id == self.staff_id
            or staff_id in self.reports
            or school_id in self.schools
        )

    def covers_person(self, staff_id: str, schools: tuple[str, ...]) -> bool:
        return self.everything or staff_id == self.staff_id or bool(self.schools & set(schools))

    def covers_school(self, school_id: str) -> bool:
        """A school's own record (name, trust, policy set): theirs, or one they read."""
        return self.covers_whole_school(school_id) or school_id in self.own_schools

    def covers_whole_school(self, school_id: str) -> bool:
        return self.everything or school_id in self.schools


EVERYTHING = Reach(everything=True)


def reach_of(
    staff_id: str,
    own_schools: tuple[str, ...],
    acted_for: Mapping[Role, frozenset[str]],
    reports: frozenset[str],
) -> Reach:
    """`acted_for`: the schools each of the person's roles acts for today."""
    reading = [found for role, found in acted_for.items() if role in READING_ROLES]
    schools = frozenset(s for found in reading for s in found)
    return Reach(False, staff_id, own_schools, schools, reports)
