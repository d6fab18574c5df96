"""What a policy set's rules decide for a request, and what the shipped default decides."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal
from pathlib import Path

from scheduler.policy import FollowUpPolicy
from scheduler.policy_sets import follow_up_policy_of, load_policy_library
from schemas.inbound import ActivityType
from tests.workflow.policy_files import head_led, write
from workflow.policy import (
    DEFAULT_POLICY_ID,
    FollowUps,
    PolicySet,
    Role,
    Rule,
    default_policy_set,
    read_policy_file,
)


def load(tmp_path: Path, text: str) -> PolicySet:
    policy_set, problems, _ = read_policy_file(write(tmp_path, "set.toml", text))
    assert policy_set is not None, [str(p) for p in problems]
    return policy_set


ABOVE_500 = head_led(executive='"above"', version=2)


# --- the executive step ------------------------------------------------------------------


def test_a_head_led_school_has_no_executive_step(tmp_path: Path) -> None:
    head_led_school = load(tmp_path, head_led())
    assert not head_led_school.executive_step_required(Decimal("0"))
    assert not head_led_school.executive_step_required(Decimal("25000"))


def test_a_request_costing_exactly_the_threshold_needs_no_executive_approval(
    tmp_path: Path,
) -> None:
    assert not load(tmp_path, ABOVE_500).executive_step_required(Decimal("500.00"))


def test_a_request_a_penny_over_the_threshold_needs_executive_approval(tmp_path: Path) -> None:
    assert load(tmp_path, ABOVE_500).executive_step_required(Decimal("500.01"))


def test_a_trust_that_always_asks_its_executive_asks_even_for_free_training(
    tmp_path: Path,
) -> None:
    assert load(tmp_path, head_led(executive='"always"')).executive_step_required(Decimal(0))


def test_an_automatically_passed_step_can_say_which_rule_of_which_version_passed_it(
    tmp_path: Path,
) -> None:
    ruling = load(tmp_path, ABOVE_500).executive_step_ruling(Decimal("180"))
    assert (ruling.rule, ruling.applies) == (Rule.EXECUTIVE_STEP, False)
    assert str(ruling) == (
        "executive approval is needed only above £500.00; this request costs £180.00"
        " (rule approval.executive of policy set head-led-school v2)"
    )


def test_a_threshold_may_be_given_in_pounds_and_pence(tmp_path: Path) -> None:
    text = head_led(executive='"above"').replace(
        "executive_above_gbp = 500", "executive_above_gbp = 499.99"
    )
    policy_set = load(tmp_path, text)
    assert policy_set.approval.executive_above_gbp == Decimal("499.99")
    assert policy_set.executive_step_required(Decimal("500"))


# --- who approves at each step -----------------------------------------------------------


def test_a_head_teachers_own_request_goes_to_the_chair_of_governors_by_default(
    tmp_path: Path,
) -> None:
    policy_set = load(tmp_path, head_led())
    assert policy_set.head_step_role_for([Role.HEAD_TEACHER]) is Role.CHAIR_OF_GOVERNORS
    assert policy_set.head_step_role_for_own_request is Role.CHAIR_OF_GOVERNORS


def test_a_governors_request_goes_to_the_chair_of_governors_by_default(tmp_path: Path) -> None:
    assert load(tmp_path, head_led()).head_step_role_for(["governor"]) is Role.CHAIR_OF_GOVERNORS


def test_a_teachers_request_goes_to_the_head_teacher(tmp_path: Path) -> None:
    assert load(tmp_path, head_led()).head_step_role_for(["teacher"]) is Role.HEAD_TEACHER


def test_a_policy_set_may_name_who_approves_the_heads_and_governors_cpd(tmp_path: Path) -> None:
    approval = (
        'own_request_head_step = "executive_lead"\n'
        'governor_request_head_step = "trustee"\n'
        'own_request_executive_step = "chair_of_governors"'
    )
    policy_set = load(tmp_path, head_led(approval=approval))
    assert policy_set.head_step_role_for(["head_teacher", "teacher"]) is Role.EXECUTIVE_LEAD
    assert policy_set.head_step_role_for(["chair_of_governors"]) is Role.TRUSTEE
    assert policy_set.executive_step_role_for_own_request is Role.CHAIR_OF_GOVERNORS


def test_an_executive_leads_own_request_goes_to_a_trustee_by_default(tmp_path: Path) -> None:
    assert load(tmp_path, head_led()).executive_step_role_for_own_request is Role.TRUSTEE


# --- booking and dissemination -----------------------------------------------------------


def test_only_the_activity_types_listed_are_booked_centrally(tmp_path: Path) -> None:
    policy_set = load(tmp_path, head_led())
    booked = {t for t in ActivityType if policy_set.booking_required(t)}
    assert booked == {ActivityType.COURSE, ActivityType.CONFERENCE, ActivityType.QUALIFICATION}
    assert str(policy_set.booking_ruling("coaching")) == (
        "coaching activities are not booked centrally"
        " (rule booking.central of policy set head-led-school v1)"
    )


def test_dissemination_is_required_for_the_types_listed_whatever_they_cost(tmp_path: Path) -> None:
    policy_set = load(tmp_path, head_led())
    assert policy_set.dissemination_required("conference", Decimal(0))
    assert not policy_set.dissemination_required("qualification", Decimal(3000))


def test_dissemination_may_also_be_required_above_a_cost_for_any_type(tmp_path: Path) -> None:
    policy_set = load(tmp_path, head_led(dissemination="required_above_gbp = 250"))
    assert not policy_set.dissemination_required("online", Decimal("250.00"))
    ruling = policy_set.dissemination_ruling("online", Decimal("250.01"))
    assert ruling.applies
    assert (
        ruling.reason
        == "activities costing over £250.00 must be disseminated; this one costs £250.01"
    )


# --- the shipped default behaves exactly as today ----------------------------------------


def test_the_default_set_sends_every_request_to_the_executive_and_books_and_disseminates_all() -> (
    None
):
    default = default_policy_set()
    assert (default.id, default.version) == (DEFAULT_POLICY_ID, 1)
    assert default.executive_step_required(Decimal(0))
    assert all(default.booking_required(t) for t in ActivityType)
    assert all(default.dissemination_required(t, Decimal(0)) for t in ActivityType)
    assert follow_up_policy_of(default) == FollowUpPolicy()
    assert default.repayment_share(date(2027, 1, 1), date(2027, 1, 2)) == 0


def test_the_follow_up_section_has_exactly_the_fields_and_defaults_of_follow_up_policy() -> None:
    assert list(FollowUps.model_fields) == [f.name for f in fields(FollowUpPolicy)]
    assert FollowUps().model_dump() == {f.name: f.default for f in fields(FollowUpPolicy)}


def test_the_default_set_reads_the_follow_up_numbers_of_cpd_follow_up_policy(
    tmp_path: Path,
) -> None:
    numbers = write(tmp_path, "follow-ups.json", '{"approval_wait_school_days": 5}')
    library = load_policy_library(None, numbers)
    expected = FollowUpPolicy(approval_wait_school_days=5)
    assert follow_up_policy_of(library.current(None, date(2027, 1, 4))) == expected


def test_a_sets_own_follow_up_numbers_start_from_todays_not_from_the_json_file(
    tmp_path: Path,
) -> None:
    write(tmp_path / "policies", "set.toml", head_led(extra="[follow_ups]\nevaluation_repeats = 1"))
    numbers = write(tmp_path, "follow-ups.json", '{"approval_wait_school_days": 5}')
    library = load_policy_library(tmp_path / "policies", numbers)
    policy_set = library.current("head-led-school", date(2027, 1, 4))
    assert follow_up_policy_of(policy_set) == FollowUpPolicy(evaluation_repeats=1)


# --- money ---------------------------------------------------------------------------------


def test_a_maintained_schools_financial_year_runs_april_to_march(tmp_path: Path) -> None:
    policy_set = load(tmp_path, head_led())
    year = policy_set.financial_year_containing(date(2027, 3, 31))
    assert (year.starts, year.ends, year.label) == (date(2026, 4, 1), date(2027, 3, 31), "2026-27")
    assert policy_set.financial_year_containing(date(2027, 4, 1)).label == "2027-28"


def test_a_school_without_a_repayment_clause_never_asks_for_money_back(tmp_path: Path) -> None:
    assert load(tmp_path, head_led()).repayment_share(date(2027, 1, 1), date(2027, 1, 1)) == 0


def test_every_rule_can_be_cited_by_its_stable_name(tmp_path: Path) -> None:
    policy_set = load(tmp_path, ABOVE_500)
    assert policy_set.cite(Rule.HEAD_STEP_ROLE) == (
        "rule approval.head_step of policy set head-led-school v2"
    )
    assert [r.value for r in Rule] == [
        "approval.executive",
        "approval.head_step",
        "approval.executive_step",
        "booking.central",
        "dissemination.required",
        "follow_ups",
        "money.financial_year",
        "money.within_budget",
        "repayment",
        "statutory",
    ]
