"""A real SMTP server (aiosmtpd) on a loopback port, in the test's own event loop.

`Inbox` keeps every message it accepted, and can be told how to answer the next ones: a
refusal (`"550 5.1.1 …"`), a temporary failure (`"451 …"`), or `DROP` (the connection is
closed after the message is sent, before the server answers: the sender cannot know
whether it arrived).

`mailbox()` runs the same server on a thread of its own, for a test that is not async (a
browser test drives Chromium synchronously) while a live service sends to it.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, cast

from aiosmtpd.smtp import SMTP, Envelope, Session

DROP = "drop the connection"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.offered = 0  # messages whose content reached the server, whatever it answered
        self.answers: list[str] = []  # how to answer the next messages, then "250"
        self._arrived = asyncio.Event()
        # When set: each message waits (holding.set()) until `release` is set before the
        # answer, so a test can act while the sender has a message in hand.
        self.release: asyncio.Event | None = None
        self.holding = asyncio.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.offered += 1
        if self.release is not None:
            self.holding.set()
            await self.release.wait()
        answer = self.answers.pop(0) if self.answers else None
        if answer == DROP:
            assert server.transport is not None
            server.transport.close()
            return "421 gone"
        if answer is not None:
            return answer
        content = cast(bytes, envelope.content)
        message = email.message_from_bytes(content, policy=email.policy.default)
        self.messages.append(cast(EmailMessage, message))
        self._arrived.set()
        return "250 2.0.0 accepted"

    async def wait_for(self, count: int, within: float = 10.0) -> list[EmailMessage]:
        """Until `count` messages have been accepted (awaited, never slept for)."""
        async with asyncio.timeout(within):
            while len(self.messages) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.messages


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def smtp_server(inbox: Inbox, port: int = 0) -> AsyncIterator[str]:
    """Serves until the block ends; yields its `smtp://` address."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(inbox, hostname="mail.test", decode_data=False), "127.0.0.1", port
    )
    bound: Any = server.sockets[0].getsockname()
    try:
        yield f"smtp://127.0.0.1:{bound[1]}"
    finally:
        server.close()
        await server.wait_closed()


@dataclass(frozen=True)
class Mailbox:
    url: str  # smtp://127.0.0.1:PORT
    inbox: Inbox
    loop: asyncio.AbstractEventLoop

    def wait_for(
        self, wanted: Callable[[EmailMessage], bool], within: float = 15.0
    ) -> EmailMessage:
        """The first accepted message `wanted` picks, awaited on the server's loop."""

        async def first() -> EmailMessage:
            seen = 0
            async with asyncio.timeout(within):
                while True:
                    for message in self.inbox.messages[seen:]:
                        if wanted(message):
                            return message
                    seen = len(self.inbox.messages)
                    await self.inbox.wait_for(seen + 1, within)

        return asyncio.run_coroutine_threadsafe(first(), self.loop).result()


@contextmanager
def mailbox() -> Iterator[Mailbox]:
    """`smtp_server` serving on its own thread's loop until the block ends."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    inbox, stack = Inbox(), AsyncExitStack()

    def on_loop(work: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(work, loop).result(30)

    try:
        url = on_loop(stack.enter_async_context(smtp_server(inbox)))
        yield Mailbox(url, inbox, loop)
    finally:
        on_loop(stack.aclose())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()


def body(message: EmailMessage, subtype: str) -> str:
    """The text of the `plain` or `html` part."""
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None and part.get_content_subtype() == subtype
    return cast(str, cast(EmailMessage, part).get_content())


def subject(message: EmailMessage) -> str:
    """The Subject as a mail program shows it (a long one arrives folded onto a second line,
    which Python's parser gives back with the fold's leading space)."""
    return str(message["Subject"]).strip()
