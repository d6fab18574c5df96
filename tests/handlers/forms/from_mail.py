"""A person's side of the forms: the whole service on a real port sends its mail to a real
SMTP server in the test process, with links that start with the service's own address,
and the test reads each link out of the message that arrived."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

from handlers.settings import Settings
from tests.handlers.keys import bearer
from tests.lifecycle import LIFECYCLE_STATES, lifecycle, post_directory
from tests.live_server import Running, running
from tests.mail_server import Mailbox, body, mailbox, subject
from workflow.clock import Clock


@dataclass
class Live:
    running: Running
    mailbox: Mailbox
    key: str | None = None  # once keys are in use: what the test's own API calls carry

    @property
    def url(self) -> str:
        return self.running.url

    def call(self, method: str, path: str, **options: Any) -> httpx.Response:
        headers = bearer(self.key) if self.key else {}
        return httpx.request(method, self.url + path, headers=headers, timeout=15, **options)

    def post(self, event: dict[str, Any]) -> None:
        answer = self.call("POST", "/events?wait=true", json=event)
        assert answer.status_code == 200, answer.text

    def walk_to(self, request_id: str, state: str, staff_id: str = "T-042") -> None:
        """Post the lifecycle's events until the request is in `state`."""
        for event in lifecycle(request_id, staff_id)[: LIFECYCLE_STATES.index(state) + 1]:
            self.post(event)

    def request(self, request_id: str) -> dict[str, Any]:
        answer = self.call("GET", f"/requests/{request_id}")
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    def entry(self, request_id: str, event_type: str) -> dict[str, Any]:
        """The request's latest history entry for `cpd.request.<event_type>`."""
        answer = self.call("GET", f"/requests/{request_id}/history")
        assert answer.status_code == 200, answer.text
        entries = answer.json()["entries"]
        found = [e for e in entries if e["event_type"] == f"cpd.request.{event_type}"]
        assert found, f"no {event_type} in {[e['event_type'] for e in entries]}"
        latest: dict[str, Any] = found[-1]
        return latest

    def mail(self, staff_id: str, subject_starts: str, request_id: str) -> EmailMessage:
        """The message the SMTP server accepted for that person about that request."""
        address = f"{staff_id.lower()}@walmley.example"  # tests.lifecycle.staff_event's

        def wanted(message: EmailMessage) -> bool:
            return (
                parseaddr(str(message["To"]))[1] == address
                and subject(message).startswith(subject_starts)
                and f"Request: {request_id}" in body(message, "plain")
            )

        return self.mailbox.wait_for(wanted)


@contextmanager
def live_service(data_dir: Path, clock: Clock | None = None) -> Iterator[Live]:
    """Started with the lifecycle's directory loaded and mail going to `Live.mailbox`."""
    with mailbox() as box:

        def settings(url: str) -> Settings:
            return Settings(data_dir=data_dir, smtp_url=box.url, public_url=url, wait_timeout=10)

        with running(settings, clock) as run:
            post_directory(run.url)
            yield Live(run, box)


def form_link_in(message: EmailMessage, public_url: str) -> str:
    """The one form link in the plain text, after checking the HTML part's button opens the
    same link (and no other)."""
    text = body(message, "plain")
    links = re.findall(rf"{re.escape(public_url)}/forms/\S+", text)
    assert len(links) == 1, f"not one form link in {subject(message)!r}:\n{text}"
    link: str = links[0]
    anchors = _Anchors()
    anchors.feed(body(message, "html"))
    assert anchors.hrefs == [link]
    return link


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def answered_as(entry: dict[str, Any], staff_id: str) -> None:
    """The history entry was applied in that person's name, sent by the forms."""
    found = (entry["actor"], entry["client"], entry["outcome"])
    assert found == (staff_id, "forms", "applied"), entry
