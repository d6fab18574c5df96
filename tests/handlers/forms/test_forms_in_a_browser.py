"""Each form in a real browser against the real server: open the link, fill, submit.

Per form: the answer is recorded (state and history), a used link, an expired link and
the wrong person each get their own page; every page fits a 400 px wide phone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from handlers.settings import Settings
from tests.handlers.forms.filling import (
    approve,
    disseminate,
    evaluate,
    fits_a_phone,
    heading,
    press,
    review,
    type_into,
)
from tests.handlers.forms.walk import form_path, walk_live
from tests.lifecycle import post_directory
from tests.live_server import serving


@dataclass(frozen=True)
class Live:
    url: str
    data_dir: Path

    def link(self, request_id: str, step: str, staff_id: str, days_ago: int = 0) -> str:
        issued = datetime.now(UTC) - timedelta(days=days_ago)
        return self.url + form_path(self.data_dir, request_id, step, staff_id, issued)

    def request(self, request_id: str) -> dict[str, Any]:
        found: dict[str, Any] = httpx.get(f"{self.url}/requests/{request_id}", timeout=10).json()
        return found

    def last_step(self, request_id: str) -> dict[str, Any]:
        answer = httpx.get(f"{self.url}/requests/{request_id}/history", timeout=10)
        entry: dict[str, Any] = answer.json()["entries"][-1]
        return entry


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data_dir = tmp_path_factory.mktemp("forms") / "data"
    with serving(Settings(data_dir=data_dir, wait_timeout=10)) as url:
        post_directory(url)
        yield Live(url, data_dir)


@dataclass(frozen=True)
class Form:
    step: str
    person: str
    wrong_person: str
    fill: Callable[[WebDriver], None]
    state: str  # the request's state once the answer is recorded
    event_type: str


FORMS = [
    Form("approve_head", "HEAD-1", "BOOKING-OFFICE", approve, "head_approved", "head_approved"),
    Form(
        "approve_executive", "EXEC-1", "HEAD-1", approve, "executive_approved", "executive_approved"
    ),
    Form("evaluate", "T-042", "HEAD-1", evaluate, "evaluated", "evaluated"),
    Form("disseminate", "T-042", "BOOKING-OFFICE", disseminate, "disseminated", "disseminated"),
    Form("impact_review", "HEAD-1", "T-042", review, "evaluated", "impact_reviewed"),
]
BY_STEP = pytest.mark.parametrize("form", FORMS, ids=[f.step for f in FORMS])


@BY_STEP
def test_a_form_opened_filled_and_sent_records_the_answer_as_its_person(
    browser: WebDriver, live: Live, form: Form
) -> None:
    request_id = f"B-SENT-{form.step}"
    walk_live(live.url, request_id, form.step)

    browser.get(live.link(request_id, form.step, form.person))
    fits_a_phone(browser)
    form.fill(browser)

    assert heading(browser) == "Thank you"
    fits_a_phone(browser)
    assert live.request(request_id)["state"] == form.state
    last = live.last_step(request_id)
    assert (last["event_type"], last["actor"], last["outcome"]) == (
        f"cpd.request.{form.event_type}",
        form.person,
        "applied",
    )
    assert last["event_source"] == "cpd-workflow/forms"


@BY_STEP
def test_a_used_link_opened_again_says_it_has_been_used(
    browser: WebDriver, live: Live, form: Form
) -> None:
    request_id = f"B-USED-{form.step}"
    walk_live(live.url, request_id, form.step)
    link = live.link(request_id, form.step, form.person)
    browser.get(link)
    form.fill(browser)
    assert heading(browser) == "Thank you"

    browser.get(link)

    assert heading(browser) == "This link has already been used"
    assert "There is nothing more to do." in browser.page_source
    fits_a_phone(browser)


@BY_STEP
def test_an_expired_link_says_to_ask_for_a_new_one(
    browser: WebDriver, live: Live, form: Form
) -> None:
    request_id = f"B-OLD-{form.step}"
    walk_live(live.url, request_id, form.step)
    before = live.request(request_id)

    browser.get(live.link(request_id, form.step, form.person, days_ago=15))

    assert heading(browser) == "This link has expired"
    assert "Ask your school's CPD lead for a new link." in browser.page_source
    fits_a_phone(browser)
    assert live.request(request_id)["version"] == before["version"]


@BY_STEP
def test_the_wrong_persons_link_is_refused_and_says_why(
    browser: WebDriver, live: Live, form: Form
) -> None:
    request_id = f"B-WRONG-{form.step}"
    walk_live(live.url, request_id, form.step)
    before = live.request(request_id)

    browser.get(live.link(request_id, form.step, form.wrong_person))
    form.fill(browser)

    assert heading(browser) == "This could not be recorded"
    assert "the link has not been used up" in browser.page_source
    fits_a_phone(browser)
    assert live.request(request_id)["version"] == before["version"]
    last = live.last_step(request_id)
    assert (last["outcome"], last["actor"]) == ("refused", form.wrong_person)


def test_a_reject_without_a_reason_shows_the_problem_beside_the_box_and_keeps_the_link(
    browser: WebDriver, live: Live
) -> None:
    walk_live(live.url, "B-REJECT", "approve_head")
    link = live.link("B-REJECT", "approve_head", "HEAD-1")
    browser.get(link)

    press(browser, "Reject")

    assert browser.title.startswith("Error: ")
    box = browser.find_element(By.ID, "reason")
    assert box.get_attribute("aria-invalid") == "true"
    described = (box.get_attribute("aria-describedby") or "").split()
    assert "reason-error" in described
    assert browser.find_element(By.ID, "reason-error").text.endswith(
        "Say why you are rejecting this request"
    )
    fits_a_phone(browser)
    type_into(browser, "reason", "No cover that week")
    press(browser, "Reject")
    assert heading(browser) == "Thank you"
    assert live.request("B-REJECT")["state"] == "rejected"


def test_an_approval_can_be_given_with_the_keyboard_alone(browser: WebDriver, live: Live) -> None:
    walk_live(live.url, "B-KEYS", "approve_head")
    browser.get(live.link("B-KEYS", "approve_head", "HEAD-1"))

    comment = browser.find_element(By.ID, "comment")
    comment.send_keys("Yes")
    comment.send_keys(Keys.TAB)  # from the box to its Approve button
    focused = browser.switch_to.active_element
    assert focused.tag_name == "button" and focused.text == "Approve"
    press(browser, "Approve", key=Keys.ENTER)

    assert heading(browser) == "Thank you"
    assert live.request("B-KEYS")["state"] == "head_approved"
