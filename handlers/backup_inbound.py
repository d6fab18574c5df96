"""The embedded broker's share of a backup: messages accepted into `CPD_INBOUND` (their
senders have had their acknowledgement) but not applied when the database was copied.

The database's tracking record says how far the stream was applied, so these are the
messages after that position. They are read without disturbing the service's reader
(by sequence number, not through its consumer), and put back into a restored directory's
own embedded stream, where its service applies them first, in their order.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nats
from nats.js.errors import NotFoundError

from handlers.backup_files import BackupError, Unapplied
from handlers.brokers.nats_inbound import (
    INBOUND_STREAM,
    INBOUND_SUBJECT,
    ensure_stream,
    inbound_stream,
)
from handlers.embedded_nats import EmbeddedNats, client_url
from handlers.embedded_nats_credentials import nats_dir
from workflow.store import Tracked

# Tries before settling for a backup that may miss messages (see copy_with_unapplied).
ATTEMPTS = 3
# Kept by JetStream to drop a re-send within minutes; meaningless in a new stream.
_DEDUPE_HEADER = "Nats-Msg-Id"


@dataclass(frozen=True)
class Message:
    seq: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def line(self) -> str:
        body = base64.b64encode(self.body).decode()
        return json.dumps({"seq": self.seq, "headers": self.headers, "body": body})

    @classmethod
    def from_line(cls, line: dict[str, Any]) -> Message:
        return cls(int(line["seq"]), base64.b64decode(line["body"]), dict(line["headers"]))


@dataclass(frozen=True)
class Stream:
    """The stream as it stood at one read: its id (as the tracking record names it), the
    sequence numbers it held, and the messages read from it."""

    stream_id: str | None  # None: there is no stream yet
    first: int = 0
    last: int = 0
    messages: dict[int, Message] = field(default_factory=dict)


async def read(js: Any, *, after: Tracked | None = None, start: int = 0) -> Stream:
    """The messages the stream holds from `start`, or after the position `after` tracks
    (when it tracks this stream), to its last."""
    try:
        info = await js.stream_info(INBOUND_STREAM)
    except NotFoundError:
        return Stream(None)
    first, last = int(info.state.first_seq or 0), int(info.state.last_seq or 0)
    stream_id = info.created.isoformat() if info.created else "unknown"  # as the reader keeps it
    if after is not None and after.stream_id == stream_id:
        start = after.position + 1
    messages: dict[int, Message] = {}
    for seq in range(max(first, start, 1), last + 1):
        try:
            raw = await js.get_msg(INBOUND_STREAM, seq)
        except NotFoundError:  # purged meanwhile: applied, by the service's own rule
            continue
        messages[seq] = Message(seq, raw.data or b"", dict(raw.headers or {}))
    return Stream(stream_id, first, last, messages)


async def copy_with_unapplied(
    js: Any, copy: Callable[[], tuple[int, Tracked | None]], live: Tracked | None
) -> tuple[int, list[Message], Unapplied]:
    """`copy()` the database between two reads of the stream; the messages after the
    position the copy tracks are the unapplied ones. The service purges what it applied
    every few seconds: should it purge, between the reads, messages the copy had not
    applied, the copy is taken again (then kept, saying so). `live`: the position before."""
    if js is None:
        return copy()[0], [], _unapplied([], complete=True)
    schema, kept = 0, []
    for _ in range(ATTEMPTS):
        before = await read(js, after=live)
        schema, copied = copy()
        after = await read(js, start=before.last + 1)
        if after.stream_id != before.stream_id:  # made or re-made meanwhile: read again
            continue
        tracks = copied is not None and copied.stream_id == before.stream_id
        applied = copied.position if copied is not None and tracks else before.first - 1
        messages = {**before.messages, **after.messages}
        kept = [messages[seq] for seq in sorted(messages) if seq > applied]
        # Missing: messages after the copy's position, posted after the first read and
        # purged before the second (the stream's first number moved past them).
        lost = max(after.first, before.first) - 1 > max(before.last, applied)
        if not lost:
            return schema, kept, _unapplied(kept, complete=True)
        live = copied
    return schema, kept, _unapplied(kept, complete=False)


def _unapplied(kept: list[Message], complete: bool) -> Unapplied:
    if complete:
        note = "accepted but not applied when the database was copied; cpd restore puts them"
        note += " back into the embedded stream, where they are applied first, in order"
    else:
        note = "the service purged applied messages while the copy was taken: some accepted"
        note += " after the copy may be missing; take the backup again when it is quieter"
    return Unapplied(broker="embedded", messages=len(kept), complete=complete, note=note)


@asynccontextmanager
async def embedded_stream(data_dir: Path, service_running: bool) -> AsyncIterator[Any]:
    """JetStream on the data directory's embedded server: the running service's, or one
    started for the purpose (the caller holds the data directory's lock). None when the
    directory has never had a stream."""
    server = None
    try:
        if service_running:
            url = _running_server(data_dir)
        elif (nats_dir(data_dir) / "jetstream").is_dir():
            server = EmbeddedNats(data_dir)
            url = await server.start()
        else:
            yield None
            return
        client = await _connect(url)
        try:
            yield client.jetstream()
        finally:
            await client.close()
    finally:
        if server is not None:
            await server.stop()


def _running_server(data_dir: Path) -> str:
    try:
        return client_url(data_dir)
    except (OSError, ValueError) as error:  # no port file, no credentials: not embedded
        raise BackupError(
            f"the service's embedded NATS server is not known ({error}); if the service uses"
            " another broker, give this command the same CPD_BROKER_URL"
        ) from None


async def _connect(url: str) -> Any:
    try:
        return await nats.connect(url, allow_reconnect=False, connect_timeout=5)
    except Exception as error:
        raise BackupError(
            f"the embedded NATS server cannot be reached ({error!r}); if the service uses"
            " another broker, give this command the same CPD_BROKER_URL"
        ) from None


async def put_back(data_dir: Path, messages: list[Message], max_bytes: int) -> None:
    """Into the embedded stream of `data_dir` (the caller holds its lock), in their order."""
    server = EmbeddedNats(data_dir)
    url = await server.start()
    try:
        client = await _connect(url)
        try:
            js = client.jetstream()
            await ensure_stream(js, inbound_stream(max_bytes))
            for message in messages:
                headers = {k: v for k, v in message.headers.items() if k != _DEDUPE_HEADER}
                await js.publish(
                    INBOUND_SUBJECT, message.body, stream=INBOUND_STREAM, headers=headers or None
                )
        finally:
            await client.close()
    finally:
        await server.stop()
