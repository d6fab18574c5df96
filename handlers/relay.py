"""Relays committed outbox rows to the broker: at least once, in order, with stable ids."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from handlers.brokers import BrokerAdapter
from workflow.store import Store

log = logging.getLogger("cpd.relay")


class OutboxRelay:
    def __init__(
        self, store: Store, broker: BrokerAdapter, idle_poll: float = 1.0, linger: float = 0.01
    ) -> None:
        self._store = store
        self._broker = broker
        self._idle_poll = idle_poll
        # Waiting a moment after a wake-up gathers the rows of many commits into one batch,
        # so marking them published costs one transaction (one fsync), not one per event.
        self._linger = linger
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.published = 0
        self.last_error: str | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        """Flush what is committed, then stop; anything left is sent on the next start."""
        self._stopping = True
        self._store.outbox_ready.set()
        if self._task:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._task, timeout=5)

    async def _run(self) -> None:
        backoff = 0.1
        while True:
            try:
                sent = await self.flush()
                backoff, self.last_error = 0.1, None
            except Exception as error:
                self.last_error = repr(error)
                log.warning("outbox relay failed, retrying in %.1fs: %r", backoff, error)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if self._stopping:
                return
            if not sent:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._store.outbox_ready.wait(), self._idle_poll)
                if not self._stopping:
                    await asyncio.sleep(self._linger)

    async def flush(self) -> int:
        """Send every unpublished row; returns how many were sent."""
        total = 0
        while True:
            self._store.outbox_ready.clear()
            batch = await self._store.unpublished(limit=500)
            if not batch:
                return total
            done: list[int] = []
            try:
                for message in batch:
                    await self._broker.publish_outbound(
                        message.event_type, message.event_id, message.body.encode()
                    )
                    done.append(message.seq)
            finally:
                if done:
                    await self._store.mark_published(done)
                    self.published += len(done)
                    total += len(done)
