"""Who people and schools are, as the HR system last said at a given moment (pure data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from workflow.policy.vocabulary import Role

# Dates in the directory (a last working day, a delegation window) are school dates.
SCHOOL_ZONE = ZoneInfo("Europe/London")

# Roles held for the person's own school and their extra_school_ids.
SCHOOL_ROLES = frozenset({Role.HEAD_TEACHER, Role.CPD_LEAD, Role.GOVERNOR, Role.CHAIR_OF_GOVERNORS})
# Roles held for every school of their trust (schools sharing their own school's trust_id).
TRUST_ROLES = frozenset({Role.EXECUTIVE_LEAD, Role.BOOKING_OFFICE, Role.TRUSTEE})
# The rest (teacher, support, leadership) describe the person at their own school.


@dataclass(frozen=True)
class StaffMember:
    """One version of a person's record; `valid_from` is when it took effect."""

    staff_id: str
    name: str
    email: str
    school_id: str
    roles: frozenset[Role]
    contract: str
    started_on: date
    valid_from: datetime
    line_manager_id: str | None = None
    is_ect: bool = False
    extra_school_ids: tuple[str, ...] = ()
    left_on: date | None = None
    leaving_reason: str | None = None
    resigned_on: date | None = None

    @property
    def schools(self) -> tuple[str, ...]:
        """Their own school first, then the extra ones."""
        return (self.school_id, *(s for s in self.extra_school_ids if s != self.school_id))

    def can_act_at(self, at: datetime, zone: ZoneInfo = SCHOOL_ZONE) -> bool:
        """A leaver may act until their last working day ends, in the school's zone."""
        return self.left_on is None or at < end_of_day(self.left_on, zone)

    def to_record(self) -> dict[str, Any]:
        return {
            "staff_id": self.staff_id,
            "name": self.name,
            "email": self.email,
            "school_id": self.school_id,
            "roles": sorted(self.roles),
            "line_manager_id": self.line_manager_id,
            "is_ect": self.is_ect,
            "contract": self.contract,
            "started_on": self.started_on.isoformat(),
            "extra_school_ids": list(self.extra_school_ids),
            "left_on": _iso(self.left_on),
            "leaving_reason": self.leaving_reason,
            "resigned_on": _iso(self.resigned_on),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], valid_from: datetime) -> StaffMember:
        return cls(
            staff_id=record["staff_id"],
            name=record["name"],
            email=record["email"],
            school_id=record["school_id"],
            roles=frozenset(Role(r) for r in record["roles"]),
            contract=record["contract"],
            started_on=date.fromisoformat(record["started_on"]),
            valid_from=valid_from,
            line_manager_id=record.get("line_manager_id"),
            is_ect=bool(record.get("is_ect", False)),
            extra_school_ids=tuple(record.get("extra_school_ids") or ()),
            left_on=_date(record.get("left_on")),
            leaving_reason=record.get("leaving_reason"),
            resigned_on=_date(record.get("resigned_on")),
        )


@dataclass(frozen=True)
class School:
    school_id: str
    name: str
    valid_from: datetime
    policy_id: str | None = None
    trust_id: str | None = None
    nation: str | None = None  # whose bank holidays; None: england
    term_dates: str | None = None  # a file in CPD_TERM_DATES_DIR; None: the default calendar

    @property
    def trust(self) -> str:
        """Its trust; a school without trust_id is a trust of its own."""
        return self.trust_id if self.trust_id is not None else f"school:{self.school_id}"

    def to_record(self) -> dict[str, Any]:
        return {
            "school_id": self.school_id,
            "name": self.name,
            "policy_id": self.policy_id,
            "trust_id": self.trust_id,
            "nation": self.nation,
            "term_dates": self.term_dates,
        }


@dataclass(frozen=True)
class Delegation:
    """`to_staff_id` may take `step` for `from_staff_id` from `starts` to `ends` inclusive."""

    from_staff_id: str
    to_staff_id: str
    step: str
    starts: date
    ends: date
    granted_at: datetime
    revoked_at: datetime | None = None
    event_source: str = ""
    event_id: str = ""

    def active_at(self, at: datetime, zone: ZoneInfo = SCHOOL_ZONE) -> bool:
        if at < self.granted_at or (self.revoked_at is not None and at >= self.revoked_at):
            return False
        return self.starts <= at.astimezone(zone).date() <= self.ends


def end_of_day(day: date, zone: ZoneInfo = SCHOOL_ZONE) -> datetime:
    """The moment `day` ends in `zone` (midnight starting the next day)."""
    return datetime.combine(day + timedelta(days=1), time(0), zone)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
