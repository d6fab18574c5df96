"""The five schools' policies, as the shipped example sets express them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from schemas.inbound import ActivityType
from tests.workflow.policy_files import EXAMPLES
from workflow.policy import PolicyLibrary, PolicySet, Role, load_policy_dir

LOADED = load_policy_dir(EXAMPLES)
LIBRARY = PolicyLibrary(LOADED.sets)
TODAY = date(2026, 11, 22)
EVERY_TYPE = set(ActivityType)
EXTERNAL = {ActivityType.COURSE, ActivityType.CONFERENCE, ActivityType.QUALIFICATION}
STAFF = [Role.TEACHER, Role.SUPPORT, Role.LEADERSHIP, Role.HEAD_TEACHER]


def policy(policy_id: str) -> PolicySet:
    return LIBRARY.current(policy_id, TODAY)


def booked(policy_set: PolicySet) -> set[ActivityType]:
    return {t for t in ActivityType if policy_set.booking_required(t)}


def disseminated(policy_set: PolicySet) -> set[ActivityType]:
    return {t for t in ActivityType if policy_set.dissemination_required(t, Decimal(0))}


def test_every_example_file_loads_without_problems_or_notes() -> None:
    assert sorted(s.name for s in LOADED.sets) == [
        "elston-hall-trust v1",
        "example-school v1",
        "first-steps-together v1",
        "severnbanks v1",
        "walmley-infant v1",
    ]
    assert LOADED.notes == ()


@pytest.mark.parametrize("policy_id", [s.id for s in LOADED.sets])
def test_every_example_is_in_force_today_and_cites_itself(policy_id: str) -> None:
    ruling = policy(policy_id).executive_step_ruling(Decimal(100))
    assert ruling.citation == f"rule approval.executive of policy set {policy_id} v1"


@pytest.mark.parametrize("policy_id", [s.id for s in LOADED.sets])
def test_in_every_example_the_heads_own_cpd_and_governors_cpd_go_to_the_chair(
    policy_id: str,
) -> None:
    policy_set = policy(policy_id)
    assert policy_set.head_step_role_for([Role.HEAD_TEACHER]) is Role.CHAIR_OF_GOVERNORS
    assert policy_set.head_step_role_for([Role.GOVERNOR]) is Role.CHAIR_OF_GOVERNORS
    assert policy_set.head_step_role_for([Role.SUPPORT]) is Role.HEAD_TEACHER


# --- 000 Walmley Infant School: the head teacher leads CPD ---------------------------------


def test_walmley_head_teacher_approves_with_no_executive_step() -> None:
    assert not policy("walmley-infant").executive_step_required(Decimal("2500"))


def test_walmley_books_and_disseminates_the_courses_and_conferences_staff_attend() -> None:
    walmley = policy("walmley-infant")
    assert (
        booked(walmley) == disseminated(walmley) == {ActivityType.COURSE, ActivityType.CONFERENCE}
    )


def test_walmley_as_a_maintained_school_budgets_from_april() -> None:
    assert policy("walmley-infant").financial_year_containing(TODAY).starts == date(2026, 4, 1)


# --- 001 Severnbanks: the head teacher approves and organises booking ----------------------


def test_severnbanks_needs_no_trust_approval() -> None:
    assert not policy("severnbanks").executive_step_required(Decimal("900"))


def test_severnbanks_books_courses_conferences_and_npqs() -> None:
    assert booked(policy("severnbanks")) == EXTERNAL


def test_severnbanks_staff_disseminate_every_kind_of_cpd() -> None:
    assert disseminated(policy("severnbanks")) == EVERY_TYPE


def test_severnbanks_as_an_academy_budgets_from_september() -> None:
    year = policy("severnbanks").financial_year_containing(date(2026, 8, 31))
    assert (year.starts, year.ends) == (date(2025, 9, 1), date(2026, 8, 31))


# --- 002 Elston Hall Learning Trust: two-stage approval, central booking -------------------


def test_every_elston_hall_application_goes_to_the_executive_lead_even_when_free() -> None:
    elston = policy("elston-hall-trust")
    assert elston.executive_step_required(Decimal(0))
    assert elston.executive_step_required(Decimal("4000"))


def test_an_elston_hall_executive_leads_own_request_goes_to_a_trustee() -> None:
    assert policy("elston-hall-trust").executive_step_role_for_own_request is Role.TRUSTEE


def test_elston_hall_books_external_courses_centrally_but_not_weekly_in_school_sessions() -> None:
    elston = policy("elston-hall-trust")
    assert booked(elston) == EXTERNAL
    assert not elston.booking_required("in_school")


def test_elston_hall_staff_share_external_training_but_not_coaching_or_in_school_sessions() -> None:
    assert disseminated(policy("elston-hall-trust")) == EXTERNAL | {
        ActivityType.ONLINE,
        ActivityType.VISIT,
    }


def test_elston_hall_staff_governors_and_trustees_renew_safeguarding_every_year() -> None:
    elston = policy("elston-hall-trust")
    for role in [*STAFF, Role.EXECUTIVE_LEAD, Role.GOVERNOR, Role.TRUSTEE]:
        assert elston.statutory_training_for(role)["safeguarding"].valid_months == 12


def test_only_elston_hall_names_statutory_training() -> None:
    others = [s for s in LOADED.sets if s.id != "elston-hall-trust"]
    assert all(s.statutory == {} for s in others)


# --- 003 First Steps Together: repayment of training costs ---------------------------------

COURSE_ENDED = date(2027, 3, 15)


def owed(resigned_on: date) -> Fraction:
    return policy("first-steps-together").repayment_share(COURSE_ENDED, resigned_on)


def test_resigning_during_training_repays_the_full_cost() -> None:
    assert owed(date(2027, 3, 1)) == 1


def test_resigning_within_one_month_of_completing_repays_the_full_cost() -> None:
    assert owed(date(2027, 4, 14)) == 1


def test_resigning_five_months_after_the_course_repays_seven_twelfths() -> None:
    assert owed(date(2027, 8, 15)) == Fraction(7, 12)


def test_resigning_a_year_after_the_course_repays_nothing() -> None:
    assert owed(date(2028, 3, 14)) == Fraction(1, 12)
    assert owed(date(2028, 3, 15)) == 0


def test_only_first_steps_together_has_a_repayment_clause() -> None:
    assert [s.id for s in LOADED.sets if s.repayment.enabled] == ["first-steps-together"]


def test_first_steps_together_staff_disseminate_every_kind_of_cpd() -> None:
    assert disseminated(policy("first-steps-together")) == EVERY_TYPE


# --- 004 the model school policy -----------------------------------------------------------


def test_the_model_school_approves_in_school_and_books_local_and_national_opportunities() -> None:
    model_school = policy("example-school")
    assert not model_school.executive_step_required(Decimal("1200"))
    assert booked(model_school) == EXTERNAL
    assert disseminated(model_school) == EVERY_TYPE
