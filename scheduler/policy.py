"""When the service chases a CPD request, and whom: the follow-up policy, in one place.

Every number a trust may want to change lives in FollowUpPolicy; `load_policy` reads
overrides from a JSON file. The functions below are pure: given a request's new state
(or a follow-up that just fired), they say which follow-ups should be pending next.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from scheduler.calendar import SchoolCalendar

APPROVAL_PENDING = "approval_pending"
COURSE_UPCOMING = "course_upcoming"
ATTENDANCE_UNCONFIRMED = "attendance_unconfirmed"
EVALUATION_DUE = "evaluation_due"
DISSEMINATION_DUE = "dissemination_due"
IMPACT_REVIEW_DUE = "impact_review_due"
BOOKING_PENDING = "booking_pending"  # added: approved but not yet booked centrally
# A person's statutory training runs out: not about a request (scheduler/renewals.py).
RENEWAL_DUE = "renewal_due"
KINDS = (
    APPROVAL_PENDING,
    BOOKING_PENDING,
    COURSE_UPCOMING,
    ATTENDANCE_UNCONFIRMED,
    EVALUATION_DUE,
    DISSEMINATION_DUE,
    IMPACT_REVIEW_DUE,
    RENEWAL_DUE,
)

PARTICIPANT = "participant"
HEAD_TEACHER = "head_teacher"
BOOKING_OFFICE = "booking_office"
EXECUTIVE_LEAD = "executive_lead"
CPD_LEAD = "cpd_lead"
LINE_MANAGER = "line_manager"


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class FollowUpPolicy:
    approval_wait_school_days: int = 3
    approval_repeat_school_days: int = 3
    approval_escalate_from_reminder: int = 3
    booking_wait_school_days: int = 3
    booking_repeat_school_days: int = 3
    course_upcoming_days_before: int = 2
    attendance_check_days_after_end: int = 1
    evaluation_first_after_days: int = 1
    evaluation_repeat_days: int = 7
    evaluation_repeats: int = 3
    dissemination_first_after_days: int = 14
    dissemination_repeat_days: int = 14
    dissemination_repeats: int = 1
    impact_review_after_weeks: int = 6
    reminder_time: str = "08:00"  # for reminders tied to a date rather than to an event
    school_day_ends: str = "18:00"  # a reminder due later waits for the next morning
    timezone: str = "Europe/London"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class FollowUpSpec:
    kind: str
    due_at: datetime
    attempt: int
    recipient_role: str
    recipient_staff_id: str | None


@dataclass(frozen=True)
class RequestFacts:
    """What the policy needs to know of a request."""

    request_id: str
    state: str
    staff_id: str
    start_date: date
    end_date: date
    line_manager_id: str | None = None
    dissemination: str = "required"  # required, not_required or waived
    impact_reviewed: bool = False


def on_entering(
    request: RequestFacts, now: datetime, calendar: SchoolCalendar, policy: FollowUpPolicy
) -> list[FollowUpSpec]:
    """Follow-ups to schedule when a request enters its current state."""
    p, staff = policy, request.staff_id
    match request.state:
        case "requested" | "head_approved":
            approver = HEAD_TEACHER if request.state == "requested" else EXECUTIVE_LEAD
            due = _after_school_days(now, p.approval_wait_school_days, calendar, p)
            return [FollowUpSpec(APPROVAL_PENDING, due, 1, approver, None)]
        case "executive_approved":
            # The trust's central office books every external course (policy 002).
            due = _after_school_days(now, p.booking_wait_school_days, calendar, p)
            return [FollowUpSpec(BOOKING_PENDING, due, 1, BOOKING_OFFICE, None)]
        case "booked":
            before = request.start_date - timedelta(days=p.course_upcoming_days_before)
            upcoming = max(_at_reminder_time(_school_day_on_or_before(before, calendar), p), now)
            after_end = request.end_date + timedelta(days=p.attendance_check_days_after_end)
            attendance = _in_school_hours(_at_reminder_time(after_end, p), calendar, p)
            specs = [FollowUpSpec(ATTENDANCE_UNCONFIRMED, attendance, 1, PARTICIPANT, staff)]
            if upcoming < _at_reminder_time(request.start_date, p):
                specs.insert(0, FollowUpSpec(COURSE_UPCOMING, upcoming, 1, PARTICIPANT, staff))
            return specs
        case "completed":
            due = _after_days(now, p.evaluation_first_after_days, calendar, p)
            return [FollowUpSpec(EVALUATION_DUE, due, 1, PARTICIPANT, staff)]
        case "evaluated":
            # Every evaluated request has its impact reviewed; only one whose
            # dissemination is required (not waived) is chased for it.
            specs = _impact_review(request, now, calendar, p)
            if request.dissemination == "required":
                due = _after_days(now, p.dissemination_first_after_days, calendar, p)
                specs.insert(0, FollowUpSpec(DISSEMINATION_DUE, due, 1, PARTICIPANT, staff))
            return specs
        case "disseminated":
            return _impact_review(request, now, calendar, p)  # counted from dissemination
    return []


def _impact_review(
    request: RequestFacts, now: datetime, calendar: SchoolCalendar, p: FollowUpPolicy
) -> list[FollowUpSpec]:
    """The participant, their line manager and the CPD lead, once, unless reviewed already."""
    if request.impact_reviewed:
        return []
    due = _after_days(now, 7 * p.impact_review_after_weeks, calendar, p)
    return [
        FollowUpSpec(IMPACT_REVIEW_DUE, due, 1, PARTICIPANT, request.staff_id),
        FollowUpSpec(IMPACT_REVIEW_DUE, due, 1, LINE_MANAGER, request.line_manager_id),
        FollowUpSpec(IMPACT_REVIEW_DUE, due, 1, CPD_LEAD, None),
    ]


def after_firing(
    fired: FollowUpSpec, now: datetime, calendar: SchoolCalendar, policy: FollowUpPolicy
) -> list[FollowUpSpec]:
    """The next reminder once one has fired, counted from now so a late one never bursts."""
    p, attempt = policy, fired.attempt + 1
    if fired.kind == APPROVAL_PENDING and fired.recipient_role != CPD_LEAD:
        due = _after_school_days(now, p.approval_repeat_school_days, calendar, p)
        chase = [FollowUpSpec(APPROVAL_PENDING, due, attempt, fired.recipient_role, None)]
        if attempt >= p.approval_escalate_from_reminder:
            chase.append(FollowUpSpec(APPROVAL_PENDING, due, attempt, CPD_LEAD, None))
        return chase
    if fired.kind == BOOKING_PENDING:
        due = _after_school_days(now, p.booking_repeat_school_days, calendar, p)
        return [replace(fired, due_at=due, attempt=attempt)]
    if fired.kind == EVALUATION_DUE:
        return _repeat_then_escalate(
            fired, now, calendar, p.evaluation_repeat_days, p.evaluation_repeats, p
        )
    if fired.kind == DISSEMINATION_DUE:
        return _repeat_then_escalate(
            fired, now, calendar, p.dissemination_repeat_days, p.dissemination_repeats, p
        )
    return []


def _repeat_then_escalate(
    fired: FollowUpSpec,
    now: datetime,
    calendar: SchoolCalendar,
    every_days: int,
    repeats: int,
    p: FollowUpPolicy,
) -> list[FollowUpSpec]:
    if fired.recipient_role == HEAD_TEACHER:
        return []  # escalated already: the head now owns it
    due = _after_days(now, every_days, calendar, p)
    if fired.attempt <= repeats:
        return [replace(fired, due_at=due, attempt=fired.attempt + 1)]
    return [FollowUpSpec(fired.kind, due, fired.attempt + 1, HEAD_TEACHER, None)]


def _after_school_days(
    now: datetime, days: int, calendar: SchoolCalendar, p: FollowUpPolicy
) -> datetime:
    local = now.astimezone(p.zone)
    day = calendar.add_school_days(local.date(), days)
    return _in_school_hours(datetime.combine(day, local.time(), p.zone), calendar, p)


def _after_days(now: datetime, days: int, calendar: SchoolCalendar, p: FollowUpPolicy) -> datetime:
    return _in_school_hours(now.astimezone(p.zone) + timedelta(days=days), calendar, p)


def _in_school_hours(moment: datetime, calendar: SchoolCalendar, p: FollowUpPolicy) -> datetime:
    """On a school day, between the morning reminder time and the end of the school day:
    a request submitted at 23:30 is chased at 08:00, not at 23:30."""
    local = moment.astimezone(p.zone)
    opens, closes = time.fromisoformat(p.reminder_time), time.fromisoformat(p.school_day_ends)
    if local.time() < opens:
        local = datetime.combine(local.date(), opens, p.zone)
    elif local.time() > closes:
        local = datetime.combine(local.date() + timedelta(days=1), opens, p.zone)
    return calendar.move_to_school_day(local)


def school_morning_from(day: date, calendar: SchoolCalendar, p: FollowUpPolicy) -> datetime:
    """The reminder time on `day`, or on the next school day if `day` is not one."""
    return _in_school_hours(_at_reminder_time(day, p), calendar, p)


def school_morning_by(day: date, calendar: SchoolCalendar, p: FollowUpPolicy) -> datetime:
    """The reminder time on `day`, or on the last school day before it: a warning ahead of
    something must not slide past it into the holidays."""
    return _at_reminder_time(_school_day_on_or_before(day, calendar), p)


def in_school_hours(moment: datetime, calendar: SchoolCalendar, p: FollowUpPolicy) -> datetime:
    return _in_school_hours(moment, calendar, p)


def _at_reminder_time(day: date, p: FollowUpPolicy) -> datetime:
    return datetime.combine(day, time.fromisoformat(p.reminder_time), p.zone)


def _school_day_on_or_before(day: date, calendar: SchoolCalendar) -> date:
    # A reminder before a course must not slide forward onto the course itself.
    for _ in range(366):
        if calendar.is_school_day(day):
            return day
        day -= timedelta(days=1)
    return day


# Intervals must move time forward, or a repeat would be due again at once.
_AT_LEAST_ONE = {
    "booking_wait_school_days",
    "booking_repeat_school_days",
    "approval_wait_school_days",
    "approval_repeat_school_days",
    "approval_escalate_from_reminder",
    "evaluation_repeat_days",
    "dissemination_repeat_days",
    "impact_review_after_weeks",
}


def _check_value(path: Path, name: str, value: Any) -> None:
    default = getattr(FollowUpPolicy(), name)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise PolicyError(f"{path}: {name} must be a string, not {value!r}")
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise PolicyError(f"{path}: {name} must be a whole number, not {value!r}")
    minimum = 1 if name in _AT_LEAST_ONE else 0
    if value < minimum:
        raise PolicyError(f"{path}: {name} must be at least {minimum}, not {value}")


def load_policy(path: Path | None = None) -> FollowUpPolicy:
    """The default policy, with any numbers a trust overrides in a JSON file."""
    if path is None:
        return FollowUpPolicy()
    try:
        overrides: Any = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise PolicyError(f"{path}: cannot read follow-up policy: {error}") from error
    known = {f.name: f.type for f in fields(FollowUpPolicy)}
    if not isinstance(overrides, dict) or set(overrides) - set(known):
        raise PolicyError(f"{path}: expected an object with keys from {sorted(known)}")
    for name, value in overrides.items():
        _check_value(path, name, value)
    try:
        policy = FollowUpPolicy(**overrides)
        time.fromisoformat(policy.reminder_time)
        time.fromisoformat(policy.school_day_ends)
        policy.zone  # noqa: B018 - validates the timezone name
    except (TypeError, ValueError, KeyError) as error:
        raise PolicyError(f"{path}: {error}") from error
    return policy
