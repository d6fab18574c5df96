"""The one handler every inbound event goes through, whichever way it arrived."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from typing import Any

from schemas import InvalidEvent, parse_inbound
from workflow.store import Outcome, Store

log = logging.getLogger("cpd.processing")


class Waiters:
    """Lets `POST /events?wait=true` wait for its event to be processed."""

    def __init__(self) -> None:
        self._futures: dict[tuple[str, str], list[asyncio.Future[Outcome]]] = defaultdict(list)

    def expect(self, source: str, event_id: str) -> asyncio.Future[Outcome]:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._futures[(source, event_id)].append(future)
        return future

    def discard(self, source: str, event_id: str, future: asyncio.Future[Outcome]) -> None:
        futures = self._futures.get((source, event_id), [])
        if future in futures:
            futures.remove(future)
        if not futures:
            self._futures.pop((source, event_id), None)

    def resolve(self, outcome: Outcome) -> None:
        key = (outcome.status.source, outcome.status.event_id)
        for future in self._futures.pop(key, []):
            if not future.done():
                future.set_result(outcome)


class EventProcessor:
    def __init__(self, store: Store, waiters: Waiters) -> None:
        self.store = store
        self.waiters = waiters

    async def handle_batch(
        self, bodies: list[bytes], transport: str
    ) -> tuple[list[Outcome | None], Exception | None]:
        """Apply messages in order. Returns one result per message handled (None for bad
        input, which is recorded), stopping at the first that failed, and that failure."""
        handled: list[Outcome | None] = []
        run: list[Any] = []  # valid events waiting to be applied together
        for body in bodies:
            try:
                run.append(parse_inbound(body))
                continue
            except InvalidEvent as error:
                failure = await self._apply_run(run, handled)
                if failure is not None:
                    return handled, failure
                await self._record_invalid(body, transport, error)
                handled.append(None)
        return handled, await self._apply_run(run, handled)

    async def _apply_run(self, run: list[Any], handled: list[Outcome | None]) -> Exception | None:
        if not run:
            return None
        outcomes, failure = await self.store.apply_many(run)
        run.clear()
        for outcome in outcomes:
            self.waiters.resolve(outcome)
        handled.extend(outcomes)
        return failure

    async def _record_invalid(self, body: bytes, transport: str, error: InvalidEvent) -> None:
        await self.keep_unapplied(body, transport, _describe(error))

    async def keep_unapplied(self, body: bytes, transport: str, reason: str) -> None:
        """Keep a message that will not be applied, with its reason, and announce it."""
        source, event_id = event_key(body)
        log.warning("kept %s message %s/%s unapplied: %s", transport, source, event_id, reason)
        await self.store.record_invalid(
            transport=transport,
            body=body.decode("utf-8", "replace"),
            reason=reason,
            source=source,
            event_id=event_id,
        )


def _describe(error: InvalidEvent) -> str:
    if not error.problems:
        return error.message
    details = "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in error.problems)
    return f"{error.message}: {details}"


def event_key(body: bytes) -> tuple[str | None, str | None]:
    try:
        decoded: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None, None
    if not isinstance(decoded, dict):
        return None, None
    source, event_id = decoded.get("source"), decoded.get("id")
    return (
        source if isinstance(source, str) else None,
        event_id if isinstance(event_id, str) else None,
    )
