"""Form links: signed, expiring, bound to one request, one step and one person."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer

from handlers.forms import tokens
from workflow.clock import FakeClock

SECRET = "a-test-secret-not-the-services"
ISSUED = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def test_a_link_reads_back_as_the_request_step_and_person_it_was_issued_for() -> None:
    token = tokens.issue(SECRET, "REQ-1", "approve_head", "HEAD-1", ISSUED)

    link = tokens.read(SECRET, token, ISSUED + timedelta(hours=1), valid_days=14)

    assert (link.request_id, link.step, link.staff_id) == ("REQ-1", "approve_head", "HEAD-1")
    assert tokens.form_link("https://cpd.example/", token) == f"https://cpd.example/forms/{token}"


def test_two_links_for_the_same_step_differ() -> None:
    first = tokens.issue(SECRET, "REQ-1", "evaluate", "T-042", ISSUED)
    second = tokens.issue(SECRET, "REQ-1", "evaluate", "T-042", ISSUED)

    assert first != second
    assert (
        tokens.read(SECRET, first, ISSUED, 14).nonce
        != tokens.read(SECRET, second, ISSUED, 14).nonce
    )


def test_a_link_works_until_its_days_are_up_on_the_clock_and_then_expires() -> None:
    clock = FakeClock(ISSUED)
    token = tokens.issue(SECRET, "REQ-1", "disseminate", "T-042", clock.now())

    clock.advance(timedelta(days=14))
    assert tokens.read(SECRET, token, clock.now(), valid_days=14).step == "disseminate"
    clock.advance(timedelta(seconds=1))
    with pytest.raises(tokens.ExpiredLink) as expired:
        tokens.read(SECRET, token, clock.now(), valid_days=14)

    assert expired.value.link.request_id == "REQ-1"


def test_a_link_dated_after_the_clock_is_not_accepted() -> None:
    token = tokens.issue(SECRET, "REQ-1", "evaluate", "T-042", ISSUED)

    with pytest.raises(tokens.ExpiredLink):
        tokens.read(SECRET, token, ISSUED - timedelta(minutes=5), valid_days=14)


@pytest.mark.parametrize("where", [0, 20, 60, -3])
def test_a_tampered_link_is_not_a_link(where: int) -> None:
    token = tokens.issue(SECRET, "REQ-1", "approve_head", "HEAD-1", ISSUED)
    changed = token[:where] + ("A" if token[where] != "A" else "B") + token[where + 1 :]

    with pytest.raises(tokens.InvalidLink):
        tokens.read(SECRET, changed, ISSUED, 14)


def test_a_link_signed_with_another_secret_is_not_a_link() -> None:
    token = tokens.issue("another-secret", "REQ-1", "approve_head", "HEAD-1", ISSUED)

    with pytest.raises(tokens.InvalidLink):
        tokens.read(SECRET, token, ISSUED, 14)


def test_a_signed_payload_naming_a_step_with_no_form_is_not_a_link() -> None:
    signer = URLSafeTimedSerializer(SECRET, salt=tokens.SALT)
    token = signer.dumps({"r": "REQ-1", "s": "book", "p": "BOOKING-OFFICE", "n": "abc"})

    with pytest.raises(tokens.InvalidLink):
        tokens.read(SECRET, token, datetime.now(UTC), 14)
    with pytest.raises(ValueError, match="unknown form step"):
        tokens.issue(SECRET, "REQ-1", "book", "BOOKING-OFFICE", ISSUED)


def test_a_link_made_by_itsdangerous_alone_with_the_shared_spec_reads_back() -> None:
    """The mail side may sign with a plain URLSafeTimedSerializer: same salt, same payload."""
    signer = URLSafeTimedSerializer(SECRET, salt="cpd-form-link")
    token = signer.dumps({"r": "REQ-9", "s": "impact_review", "p": "HEAD-1", "n": "n-1_x"})

    link = tokens.read(SECRET, token, datetime.now(UTC), 14)

    assert link == tokens.FormLink("REQ-9", "impact_review", "HEAD-1", "n-1_x")


def test_the_secret_is_made_once_readable_by_the_service_alone(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"

    secret = tokens.link_secret(data_dir)

    path = data_dir / "link-secret"
    assert len(secret) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tokens.link_secret(data_dir) == secret
    assert sorted(p.name for p in data_dir.iterdir()) == ["link-secret"]
