"""The scopes a key is made with: parsed, checked against the known event types."""

from __future__ import annotations

import pytest

from schemas import INBOUND_DATA
from workflow.access import (
    Scopes,
    UnknownScope,
    key_hash,
    looks_like_key,
    new_key,
    parse_scope,
    signed_in,
    valid_name,
)
from workflow.policy import Role


@pytest.mark.parametrize(
    "scope",
    [
        "post:cpd.request.*",
        "post:staff.*",
        "post:cpd.request.submitted",
        "post:approval.delegat?d",
        "read:requests",
        "read:audit",
        "read:reports",
        "read:directory",
        "act-for-others",
        "admin",
    ],
)
def test_known_scopes_are_accepted(scope: str) -> None:
    assert parse_scope(scope, INBOUND_DATA) == scope


@pytest.mark.parametrize(
    ("scope", "says"),
    [
        ("read:everything", "unknown scope"),
        ("write:requests", "unknown scope"),
        ("post:", "must be an event type"),
        ("post:cpd request", "must be an event type"),
        ("post:cpd.requests.*", "matches no event type"),
        ("Admin", "unknown scope"),
    ],
)
def test_unknown_scopes_are_refused_saying_why(scope: str, says: str) -> None:
    with pytest.raises(UnknownScope) as refused:
        parse_scope(scope, INBOUND_DATA)

    assert says in refused.value.reason


def test_post_patterns_match_event_types_fnmatch_style() -> None:
    scopes = Scopes.of("post:cpd.request.*", "post:staff.left")

    assert scopes.may_post("cpd.request.head_approved")
    assert scopes.may_post("staff.left")
    assert not scopes.may_post("staff.upserted")
    assert not scopes.may_post("approval.delegated")


def test_admin_holds_every_scope() -> None:
    admin = Scopes.of("admin")

    assert admin.may_post("staff.upserted")
    assert all(admin.allows(s) for s in ("read:audit", "read:requests", "act-for-others"))


def test_a_signed_in_person_reads_the_audit_only_as_executive_lead_or_trustee() -> None:
    teacher = signed_in("a@x", "T-1", [Role.TEACHER, Role.HEAD_TEACHER])
    trustee = signed_in("b@x", "TR-1", [Role.TRUSTEE])
    executive = signed_in("c@x", "EX-1", [Role.EXECUTIVE_LEAD])

    assert not teacher.scopes.allows("read:audit")
    assert trustee.scopes.allows("read:audit") and executive.scopes.allows("read:audit")
    assert teacher.scopes.allows("read:requests") and teacher.scopes.allows("read:reports")
    assert teacher.scopes.allows("read:directory")
    assert teacher.scopes.may_post("cpd.request.submitted")
    assert teacher.scopes.may_post("approval.delegated")
    assert not teacher.scopes.may_post("staff.upserted")


def test_a_key_is_random_prefixed_and_kept_as_its_sha256() -> None:
    first, second = new_key(), new_key()

    assert first != second and looks_like_key(first) and len(first) > 40
    assert key_hash(first) == key_hash(first) != key_hash(second)
    assert len(key_hash(first)) == 64 and first not in key_hash(first)
    assert not looks_like_key("eyJhbGciOiJSUzI1NiJ9.e30.sig")


@pytest.mark.parametrize(
    ("name", "valid"),
    [("staff-portal", True), ("hr.feed_2", True), ("", False), ("a b", False), ("-x", False)],
)
def test_key_names_are_short_and_plain(name: str, valid: bool) -> None:
    assert valid_name(name) is valid
