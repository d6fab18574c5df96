"""The follow-up policy: which reminders a request's new state schedules, and what follows each."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from scheduler.calendar import Holiday, SchoolCalendar
from scheduler.policy import (
    APPROVAL_PENDING,
    ATTENDANCE_UNCONFIRMED,
    COURSE_UPCOMING,
    CPD_LEAD,
    DISSEMINATION_DUE,
    EVALUATION_DUE,
    EXECUTIVE_LEAD,
    HEAD_TEACHER,
    IMPACT_REVIEW_DUE,
    LINE_MANAGER,
    PARTICIPANT,
    FollowUpPolicy,
    FollowUpSpec,
    PolicyError,
    RequestFacts,
    after_firing,
    load_policy,
    on_entering,
)
from tests.scheduler.helpers import FEB_HALF_TERM, LONDON, london

OCT_HALF_TERM = Holiday("Autumn half term 2026", date(2026, 10, 26), date(2026, 10, 30))
TERM = SchoolCalendar([OCT_HALF_TERM, FEB_HALF_TERM], name="test")
POLICY = FollowUpPolicy()
STAFF = "T-042"


def entering(
    state: str,
    now: datetime,
    start: date = date(2027, 2, 1),
    end: date = date(2027, 2, 5),
    line_manager_id: str | None = None,
    policy: FollowUpPolicy = POLICY,
) -> list[FollowUpSpec]:
    request = RequestFacts("REQ-1", state, STAFF, start, end, line_manager_id)
    return on_entering(request, now, TERM, policy)


def chase(first: FollowUpSpec, times: int) -> list[list[FollowUpSpec]]:
    """Fire `first` exactly when due, then each follow-up it leads to, `times` rounds over."""
    rounds, current = [], [first]
    for _ in range(times):
        current = [nxt for spec in current for nxt in after_firing(spec, spec.due_at, TERM, POLICY)]
        rounds.append(current)
    return rounds


# --- what entering a state schedules -----------------------------------------------------


@pytest.mark.parametrize(
    ("state", "approver"), [("requested", HEAD_TEACHER), ("head_approved", EXECUTIVE_LEAD)]
)
def test_a_request_awaiting_approval_chases_its_approver_three_school_days_later(
    state: str, approver: str
) -> None:
    assert entering(state, london(2027, 1, 4)) == [
        FollowUpSpec(APPROVAL_PENDING, london(2027, 1, 7), 1, approver, None)
    ]


def test_three_school_days_skip_the_weekend_and_half_term_at_the_same_wall_clock_time() -> None:
    thursday_before_half_term = london(2026, 10, 22, 10)  # clocks go back during half term
    [spec] = entering("requested", thursday_before_half_term)
    assert spec.due_at == london(2026, 11, 3, 10)  # Friday, then Monday and Tuesday after
    assert spec.due_at.astimezone(LONDON).hour == 10


def test_a_request_submitted_on_a_saturday_is_chased_on_the_wednesday() -> None:
    [spec] = entering("requested", london(2027, 1, 9, 11))
    assert spec.due_at == london(2027, 1, 13, 11)


def test_booking_reminds_the_participant_before_the_course_and_checks_attendance_after() -> None:
    assert entering("booked", london(2027, 1, 7)) == [
        FollowUpSpec(COURSE_UPCOMING, london(2027, 1, 29, 8), 1, PARTICIPANT, STAFF),
        FollowUpSpec(ATTENDANCE_UNCONFIRMED, london(2027, 2, 8, 8), 1, PARTICIPANT, STAFF),
    ]


def test_a_monday_course_is_announced_on_the_friday_before() -> None:
    upcoming = entering("booked", london(2027, 1, 4), start=date(2027, 1, 11))[0]
    assert (upcoming.kind, upcoming.due_at) == (COURSE_UPCOMING, london(2027, 1, 8, 8))


def test_a_course_right_after_half_term_is_announced_before_the_holiday_not_on_the_day() -> None:
    upcoming = entering("booked", london(2027, 1, 4), start=date(2027, 2, 22))[0]
    assert upcoming.due_at == london(2027, 2, 12, 8)


def test_a_course_booked_after_its_reminder_day_is_announced_straight_away() -> None:
    friday_afternoon = london(2027, 1, 29, 14)
    upcoming = entering("booked", friday_afternoon)[0]
    assert (upcoming.kind, upcoming.due_at) == (COURSE_UPCOMING, friday_afternoon)


def test_a_course_booked_on_its_first_day_gets_only_the_attendance_check() -> None:
    kinds = [s.kind for s in entering("booked", london(2027, 2, 1, 10))]
    assert kinds == [ATTENDANCE_UNCONFIRMED]


def test_an_attendance_check_that_falls_on_a_saturday_moves_to_monday() -> None:
    specs = entering("booked", london(2027, 1, 4), start=date(2027, 1, 14), end=date(2027, 1, 15))
    assert specs[-1].due_at == london(2027, 1, 18, 8)


def test_an_attendance_check_that_falls_in_half_term_moves_to_the_first_day_back() -> None:
    specs = entering("booked", london(2027, 1, 4), start=date(2027, 2, 11), end=date(2027, 2, 12))
    assert specs[-1].due_at == london(2027, 2, 22, 8)


def test_completion_asks_for_an_evaluation_the_next_school_day() -> None:
    assert entering("completed", london(2027, 2, 8, 10)) == [
        FollowUpSpec(EVALUATION_DUE, london(2027, 2, 9, 10), 1, PARTICIPANT, STAFF)
    ]
    [before_half_term] = entering("completed", london(2027, 2, 12, 10))
    assert before_half_term.due_at == london(2027, 2, 22, 10)


def test_evaluation_asks_for_dissemination_fourteen_days_later_and_impact_six_weeks_on() -> None:
    impact = london(2027, 3, 24)  # every evaluated request has its impact reviewed
    assert entering("evaluated", london(2027, 2, 10), line_manager_id="LM-7") == [
        FollowUpSpec(DISSEMINATION_DUE, london(2027, 2, 24), 1, PARTICIPANT, STAFF),
        FollowUpSpec(IMPACT_REVIEW_DUE, impact, 1, PARTICIPANT, STAFF),
        FollowUpSpec(IMPACT_REVIEW_DUE, impact, 1, LINE_MANAGER, "LM-7"),
        FollowUpSpec(IMPACT_REVIEW_DUE, impact, 1, CPD_LEAD, None),
    ]


@pytest.mark.parametrize("dissemination", ["not_required", "waived"])
def test_evaluation_not_to_be_disseminated_asks_only_for_the_impact_review(
    dissemination: str,
) -> None:
    request = RequestFacts("REQ-1", "evaluated", STAFF, date(2027, 2, 1), date(2027, 2, 5))
    request = replace(request, dissemination=dissemination)
    specs = on_entering(request, london(2027, 2, 10), TERM, POLICY)
    assert [(s.kind, s.recipient_role) for s in specs] == [
        (IMPACT_REVIEW_DUE, PARTICIPANT),
        (IMPACT_REVIEW_DUE, LINE_MANAGER),
        (IMPACT_REVIEW_DUE, CPD_LEAD),
    ]


def test_dissemination_asks_participant_line_manager_and_cpd_lead_for_impact_six_weeks_on() -> None:
    due = london(2027, 4, 8)  # six weeks on, after the clocks went forward: still 09:00
    assert entering("disseminated", london(2027, 2, 25), line_manager_id="LM-7") == [
        FollowUpSpec(IMPACT_REVIEW_DUE, due, 1, PARTICIPANT, STAFF),
        FollowUpSpec(IMPACT_REVIEW_DUE, due, 1, LINE_MANAGER, "LM-7"),
        FollowUpSpec(IMPACT_REVIEW_DUE, due, 1, CPD_LEAD, None),
    ]
    without = entering("disseminated", london(2027, 2, 25))
    assert without[1].recipient_staff_id is None


def test_an_impact_already_reviewed_is_not_asked_for_again() -> None:
    request = RequestFacts("REQ-1", "disseminated", STAFF, date(2027, 2, 1), date(2027, 2, 5))
    reviewed = replace(request, impact_reviewed=True)
    assert on_entering(reviewed, london(2027, 2, 25), TERM, POLICY) == []


@pytest.mark.parametrize("state", ["rejected", "withdrawn"])
def test_states_where_nobody_is_waiting_schedule_nothing(state: str) -> None:
    assert entering(state, london(2027, 1, 4)) == []


# --- what follows a reminder -------------------------------------------------------------


def test_approval_repeats_every_three_school_days_adding_the_cpd_lead_from_the_third() -> None:
    [first] = entering("requested", london(2027, 1, 4))
    rounds = chase(first, 3)
    assert [[(s.attempt, s.recipient_role) for s in r] for r in rounds] == [
        [(2, HEAD_TEACHER)],
        [(3, HEAD_TEACHER), (3, CPD_LEAD)],
        [(4, HEAD_TEACHER), (4, CPD_LEAD)],  # only the head's chase repeats
    ]
    assert [r[0].due_at for r in rounds] == [
        london(2027, 1, 12),
        london(2027, 1, 15),
        london(2027, 1, 20),
    ]


def test_a_late_reminder_counts_the_next_one_from_when_it_fired() -> None:
    [first] = entering("requested", london(2027, 1, 4))
    [nxt] = after_firing(first, london(2027, 2, 8, 13), TERM, POLICY)
    assert (nxt.attempt, nxt.due_at) == (2, london(2027, 2, 11, 13))


def test_evaluation_is_asked_for_three_more_times_weekly_then_goes_to_the_head_then_stops() -> None:
    [first] = entering("completed", london(2027, 1, 4, 10))
    rounds = chase(first, 5)
    assert [[(s.attempt, s.recipient_role, s.recipient_staff_id) for s in r] for r in rounds] == [
        [(2, PARTICIPANT, STAFF)],
        [(3, PARTICIPANT, STAFF)],
        [(4, PARTICIPANT, STAFF)],
        [(5, HEAD_TEACHER, None)],
        [],
    ]
    weekly = [london(2027, month, day, 10) for month, day in [(1, 12), (1, 19), (1, 26), (2, 2)]]
    assert [r[0].due_at for r in rounds[:4]] == weekly


def test_dissemination_is_asked_for_once_more_then_goes_to_the_head_then_stops() -> None:
    first, *_impact_reviews = entering("evaluated", london(2027, 1, 4))
    rounds = chase(first, 3)
    assert [[(s.attempt, s.recipient_role) for s in r] for r in rounds] == [
        [(2, PARTICIPANT)],
        [(3, HEAD_TEACHER)],
        [],
    ]
    assert rounds[0][0].due_at == london(2027, 2, 1)  # 14 days after 18 January
    assert rounds[1][0].due_at == london(2027, 2, 22)  # 15 February is half term


@pytest.mark.parametrize("kind", [COURSE_UPCOMING, ATTENDANCE_UNCONFIRMED, IMPACT_REVIEW_DUE])
def test_one_off_reminders_are_not_repeated(kind: str) -> None:
    spec = FollowUpSpec(kind, london(2027, 1, 4), 1, PARTICIPANT, STAFF)
    assert after_firing(spec, london(2027, 1, 4), TERM, POLICY) == []


# --- a trust's own numbers ---------------------------------------------------------------


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "policy.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_without_a_file_the_default_policy_applies() -> None:
    assert load_policy(None) == FollowUpPolicy()


def test_a_policy_file_overrides_only_the_numbers_it_names(tmp_path: Path) -> None:
    path = write(tmp_path, {"approval_wait_school_days": 5, "reminder_time": "07:30"})
    policy = load_policy(path)
    assert policy == FollowUpPolicy(approval_wait_school_days=5, reminder_time="07:30")
    [approval] = entering("requested", london(2027, 1, 4), policy=policy)
    assert approval.due_at == london(2027, 1, 11)
    attendance = entering("booked", london(2027, 1, 4), policy=policy)[-1]
    assert attendance.due_at == london(2027, 2, 8, 7, 30)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        [3],
        {"approval_wait_days": 3},  # an unknown (misspelt) key
        {"reminder_time": "8am"},
        {"timezone": "Europe/Atlantis"},
    ],
)
def test_a_bad_policy_file_is_refused_with_its_path(tmp_path: Path, content: object) -> None:
    path = write(tmp_path, content)
    with pytest.raises(PolicyError, match=r"policy\.json"):
        load_policy(path)


def test_a_missing_policy_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        load_policy(tmp_path / "nowhere.json")


@pytest.mark.parametrize(
    "overrides",
    [
        {"approval_wait_school_days": "three"},
        {"evaluation_repeat_days": -7},
        {"approval_repeat_school_days": 0},
    ],
)
def test_a_policy_file_with_numbers_that_cannot_work_is_refused(
    tmp_path: Path, overrides: dict[str, object]
) -> None:
    with pytest.raises(PolicyError):
        load_policy(write(tmp_path, overrides))


def test_a_request_submitted_late_at_night_is_chased_at_eight_in_the_morning() -> None:
    (chase_it,) = entering("requested", london(2027, 1, 11, 23, 30))  # a Monday night
    assert chase_it.due_at == london(2027, 1, 15, 8)  # Friday morning, not Thursday 23:30


def test_an_early_morning_completion_asks_for_evaluation_at_the_start_of_the_day() -> None:
    (ask,) = entering("completed", london(2027, 1, 11, 5))
    assert ask.due_at == london(2027, 1, 12, 8)


def test_an_approved_request_chases_the_booking_office_every_three_school_days() -> None:
    (booking,) = entering("executive_approved", london(2027, 1, 11, 10))  # a Monday
    assert (booking.kind, booking.recipient_role) == ("booking_pending", "booking_office")
    assert booking.due_at == london(2027, 1, 14, 10)
    (again,) = after_firing(booking, booking.due_at, TERM, POLICY)
    assert (again.attempt, again.due_at) == (2, london(2027, 1, 19, 10))
