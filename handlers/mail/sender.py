"""Sends what the mail queue holds: due rows, each message under its own stable Message-ID,
recorded as sent right after the server accepts it.

So a clean stop never sends a message twice (the message in hand is finished and recorded
before the sender stops), and nothing is lost (a row leaves `queued` only once it is sent
or kept as failed). A crash between the server's acceptance and our record of it sends
that message once more at the next start, under the same Message-ID.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from functools import partial

from handlers.mail import records
from handlers.mail.render import Renderer
from handlers.mail.transport import DeliveryFailed, Transport
from workflow import log_context
from workflow.clock import Clock
from workflow.store import Store

log = logging.getLogger("cpd.mail")


class MailSender:
    def __init__(
        self,
        store: Store,
        transport: Transport,
        renderer: Renderer,
        *,
        mail_from: str,
        max_attempts: int = 8,
        clock: Clock | None = None,
        poll_seconds: float = 30.0,
        batch: int = 200,
    ) -> None:
        self.store = store
        self.transport = transport
        self.renderer = renderer
        self.mail_from = mail_from
        self.max_attempts = max_attempts
        self.clock = clock or store.clock
        # Longest sleep: also how soon a retry queued by `cpd notifications retry` goes.
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.sent = 0
        self.last_error: str | None = None
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="mail-sender")

    def wake_from_writer(self) -> None:
        """Called on the writer thread when a transaction queued mail."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def stop(self, grace_seconds: float = 60.0) -> None:
        """Finish and record the message in hand, then stop; what is queued goes next start."""
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), grace_seconds)
            self._task.cancel()
        await self.transport.close()

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self.send_due()
                wait = await self._until_next()
            except Exception as error:  # the database, say: try again after a pause
                self.last_error = repr(error)
                log.exception("mail sender failed; trying again shortly")
                wait = self.poll_seconds
            if self._stopping:
                return
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    async def _until_next(self) -> float:
        due = await self.store.on_reader(records.next_due)
        if due is None:
            return self.poll_seconds
        seconds = (due - self.clock.now()).total_seconds()
        return min(max(seconds, 0.0), self.poll_seconds)

    async def send_due(self) -> int:
        """Send every message due by now; returns how many the server accepted."""
        async with self._lock:
            accepted = 0
            while not self._stopping:
                due = await self.store.transaction(
                    partial(records.claim_due, now=self.clock.now(), limit=self.batch)
                )
                unreachable: DeliveryFailed | None = None
                for message in due:
                    if self._stopping:
                        break
                    if unreachable is not None:  # the server is down: this waits as well
                        await self._failed(message, unreachable)
                        continue
                    try:
                        accepted += await self._send(message)
                    except DeliveryFailed as failure:
                        await self._failed(message, failure)
                        unreachable = failure if failure.unreachable else None
                if len(due) < self.batch:
                    break
            await self.transport.close()
            return accepted

    async def _send(self, due: records.Due) -> int:
        await self.transport.send(self.compose(due, self.clock.now()))
        now = self.clock.now()
        # Not fsync'd: a process crash keeps the commit; a power cut may lose it, and the
        # message then goes once more under the same Message-ID, as after any crash here.
        await self.store.transaction(
            lambda db: records.record_sent(db, due.message_id, now), fsync=False
        )
        self.sent += 1
        return 1

    async def _failed(self, due: records.Due, failure: DeliveryFailed) -> None:
        now = self.clock.now()
        status = await self.store.transaction(
            lambda db: records.record_failure(
                db,
                due.message_id,
                failure.answer,
                now,
                permanent=failure.permanent,
                max_attempts=self.max_attempts,
            )
        )
        self.last_error = failure.answer
        to = due.rows[0].to_address
        # A digest gathers several requests' reminders: it is about none of them alone.
        about = due.rows[0].context.get("request", {}) if len(due.rows) == 1 else {}
        with log_context.about(request_id=about.get("id")):
            log.warning("mail %s to %s: %s (%s)", due.message_id, to, failure.answer, status)

    def compose(self, due: records.Due, now: datetime) -> EmailMessage:
        """The message as it goes out: plain text and HTML, its stable Message-ID."""
        first = due.rows[0]
        if len(due.rows) == 1:
            subject, text, html = first.subject, first.text, first.html
        else:
            day = (first.digest_key or "").rsplit("|", 1)[-1]
            rendered = self.renderer.digest([r.context for r in due.rows], day)
            subject, text, html = rendered.subject, rendered.text, rendered.html
        message = EmailMessage()
        message["From"] = self.mail_from
        message["To"] = formataddr((first.to_name, first.to_address))
        message["Subject"] = subject
        message["Message-ID"] = due.message_id
        message["Date"] = format_datetime(now)
        message["Auto-Submitted"] = "auto-generated"
        message["X-CPD-Notification"] = str(first.id)
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        return message
