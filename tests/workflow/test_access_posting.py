"""May this caller post this event type with this actor? The issue's rules, as a table."""

from __future__ import annotations

import pytest

from workflow.access import (
    AccessRefused,
    ActorMismatch,
    ActorNotInDirectory,
    Caller,
    MissingScope,
    PersonRequired,
    Scopes,
    check_post,
    needs_directory,
    signed_in,
)
from workflow.policy import Role

CALLERS = {
    "admin": Caller("ops", Scopes.of("admin")),
    "portal": Caller(
        "portal", Scopes.of("post:cpd.request.*", "post:approval.*", "act-for-others")
    ),
    "hr feed": Caller("hr-feed", Scopes.of("post:staff.*", "post:school.*")),
    "mis-scoped system": Caller("hr-feed", Scopes.of("post:cpd.request.*")),
    "key --as HEAD-1": Caller("head-app", Scopes.of("post:cpd.request.*"), staff_id="HEAD-1"),
    "T-042 signed in": signed_in("t-042@walmley.example", "T-042", [Role.TEACHER]),
}
OK = "allowed"
SUBMIT, APPROVE, DELEGATE = (
    "cpd.request.submitted",
    "cpd.request.head_approved",
    "approval.delegated",
)

# caller, event type, actor, the actor is a current person, what happens
TABLE: list[tuple[str, str, str, bool, str | type[AccessRefused]]] = [
    ("admin", APPROVE, "HEAD-1", True, OK),
    ("admin", APPROVE, "NOBODY", False, OK),  # admin acts for anyone
    ("admin", "staff.upserted", "hr-sync", False, OK),
    ("key --as HEAD-1", APPROVE, "HEAD-1", True, OK),
    ("key --as HEAD-1", APPROVE, "HEAD-2", True, ActorMismatch),
    ("key --as HEAD-1", DELEGATE, "HEAD-1", True, MissingScope),
    ("T-042 signed in", SUBMIT, "T-042", True, OK),
    ("T-042 signed in", DELEGATE, "T-042", True, OK),
    ("T-042 signed in", SUBMIT, "T-043", True, ActorMismatch),
    ("T-042 signed in", "staff.upserted", "T-042", True, MissingScope),
    ("portal", SUBMIT, "T-043", True, OK),  # act-for-others: any person of the directory
    ("portal", SUBMIT, "X-1", False, ActorNotInDirectory),
    ("portal", "staff.upserted", "hr-sync", False, MissingScope),
    ("hr feed", "staff.upserted", "hr-sync", False, OK),
    ("hr feed", "school.upserted", "nightly-sync", False, OK),  # a system names itself
    ("hr feed", "staff.left", "hr", False, OK),
    ("hr feed", DELEGATE, "HEAD-1", True, MissingScope),
    ("mis-scoped system", SUBMIT, "T-042", True, PersonRequired),  # needs a person
]


@pytest.mark.parametrize(("caller", "event_type", "actor", "is_person", "expected"), TABLE)
def test_who_may_post_what_in_whose_name(
    caller: str,
    event_type: str,
    actor: str,
    is_person: bool,
    expected: str | type[AccessRefused],
) -> None:
    if expected == OK:
        check_post(CALLERS[caller], event_type, actor, is_person)
        return
    assert isinstance(expected, type)
    with pytest.raises(expected):
        check_post(CALLERS[caller], event_type, actor, is_person)


def test_a_missing_post_scope_names_the_scope_needed() -> None:
    with pytest.raises(MissingScope) as refused:
        check_post(CALLERS["T-042 signed in"], "staff.upserted", "T-042", True)

    assert refused.value.scope == "post:staff.upserted"
    assert refused.value.status == 403
    assert "needs the scope post:staff.upserted" in refused.value.reason


def test_an_actor_mismatch_names_both_people() -> None:
    with pytest.raises(ActorMismatch) as refused:
        check_post(CALLERS["key --as HEAD-1"], APPROVE, "HEAD-2", True)

    assert refused.value.code == "actor_mismatch"
    assert "acts only as HEAD-1" in refused.value.reason and "'HEAD-2'" in refused.value.reason


def test_only_a_portal_posting_a_decision_needs_the_directory() -> None:
    assert needs_directory(CALLERS["portal"], SUBMIT)
    assert not needs_directory(CALLERS["portal"], "staff.upserted")
    assert not needs_directory(CALLERS["admin"], SUBMIT)
    assert not needs_directory(CALLERS["T-042 signed in"], SUBMIT)
    assert not needs_directory(CALLERS["hr feed"], "staff.upserted")


def test_an_event_type_of_no_known_family_counts_as_a_persons_decision() -> None:
    system = Caller("payroll", Scopes.of("post:*"))

    with pytest.raises(PersonRequired):
        check_post(system, "payroll.adjusted", "payroll-sync", False)


def test_a_finance_system_may_set_a_budget_in_its_own_name() -> None:
    finance = Caller("finance", Scopes.of("post:budget.*"))

    check_post(finance, "budget.set", "finance-sync", False)
    with pytest.raises(MissingScope):
        check_post(finance, "cpd.request.submitted", "finance-sync", False)
