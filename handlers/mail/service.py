"""Mail wired into the service: the queue's hooks, the sender, and what the edges read."""

from __future__ import annotations

from typing import Any

from handlers.mail import records
from handlers.mail.queue import MailQueue
from handlers.mail.render import Renderer
from handlers.mail.sender import MailSender
from handlers.mail.transport import MailDirectory, SmtpServer, SmtpTransport, Transport
from handlers.settings import Settings
from scheduler.follow_ups import FollowUps
from workflow.clock import Clock
from workflow.store import Store


class MailService:
    def __init__(self, settings: Settings, store: Store, clock: Clock) -> None:
        self.store = store
        renderer = Renderer()
        # Imported here: the forms package imports the service, which imports this module.
        from handlers.forms import tokens

        secret, base = tokens.link_secret(settings.data_dir), settings.link_base

        def link(request_id: str, step: str, staff_id: str) -> str:
            """That person's own link to the step's form, as the form pages read it."""
            token = tokens.issue(secret, request_id, step, staff_id, clock.now())
            return tokens.form_link(base, token)

        self.queue = MailQueue(store.governance, link, renderer)
        transport: Transport = (
            SmtpTransport(SmtpServer.from_url(settings.smtp_url))
            if settings.smtp_url
            else MailDirectory(settings.mail_dir)
        )
        self.sender = MailSender(
            store,
            transport,
            renderer,
            mail_from=settings.mail_from,
            max_attempts=settings.mail_max_attempts,
            clock=clock,
        )
        self.queue.on_queued = self.sender.wake_from_writer

    def attach(self, follow_ups: FollowUps) -> None:
        """Queue mail in the transactions that apply steps and fire reminders."""
        self.store.add_transaction_hook(self.queue.on_transition)
        follow_ups.reminder_hooks.append(self.queue.on_reminder)

    def start(self) -> None:
        self.sender.start()

    async def stop(self) -> None:
        await self.sender.stop()

    async def listed(self, status: str | None, limit: int) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self.store.on_reader(records.listed, status, limit)
        return found

    async def of_request(self, request_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = await self.store.on_reader(records.of_request, request_id)
        return found

    def health(self) -> dict[str, Any]:
        """Informational: mail trouble never makes the service itself unavailable."""
        return {
            "ok": True,
            "transport": self.sender.transport.name,
            "sent": self.sender.sent,
            "last_error": self.sender.last_error,
        }
