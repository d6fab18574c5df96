"""The mail queue's writing end: rows written inside the transaction that applied a step
or fired a reminder, so a mail exists exactly when its cause committed.

Each row is rendered as it is queued (what staff receive is fixed by the moment of the
decision) and given its Message-ID now, so every attempt to send it carries the same one.
A reminder that may join a digest gets the digest's key (the person and the school day)
and waits, with the others already queued under that key, until the window closes.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from handlers.mail.records import stamp
from handlers.mail.render import Renderer
from workflow.directory import staff_as_of
from workflow.errors import DomainError
from workflow.model import Command, CpdRequest, Transition
from workflow.notifications import (
    REMINDER_MAIL,
    RENEWAL_DUE,
    LinkMaker,
    Mail,
    decision_mails,
    reminder_mails,
    renewal_mails,
)
from workflow.policy import PolicySet
from workflow.store import Governance, read_request

_INSERT = (
    "INSERT INTO notifications (message_id, request_id, cause, kind, template, to_staff_id,"
    " to_address, to_name, subject, text, html, context, digest_key, status, attempts,"
    " not_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)"
)


def new_message_id() -> str:
    return f"<{uuid.uuid4()}@cpd-workflow>"


class MailQueue:
    def __init__(self, governance: Governance, link: LinkMaker, renderer: Renderer) -> None:
        self.governance = governance
        self.link = link
        self.renderer = renderer
        # Called on the writer thread when a transaction queued mail (wakes the sender,
        # whose reads go through the same writer, so they follow the commit).
        self.on_queued: Callable[[], None] = lambda: None

    def on_transition(
        self, db: sqlite3.Connection, transition: Transition, command: Command, now: datetime
    ) -> None:
        """Transaction hook (workflow.store): the mail a step produces."""
        request = transition.request
        cause = f"{request.request_id}/v{request.version}"
        policy = self._policy(request)
        self._queue(
            db, decision_mails(db, transition, command, policy, now, self.link, cause), policy, now
        )

    def on_reminder(
        self, db: sqlite3.Connection, follow_up_id: str, data: dict[str, Any], now: datetime
    ) -> None:
        """Reminder hook (scheduler.follow_ups): one mail per person the reminder names."""
        if data["kind"] == RENEWAL_DUE:
            policy = self._school_policy(db, str(data["staff_id"]), now)
            self._queue(db, renewal_mails(db, data, policy, now, follow_up_id), policy, now)
            return
        request = read_request(db, str(data["request_id"]))
        if request is None:
            return
        policy = self._policy(request)
        mails = reminder_mails(db, data, request, policy, now, self.link, follow_up_id)
        self._queue(db, mails, policy, now)

    def _policy(self, request: CpdRequest) -> PolicySet:
        try:
            return self.governance.for_request(request)
        except DomainError:  # a version no longer loaded: the shipped numbers
            return self.governance.library.default

    def _school_policy(self, db: sqlite3.Connection, staff_id: str, now: datetime) -> PolicySet:
        """The set in force for the person's school now (its time zone, its digests)."""
        member = staff_as_of(db, staff_id, now)
        try:
            if member is not None:
                return self.governance.for_new_request(db, member.school_id, now)
        except DomainError:
            pass
        return self.governance.library.default

    def _queue(
        self, db: sqlite3.Connection, mails: list[Mail], policy: PolicySet, now: datetime
    ) -> None:
        queued = False
        for mail in mails:
            if not mail.to_address:
                continue  # nobody to send it to: the history and the broker still have it
            key, not_before = self._when(db, mail, policy, now)
            rendered = self.renderer.render(mail.context)
            db.execute(
                _INSERT,
                (
                    new_message_id(),
                    mail.request_id,
                    mail.cause,
                    mail.kind,
                    mail.template,
                    mail.to_staff_id,
                    mail.to_address,
                    mail.to_name,
                    rendered.subject,
                    rendered.text,
                    rendered.html,
                    json.dumps(mail.context),
                    key,
                    stamp(not_before),
                    stamp(now),
                ),
            )
            queued = True
        if queued:
            self.on_queued()

    def _when(
        self, db: sqlite3.Connection, mail: Mail, policy: PolicySet, now: datetime
    ) -> tuple[str | None, datetime]:
        """Decisions go at once; a reminder waits for the others of its person's school day
        (unless the policy set sends reminders one by one)."""
        rules = policy.notifications
        if mail.kind != REMINDER_MAIL or not rules.digest_reminders:
            return None, now
        zone = ZoneInfo(policy.follow_ups.timezone)
        day = now.astimezone(zone).date()
        key = f"{mail.to_staff_id}|{mail.to_address}|{day.isoformat()}"
        (waiting,) = db.execute(
            "SELECT MIN(not_before) FROM notifications"
            " WHERE digest_key = ? AND status = 'queued' AND sealed_at IS NULL",
            (key,),
        ).fetchone()
        if waiting is not None:
            return key, datetime.fromisoformat(waiting)
        ends = datetime.combine(day, time.fromisoformat(policy.follow_ups.school_day_ends), zone)
        window = now + timedelta(minutes=rules.digest_window_minutes)
        return key, max(now, min(window, ends))
