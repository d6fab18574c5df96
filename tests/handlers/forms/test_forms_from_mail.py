"""From the mail to the recorded answer, in Chromium: the link each person's mail carries
(read out of the message the SMTP server accepted) opens their form, and Submit records
the step in their name, with `forms` as the client.

API keys are in use here, so every other call needs one: the forms still need none, and
the tests read requests with their key.
"""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage

import httpx
import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

from tests.handlers.forms.filling import approve, disseminate, evaluate, fits_a_phone, heading
from tests.handlers.forms.from_mail import Live, answered_as, form_link_in, live_service
from tests.handlers.keys import make_key
from tests.lifecycle import event, submitted_data


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data_dir = tmp_path_factory.mktemp("mail-forms") / "data"
    with live_service(data_dir) as service:
        service.key = make_key(data_dir, "trust-tests", "admin")
        yield service


def follow(browser: WebDriver, live: Live, message: EmailMessage) -> None:
    """Open the message's link, as a click in a mail program would."""
    browser.get(form_link_in(message, live.url))
    fits_a_phone(browser)


def test_the_head_teacher_then_the_executive_lead_approve_from_the_links_in_their_mail(
    browser: WebDriver, live: Live
) -> None:
    live.post(event("submitted", "M-APPROVE", "T-042", submitted_data()))

    follow(browser, live, live.mail("HEAD-1", "Approval needed:", "M-APPROVE"))
    approve(browser)

    assert heading(browser) == "Thank you"
    assert live.request("M-APPROVE")["state"] == "head_approved"
    answered_as(live.entry("M-APPROVE", "head_approved"), "HEAD-1")

    follow(browser, live, live.mail("EXEC-1", "Approval needed:", "M-APPROVE"))
    approve(browser)

    assert heading(browser) == "Thank you"
    assert live.request("M-APPROVE")["state"] == "executive_approved"
    answered_as(live.entry("M-APPROVE", "executive_approved"), "EXEC-1")


def test_the_participant_evaluates_from_the_link_in_the_completion_mail(
    browser: WebDriver, live: Live
) -> None:
    live.walk_to("M-EVALUATE", "completed")

    follow(browser, live, live.mail("T-042", "Please evaluate:", "M-EVALUATE"))
    evaluate(browser)

    assert heading(browser) == "Thank you"
    assert live.request("M-EVALUATE")["state"] == "evaluated"
    evaluated = live.entry("M-EVALUATE", "evaluated")
    answered_as(evaluated, "T-042")
    assert evaluated["data"]["rating"] == 4
    assert evaluated["data"]["learned"] == "Blending and segmenting routines"


def test_the_participant_records_the_sharing_from_the_link_in_the_evaluation_mail(
    browser: WebDriver, live: Live
) -> None:
    live.walk_to("M-SHARE", "evaluated")
    assert live.request("M-SHARE")["dissemination"] == "required"

    follow(browser, live, live.mail("T-042", "Please share what you learned:", "M-SHARE"))
    disseminate(browser)

    assert heading(browser) == "Thank you"
    assert live.request("M-SHARE")["state"] == "disseminated"
    shared = live.entry("M-SHARE", "disseminated")
    answered_as(shared, "T-042")
    assert shared["data"]["audience"] == "Key Stage 1 team"


def test_with_keys_in_use_a_form_needs_none_while_the_api_refuses_a_call_without_one(
    browser: WebDriver, live: Live
) -> None:
    live.post(event("submitted", "M-KEYS", "T-042", submitted_data()))
    link = form_link_in(live.mail("HEAD-1", "Approval needed:", "M-KEYS"), live.url)

    browser.get(link)  # Chromium holds no key and no sign-in
    approve(browser)

    assert heading(browser) == "Thank you"
    assert httpx.get(f"{live.url}/requests/M-KEYS", timeout=10).status_code == 401
    assert live.request("M-KEYS")["state"] == "head_approved"
