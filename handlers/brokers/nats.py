"""NATS JetStream: inbound events read in stream order, outbound events in a stream.

The inbound side is our own pull loop (handlers/brokers/nats_inbound.py) rather than a
FastStream subscriber: FastStream handles a fetched batch concurrently, or (in batch
mode) waits for the batch to fill, and we need a request's events applied strictly in
the order posted, resuming exactly where the store says after any crash.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from faststream.nats import NatsBroker
from nats.js.api import StreamConfig

from handlers.brokers.nats_inbound import (
    CONSUMER,
    INBOUND_STREAM,
    INBOUND_SUBJECT,
    InboundReader,
    ensure_stream,
    inbound_stream,
)
from handlers.brokers.urls import nats_server_and_security
from handlers.processing import EventProcessor
from schemas import OUTBOUND_DATA
from workflow.store.backlog import Waiting

log = logging.getLogger("cpd.brokers.nats")

OUTBOUND_STREAM = "CPD_OUTBOUND"
# Every type the service publishes: the stream takes only the subjects it lists.
OUTBOUND_SUBJECTS = sorted(OUTBOUND_DATA)
DEFAULT_INBOUND_MAX_BYTES = 1 << 30

__all__ = ["INBOUND_STREAM", "INBOUND_SUBJECT", "OUTBOUND_STREAM", "NatsAdapter"]


class NatsAdapter:
    name = "nats"
    inbound_address = f"NATS subject '{INBOUND_SUBJECT}' (JetStream stream {INBOUND_STREAM})"

    def __init__(
        self,
        url: str,
        processor: EventProcessor,
        max_deliver: int,
        inbound_max_bytes: int = DEFAULT_INBOUND_MAX_BYTES,
    ) -> None:
        self.processor = processor
        self.reader = InboundReader(processor, max_deliver, inbound_max_bytes)
        server, security = nats_server_and_security(url)
        self.broker = NatsBroker(
            server,
            security=security,
            max_reconnect_attempts=-1,
            reconnect_time_wait=1,
            log_level=logging.DEBUG,
            # Through the root logger, in the service's own format (handlers/logs.py).
            logger=logging.getLogger("faststream"),
        )
        self.broker.publisher(
            INBOUND_SUBJECT,
            title=INBOUND_SUBJECT,
            description="Post inbound CloudEvents (structured JSON) here; JetStream stream "
            f"{INBOUND_STREAM}, read in order by consumer {CONSUMER}.",
        )
        for subject in OUTBOUND_SUBJECTS:
            self.broker.publisher(subject, title=subject, description=f"{subject} CloudEvents")
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.broker.start()
        js = self.broker.connection.jetstream()
        # Both streams exist before the first post can arrive (the reader checks again
        # whenever it starts reading, in case one was deleted meanwhile).
        await ensure_stream(js, inbound_stream(self.reader.max_bytes))
        await ensure_stream(js, StreamConfig(name=OUTBOUND_STREAM, subjects=OUTBOUND_SUBJECTS))
        self.reader.stopping = False
        self._task = asyncio.create_task(
            self.reader.run(self.broker.connection), name="nats-inbound"
        )

    def consumer_status(self) -> dict[str, object]:
        """For /health: a reader that has stopped, or keeps failing, is not healthy."""
        running = self._task is not None and not self._task.done()
        return {
            "ok": running and self.reader.failing is None,
            "running": running,
            "applied_up_to": self.reader.position,
            "restarts": self.reader.restarts,
            "last_error": self.reader.failing,
        }

    async def stop_consuming(self) -> None:
        """Finish the batch in hand, then take no more; the connection stays for publishing."""
        self.reader.stopping = True
        if self._task and not self.reader.busy:
            self._task.cancel()  # it is only waiting for messages: no need to wait it out
        if self._task:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self._task, timeout=5)

    async def stop(self) -> None:
        await self.stop_consuming()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.broker.stop(), timeout=5)

    async def publish_inbound(self, body: bytes, dedupe_key: str) -> None:
        await self.broker.publish(
            body, INBOUND_SUBJECT, stream=INBOUND_STREAM, headers=_headers(dedupe_key)
        )

    async def publish_outbound(self, event_type: str, event_id: str, body: bytes) -> None:
        await self.broker.publish(
            body, event_type, stream=OUTBOUND_STREAM, headers=_headers(event_id)
        )

    async def ping(self) -> bool:
        return bool(await self.broker.ping(timeout=2.0))

    async def inbound_backlog(self) -> Waiting:
        """Messages in the stream past the position applied, and when the first was stored."""
        js = self.broker.connection.jetstream()
        info = await js.stream_info(INBOUND_STREAM)
        applied = self.reader.position
        waiting = max(int(info.state.last_seq or 0) - applied, 0)
        oldest = None
        if waiting:
            with contextlib.suppress(Exception):  # purged meanwhile: its age is unknown
                oldest = (await js.get_msg(INBOUND_STREAM, applied + 1)).time
        return Waiting(waiting, oldest)


def _headers(message_id: str) -> dict[str, str]:
    # Nats-Msg-Id lets JetStream drop a re-send inside its duplicate window too.
    return {"Nats-Msg-Id": message_id, "content-type": "application/cloudevents+json"}
