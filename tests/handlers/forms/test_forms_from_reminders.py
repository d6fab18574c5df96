"""Each reminder's mail carries its form, in Chromium: the service's fake clock is moved to
the reminder's due time and the follow-ups fire as the waker fires them; the mail the SMTP
server accepts opens the form of the person it reminds, and Submit records the step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from selenium.webdriver.chrome.webdriver import WebDriver

from tests.handlers.forms.filling import (
    approve,
    disseminate,
    evaluate,
    fits_a_phone,
    heading,
    review,
)
from tests.handlers.forms.from_mail import Live, answered_as, form_link_in, live_service
from tests.lifecycle import END_OF_COURSE, staff_event
from workflow.clock import FakeClock

# Reminders for one person in a school morning wait this long to go as one digest.
DIGEST_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True)
class Chase:
    kind: str
    waiting_in: str  # the request's state while the reminder is due
    participant: str
    reminded: str  # who gets the link
    subject: str
    fill: Callable[[WebDriver], None]
    step: str  # the step the form records
    state: str  # the request's state once it is recorded


CHASES = [
    Chase(
        kind="approval_pending",
        waiting_in="requested",
        participant="T-042",
        reminded="HEAD-1",
        subject="Reminder: approval waiting",
        fill=approve,
        step="head_approved",
        state="head_approved",
    ),
    Chase(
        kind="approval_pending",
        waiting_in="head_approved",
        participant="T-042",
        reminded="EXEC-1",
        subject="Reminder: approval waiting",
        fill=approve,
        step="executive_approved",
        state="executive_approved",
    ),
    Chase(
        kind="evaluation_due",
        waiting_in="completed",
        participant="T-042",
        reminded="T-042",
        subject="Reminder: evaluation due",
        fill=evaluate,
        step="evaluated",
        state="evaluated",
    ),
    Chase(
        kind="dissemination_due",
        waiting_in="evaluated",
        participant="T-042",
        reminded="T-042",
        subject="Reminder: sharing what was learned",
        fill=disseminate,
        step="disseminated",
        state="disseminated",
    ),
    # T-044's line manager is LM-1, who is not the head teacher.
    Chase(
        kind="impact_review_due",
        waiting_in="disseminated",
        participant="T-044",
        reminded="LM-1",
        subject="Reminder: impact review due",
        fill=review,
        step="impact_reviewed",
        state="disseminated",
    ),
]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(END_OF_COURSE)  # the whole course can be recorded as done


@pytest.fixture
def live(tmp_path: Path, clock: FakeClock) -> Iterator[Live]:
    with live_service(tmp_path / "data", clock) as service:
        service.post(staff_event("LM-1", ["leadership"]))
        service.post(staff_event("T-044", ["teacher"], "LM-1"))
        yield service


def fire_the_next_reminder(live: Live, clock: FakeClock) -> None:
    """Move the clock to the next follow-up's due time and fire it, as the waker does;
    then on past the digest window, and send what is due."""
    service, waker = live.running.service, live.running.service.waker
    assert waker is not None
    due = live.running.run(service.follow_ups.next_due())
    assert due is not None
    clock.set(due)
    assert live.running.run(waker.wake()) > 0
    clock.advance(DIGEST_WINDOW)
    live.running.run(service.mail.sender.send_due())


def reminders_in_history(live: Live, request_id: str) -> list[tuple[str, list[str]]]:
    """(kind, the staff ids it named) of each reminder the request's history records."""
    entries = live.call("GET", f"/requests/{request_id}/history").json()["entries"]
    return [
        (e["data"]["kind"], [r["staff_id"] for r in e["data"]["recipients"]])
        for e in entries
        if e["event_type"] == "cpd.reminder.due"
    ]


@pytest.mark.parametrize("chase", CHASES, ids=[f"{c.kind}-{c.waiting_in}" for c in CHASES])
def test_a_reminders_mail_opens_the_form_of_the_person_it_reminds_and_records_the_answer(
    browser: WebDriver, live: Live, clock: FakeClock, chase: Chase
) -> None:
    live.walk_to("R-1", chase.waiting_in, chase.participant)

    fire_the_next_reminder(live, clock)
    fired = reminders_in_history(live, "R-1")
    assert {kind for kind, _ in fired} == {chase.kind}
    assert any(chase.reminded in named for _, named in fired)
    reminder = live.mail(chase.reminded, chase.subject, "R-1")
    browser.get(form_link_in(reminder, live.url))
    fits_a_phone(browser)
    chase.fill(browser)

    assert heading(browser) == "Thank you"
    assert live.request("R-1")["state"] == chase.state
    answered_as(live.entry("R-1", chase.step), chase.reminded)
