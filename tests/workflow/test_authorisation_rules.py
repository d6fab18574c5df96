"""Who may take each step, as the rules read it (pure; the store-level table comes with
the directory wiring)."""

from __future__ import annotations

import pytest

from workflow.authorisation import NotAuthorised, Parties, Standing, UnknownActor, authorise
from workflow.errors import GuardFailed
from workflow.policy.defaults import default_policy_set
from workflow.policy.vocabulary import Role

POLICY = default_policy_set()
TEACHER_REQUEST = Parties(participant_roles=frozenset({Role.TEACHER}))


def someone(*roles: Role, **kwargs: object) -> Standing:
    return Standing("S-1", frozenset(roles), **kwargs)  # type: ignore[arg-type]


def permitted(step: str, actor: Standing | None, parties: Parties = TEACHER_REQUEST) -> bool:
    try:
        authorise(step, actor, parties, POLICY, "S-1")
    except NotAuthorised:
        return False
    return True


@pytest.mark.parametrize(
    ("step", "who", "allowed"),
    [
        ("submitted", someone(Role.TEACHER, is_participant=True), True),
        ("submitted", someone(Role.HEAD_TEACHER), False),
        ("head_approved", someone(Role.HEAD_TEACHER), True),
        ("head_approved", someone(Role.TEACHER, Role.LEADERSHIP), False),
        ("head_rejected", someone(Role.HEAD_TEACHER), True),
        ("executive_approved", someone(Role.EXECUTIVE_LEAD), True),
        ("executive_approved", someone(Role.HEAD_TEACHER), False),
        ("booked", someone(Role.BOOKING_OFFICE), True),
        ("booked", someone(Role.HEAD_TEACHER), False),
        ("booking_cancelled", someone(Role.BOOKING_OFFICE), True),
        ("completed", someone(Role.TEACHER, is_participant=True), True),
        ("completed", someone(Role.TEACHER, is_line_manager=True), True),
        ("completed", someone(Role.CPD_LEAD), True),
        ("completed", someone(Role.TEACHER), False),
        ("not_attended", someone(Role.BOOKING_OFFICE), True),
        ("evaluated", someone(Role.TEACHER, is_participant=True), True),
        ("evaluated", someone(Role.HEAD_TEACHER), False),
        ("disseminated", someone(Role.CPD_LEAD), True),
        ("disseminated", someone(Role.TEACHER, is_line_manager=True), False),
        ("withdrawn", someone(Role.HEAD_TEACHER), True),
        ("withdrawn", someone(Role.BOOKING_OFFICE), False),
        ("dissemination_waived", someone(Role.CPD_LEAD), True),
        ("dissemination_waived", someone(Role.TEACHER, is_participant=True), False),
        ("impact_reviewed", someone(Role.TEACHER, is_line_manager=True), True),
        ("impact_reviewed", someone(Role.TEACHER, is_participant=True), False),
    ],
)
def test_who_may_take_each_step(step: str, who: Standing, allowed: bool) -> None:
    assert permitted(step, who) is allowed


def test_a_refusal_names_the_role_needed_and_the_rule() -> None:
    with pytest.raises(NotAuthorised) as refusal:
        authorise("booked", someone(Role.TEACHER), TEACHER_REQUEST, POLICY, "S-1")
    assert "a booking office" in refusal.value.reason
    assert "rule who_may.book" in refusal.value.reason


def test_someone_not_in_the_directory_is_an_unknown_actor() -> None:
    with pytest.raises(UnknownActor, match="'ghost' is not in the staff directory"):
        authorise("head_approved", None, TEACHER_REQUEST, POLICY, "ghost")


def test_school_directed_cpd_may_be_submitted_by_the_line_manager_or_head() -> None:
    directed = Parties(participant_roles=frozenset({Role.TEACHER}), directed=True)
    assert permitted("submitted", someone(Role.TEACHER, is_line_manager=True), directed)
    assert permitted("submitted", someone(Role.HEAD_TEACHER), directed)
    assert not permitted("submitted", someone(Role.TEACHER), directed)


def test_a_requester_approving_their_own_request_keeps_todays_guard() -> None:
    me = someone(Role.HEAD_TEACHER, is_participant=True)
    with pytest.raises(GuardFailed, match="cannot approve it"):
        authorise("head_approved", me, TEACHER_REQUEST, POLICY, "S-1")


def test_a_requester_cannot_reject_their_own_request_but_may_withdraw_it() -> None:
    me = someone(Role.HEAD_TEACHER, is_participant=True)
    with pytest.raises(NotAuthorised, match="withdraw it instead"):
        authorise("head_rejected", me, TEACHER_REQUEST, POLICY, "S-1")
    assert permitted("withdrawn", me)


def test_a_head_teachers_own_request_goes_to_the_chair_of_governors() -> None:
    heads_request = Parties(participant_roles=frozenset({Role.HEAD_TEACHER}))
    assert permitted("head_approved", someone(Role.CHAIR_OF_GOVERNORS), heads_request)
    assert not permitted("head_approved", someone(Role.HEAD_TEACHER), heads_request)


def test_a_governors_request_goes_to_the_chair_of_governors() -> None:
    governors_request = Parties(participant_roles=frozenset({Role.GOVERNOR}))
    assert permitted("head_approved", someone(Role.CHAIR_OF_GOVERNORS), governors_request)
    assert not permitted("head_approved", someone(Role.HEAD_TEACHER), governors_request)


def test_the_head_approver_cannot_also_give_the_executive_approval() -> None:
    approved_by_me = Parties(frozenset({Role.TEACHER}), head_approvers=frozenset({"S-1"}))
    both = someone(Role.HEAD_TEACHER, Role.EXECUTIVE_LEAD)
    with pytest.raises(NotAuthorised, match="gave the head approval"):
        authorise("executive_approved", both, approved_by_me, POLICY, "S-1")


def test_an_executive_leads_own_request_goes_to_a_trustee_when_no_other_lead_exists() -> None:
    leads_request = Parties(participant_roles=frozenset({Role.EXECUTIVE_LEAD}))
    assert permitted("executive_approved", someone(Role.TRUSTEE), leads_request)
    with_another = Parties(
        frozenset({Role.EXECUTIVE_LEAD}), others_holding={Role.EXECUTIVE_LEAD: frozenset({"X"})}
    )
    assert permitted("executive_approved", someone(Role.EXECUTIVE_LEAD), with_another)
    assert not permitted("executive_approved", someone(Role.TRUSTEE), with_another)


def test_a_delegate_approves_on_behalf_of_the_head_teacher() -> None:
    deputy = someone(Role.LEADERSHIP, delegated_by={"head": frozenset({"HEAD-1"})})
    permit = authorise("head_approved", deputy, TEACHER_REQUEST, POLICY, "S-1")
    assert permit.on_behalf_of == "HEAD-1"
    assert not permitted("executive_approved", deputy)


def test_a_delegate_of_the_head_approver_cannot_give_the_executive_approval() -> None:
    after_head = Parties(frozenset({Role.TEACHER}), head_approvers=frozenset({"EXEC-1", "S-1"}))
    delegate = someone(Role.LEADERSHIP, delegated_by={"executive": frozenset({"EXEC-1"})})
    with pytest.raises(NotAuthorised):
        authorise("executive_approved", delegate, after_head, POLICY, "S-1")


def test_the_chair_of_governors_own_request_goes_to_a_trustee() -> None:
    chairs_request = Parties(participant_roles=frozenset({Role.CHAIR_OF_GOVERNORS, Role.GOVERNOR}))
    assert permitted("head_approved", someone(Role.TRUSTEE), chairs_request)
    assert not permitted("head_approved", someone(Role.CHAIR_OF_GOVERNORS), chairs_request)
