"""What opening and sending a form link does.

Opening (GET, as often as anyone or any mail scanner likes) only reads. Sending checks the
answer, then posts the step's CloudEvent as the link's person through the inbound queue,
like any other client. The link is used up only when that event is applied (in the
event's own transaction: workflow/store/used_links.py); a refused event or an incomplete
form leaves it usable.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from fastapi.responses import HTMLResponse

from handlers.forms import notices, tokens, words
from handlers.forms.answers import COMMENT, REASON, answer
from handlers.forms.fields import Field
from handlers.forms.pages import page
from handlers.forms.steps import STEPS, Step
from handlers.forms.submit import FORMS_SOURCE, Sent, form_event, send
from handlers.http_guards import read_body
from handlers.service import Service
from schemas.limits import MAX_EVENT_BYTES
from workflow.directory import school_as_of, staff_as_of
from workflow.model import CpdRequest, local_today
from workflow.policy import PolicySet
from workflow.store import APPLIED
from workflow.store import used_links as links

log = logging.getLogger("cpd.forms")
MAX_TOKEN_CHARS = 1000  # a real one is about 120


@dataclass(frozen=True)
class Waiting:
    """A link whose request waits for its step: everything its page shows."""

    link: tokens.FormLink
    step: Step
    request: CpdRequest
    policy: PolicySet
    names: dict[str, str]
    school: str


class Forms:
    def __init__(self, service: Service) -> None:
        self.service = service
        self._sending: set[str] = set()  # nonces whose answer is on its way

    @cached_property
    def secret(self) -> str:
        return tokens.link_secret(self.service.settings.data_dir)

    async def open(self, token: str) -> HTMLResponse:
        link = self._read(token)
        if isinstance(link, HTMLResponse):
            return link
        found = await self._waiting(link)
        if isinstance(found, HTMLResponse):
            return found
        today = self._today(found.policy)
        dates = {f.name: today for f in self._fields(found) if f.kind == "date"}
        return await self._form(found, dates, {}, 200)

    async def send(self, token: str, request: Request) -> HTMLResponse:
        link = self._read(token)
        if isinstance(link, HTMLResponse):
            return link
        if link.nonce in self._sending:  # a second press of Send while the first is on its way
            return notices.being_recorded("")
        self._sending.add(link.nonce)
        try:
            return await self._send(link, request)
        finally:
            self._sending.discard(link.nonce)

    async def _send(self, link: tokens.FormLink, request: Request) -> HTMLResponse:
        found = await self._waiting(link, sending=True)
        if isinstance(found, HTMLResponse):
            return found
        body = await read_body(request, MAX_EVENT_BYTES)
        if body is None:
            return notices.too_long()
        answered = answer(found.step, found.policy, _form(body), self._today_date(found.policy))
        if answered.event_type is None:
            return await self._form(found, answered.checked.values, answered.checked.errors, 422)
        event = form_event(link, answered.event_type, answered.checked.data, self._now())
        return await self._outcome(found, event.type, await send(self.service, event))

    async def _outcome(self, found: Waiting, event_type: str, sent: Sent) -> HTMLResponse:
        if sent.unavailable:
            return notices.not_sent(found.school)
        if sent.outcome is None:
            return notices.being_recorded(found.school)
        status = sent.outcome.status
        fresh = await self.service.store.get_request(found.request.request_id)
        if status.status == APPLIED:
            return notices.thanks(event_type, fresh, found.school)
        if status.code == "invalid_transition" and fresh is not None:
            return await self._moved_on(found.link, found.step, fresh, found.school, 409)
        return notices.refused(status.code, status.reason, found.school)

    def _read(self, token: str) -> tokens.FormLink | HTMLResponse:
        if len(token) > MAX_TOKEN_CHARS:
            return notices.not_a_link()
        days = self.service.settings.link_days
        try:
            link = tokens.read(self.secret, token, self._now(), days)
        except tokens.ExpiredLink:
            return notices.expired(days)
        except tokens.InvalidLink:
            return notices.not_a_link()
        return link

    async def _waiting(
        self, link: tokens.FormLink, sending: bool = False
    ) -> Waiting | HTMLResponse:
        store, step = self.service.store, STEPS[link.step]
        request = await store.get_request(link.request_id)
        if request is None:
            return notices.no_such_request(link)
        school = await self._school(request.school_id)
        used = await store.on_reader(links.used, link.nonce)
        if used is not None:
            return notices.used(used, await self._names([used.staff_id]), school)
        if await store.on_reader(links.in_flight, FORMS_SOURCE, link.nonce):
            return notices.being_recorded(school)
        if not step.waiting(request):
            return await self._moved_on(link, step, request, school, 409 if sending else 200)
        policy = store.governance.for_request(request)
        names = await self._names([link.staff_id, request.staff_id])
        return Waiting(link, step, request, policy, names, school)

    async def _moved_on(
        self, link: tokens.FormLink, step: Step, request: CpdRequest, school: str, status: int
    ) -> HTMLResponse:
        entries = await self.service.store.history(request.request_id)
        names = await self._names(e.actor for e in entries)
        return notices.moved_on(step, request, entries, names, school, status=status)

    async def _form(
        self, found: Waiting, values: dict[str, str], errors: dict[str, str], status: int
    ) -> HTMLResponse:
        fields = self._fields(found)
        context: dict[str, Any] = {
            "title": found.step.heading,
            "school": found.school,
            "request": found.request,
            "requester": found.names.get(found.request.staff_id, found.request.staff_id),
            "person": found.names.get(found.link.staff_id, found.link.staff_id),
            "values": values,
            "errors": errors,
            "anchors": {f.name: f.first_input for f in fields},
        }
        if found.step.template == "approval.html":
            entries = await self.service.store.history(found.request.request_id)
            names = {**found.names, **await self._names(e.actor for e in entries)}
            earlier = [e for e in entries if e.event_type == "cpd.request.head_approved"]
            context |= {
                "comment": COMMENT,
                "reason": REASON,
                "policy": found.policy,
                "submitted": found.request.details.get("submitted", {}),
                "earlier": [words.happened(e, names) for e in earlier],
            }
        else:
            context |= {
                "fields": fields,
                "intro": found.step.intro.format(requester=context["requester"]),
            }
        return page(found.step.template, status, **context)

    def _fields(self, found: Waiting) -> tuple[Field, ...]:
        if found.step.template == "approval.html":
            return (COMMENT, REASON)
        return found.step.fields(found.policy)

    async def _names(self, staff_ids: Iterable[str]) -> dict[str, str]:
        wanted, now = sorted(set(staff_ids)), self._now()

        def read(db: Any) -> dict[str, str]:
            found = {i: staff_as_of(db, i, now) for i in wanted}
            return {i: member.name for i, member in found.items() if member is not None}

        names: dict[str, str] = await self.service.store.on_reader(read)
        return names

    async def _school(self, school_id: str) -> str:
        school = await self.service.store.on_reader(school_as_of, school_id, self._now())
        return school.name if school is not None else school_id

    def _now(self) -> datetime:
        return self.service.clock.now()

    def _today_date(self, policy: PolicySet) -> date:
        return local_today(policy, self._now())

    def _today(self, policy: PolicySet) -> str:
        return str(self._today_date(policy).isoformat())


def _form(body: bytes) -> dict[str, str]:
    """A posted HTML form (application/x-www-form-urlencoded); anything else reads as an
    empty form, so its page asks again. Browsers send a text box's line breaks as CRLF."""
    try:
        pairs = parse_qsl(
            body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=100
        )
    except ValueError:
        return {}
    return {name: value.replace("\r\n", "\n") for name, value in pairs}
