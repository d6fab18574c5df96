"""Links in mail: signed for one request, one step and one person, and only for so long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workflow.notifications import LinkExpired, LinkInvalid, form_link, read_form_token

SECRET = "a-secret-kept-in-the-data-directory"
ISSUED = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
FORTNIGHT = timedelta(days=14)


def token(**changes: str) -> str:
    link = form_link(
        changes.get("public_url", "https://cpd.trust.example/"),
        "REQ-1",
        changes.get("step", "approve_head"),
        "HEAD-1",
        ISSUED,
        secret=SECRET,
    )
    return link.rsplit("/", 1)[1]


def test_a_link_starts_with_the_public_address_and_carries_a_token() -> None:
    link = form_link(
        "https://cpd.trust.example/", "REQ-1", "evaluate", "T-042", ISSUED, secret=SECRET
    )

    assert link.startswith("https://cpd.trust.example/forms/")
    assert "//forms" not in link


def test_the_token_says_which_request_step_and_person_it_is_for() -> None:
    read = read_form_token(SECRET, token(), ISSUED + timedelta(days=3), FORTNIGHT)

    assert (read.request_id, read.step, read.staff_id) == ("REQ-1", "approve_head", "HEAD-1")
    assert read.issued_at == ISSUED


def test_a_token_older_than_the_page_accepts_has_expired() -> None:
    with pytest.raises(LinkExpired):
        read_form_token(SECRET, token(), ISSUED + FORTNIGHT + timedelta(seconds=1), FORTNIGHT)


def test_a_changed_token_or_another_secret_is_not_one_of_ours() -> None:
    signed = token()
    tampered = signed[:-2] + ("A" if signed[-2] != "A" else "B") + signed[-1]

    with pytest.raises(LinkInvalid):
        read_form_token(SECRET, tampered, ISSUED, FORTNIGHT)
    with pytest.raises(LinkInvalid):
        read_form_token("another-secret", signed, ISSUED, FORTNIGHT)


def test_there_is_no_link_to_a_step_without_a_form() -> None:
    with pytest.raises(ValueError, match="no form for step"):
        token(step="booked")
