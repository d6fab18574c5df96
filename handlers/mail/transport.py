"""Where mail goes: an SMTP server (aiosmtplib), or `.eml` files when none is configured.

A transport either returns (the server accepted the message) or raises DeliveryFailed,
which says whether trying again could help: an SMTP 5xx answer to the message (its sender,
a recipient, its content) will not change, so it is permanent; a 4xx answer, a refused or
dropped connection, a timeout, and trouble before any message is offered (greeting, TLS,
login: the server or our settings, not this message) are temporary.
"""

from __future__ import annotations

import asyncio
import os
import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

SCHEMES = {
    "smtp": (25, False, False),
    "smtp+starttls": (587, False, True),
    "smtps": (465, True, False),
}


class DeliveryFailed(Exception):
    def __init__(self, answer: str, *, permanent: bool, unreachable: bool = False) -> None:
        super().__init__(answer)
        self.answer = answer
        self.permanent = permanent
        # No session could be had at all: the messages after it would fare no better.
        self.unreachable = unreachable


class Transport(Protocol):
    name: str

    async def send(self, message: EmailMessage) -> None: ...

    async def close(self) -> None: ...


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    use_tls: bool
    start_tls: bool
    username: str | None = None
    password: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """`smtp://host:25`, `smtp+starttls://user:password@host:587`, `smtps://…@host:465`
        (user and password percent-encoded, as in any URL)."""
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES or not parts.hostname:
            raise ValueError(f"not an SMTP address: {parts.scheme}://{parts.hostname or ''}")
        port, use_tls, start_tls = SCHEMES[parts.scheme]
        user = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        return cls(parts.hostname, parts.port or port, use_tls, start_tls, user, password)


class SmtpTransport:
    """One connection, opened when a message is to go and kept for the ones after it;
    dropped after any failure, so the next message starts on a clean session."""

    name = "smtp"

    def __init__(self, server: SmtpServer, timeout: float = 30.0) -> None:
        self.server = server
        self.timeout = timeout
        self._client: aiosmtplib.SMTP | None = None

    async def send(self, message: EmailMessage) -> None:
        try:
            client = await self._connected()
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPTimeoutError, OSError) as error:
            await self.close()
            answer = f"cannot reach the SMTP server: {_answer(error)}"
            raise DeliveryFailed(answer, permanent=False, unreachable=True) from error
        except aiosmtplib.SMTPException as error:  # greeting, TLS or login refused
            await self.close()
            answer = f"the SMTP server refused a session: {_answer(error)}"
            raise DeliveryFailed(answer, permanent=False, unreachable=True) from error
        try:
            await client.send_message(message)
        except aiosmtplib.SMTPRecipientsRefused as error:
            await self.close()
            permanent = all(r.code >= 500 for r in error.recipients)
            answer = "; ".join(_answer(r) for r in error.recipients)
            raise DeliveryFailed(answer, permanent=permanent) from error
        except aiosmtplib.SMTPResponseException as error:
            await self.close()
            raise DeliveryFailed(_answer(error), permanent=error.code >= 500) from error
        except (aiosmtplib.SMTPException, OSError) as error:
            await self.close()
            raise DeliveryFailed(_answer(error), permanent=False) from error

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        s = self.server
        client = aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            username=s.username,
            password=s.password,
            use_tls=s.use_tls,
            start_tls=s.start_tls,
            timeout=self.timeout,
        )
        await client.connect()
        self._client = client
        return client

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None or not client.is_connected:
            return
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            client.close()


class MailDirectory:
    """No SMTP server (the embedded default): each message is written to `DATA_DIR/mail/`
    as an `.eml` file, named by its row and Message-ID, whole or not at all."""

    name = "files"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, message: EmailMessage) -> None:
        try:
            await asyncio.to_thread(self._write, message)
        except OSError as error:
            raise DeliveryFailed(f"cannot write the mail file: {error}", permanent=False) from error

    def _write(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = eml_name(str(message["X-CPD-Notification"]), str(message["Message-ID"]))
        path = self.directory / name
        partial = path.with_name(f".{name}.partial")
        partial.write_bytes(message.as_bytes())
        os.replace(partial, path)  # a reader never sees half a file

    async def close(self) -> None:
        return None


def eml_name(row_id: str, message_id: str) -> str:
    """`00000042-3f2c….eml`: ordered by row, and the same file for the same message."""
    local = re.sub(r"[^A-Za-z0-9._-]", "", message_id.strip("<>").split("@")[0])
    return f"{int(row_id):08d}-{local}.eml"


def _answer(error: Exception) -> str:
    """The server's own words where it gave some: `550 5.1.1 mailbox unavailable`."""
    code = getattr(error, "code", None)
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return f"{code} {message}" if code else message
