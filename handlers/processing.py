"""The one handler every inbound event goes through, whichever way it arrived."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from handlers.metrics import EventCounters
from schemas import CloudEvent, InvalidEvent, event_key, parse_inbound
from workflow import log_context
from workflow.store import REJECTED, Outcome, Position, Store

log = logging.getLogger("cpd.processing")


@dataclass(frozen=True)
class Inbound:
    """A message as a broker delivered it, and where it stands in the broker's stream."""

    body: bytes
    position: Position | None = None


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
    def __init__(
        self, store: Store, waiters: Waiters, counters: EventCounters | None = None
    ) -> None:
        self.store = store
        self.waiters = waiters
        self.counters = counters

    async def handle_batch(
        self, messages: Sequence[Inbound], transport: str
    ) -> tuple[list[Outcome | None], Exception | None]:
        """Apply messages in order. Returns one result per message handled (None for bad
        input, which is recorded), stopping at the first that failed, and that failure."""
        handled: list[Outcome | None] = []
        run: list[tuple[CloudEvent, Inbound]] = []  # valid events waiting to be applied together
        for message in messages:
            try:
                run.append((parse_inbound(message.body), message))
                continue
            except InvalidEvent as error:
                reason = _describe(error)
            except Exception as error:  # a bug of ours must not stop the queue either
                log.exception("reading a %s message failed", transport)
                reason = f"could not be read: {error!r}"
            failure = await self._apply_run(run, handled)
            if failure is not None:
                return handled, failure
            await self.keep_unapplied(message, transport, reason)
            handled.append(None)
        return handled, await self._apply_run(run, handled)

    async def _apply_run(
        self, run: list[tuple[CloudEvent, Inbound]], handled: list[Outcome | None]
    ) -> Exception | None:
        if not run:
            return None
        started = time.perf_counter()
        outcomes, failure = await self.store.apply_many(
            [event for event, _ in run], [message.position for _, message in run]
        )
        if self.counters is not None:
            self.counters.processed(outcomes, time.perf_counter() - started)
        for (event, _), outcome in zip(run, outcomes, strict=False):
            _log_outcome(event, outcome)
        run.clear()
        for outcome in outcomes:
            self.waiters.resolve(outcome)
        handled.extend(outcomes)
        return failure

    async def keep_unapplied(
        self, message: Inbound, transport: str, reason: str, *, failed: bool = False
    ) -> None:
        """Keep a message that will not be applied, with its reason, and announce it.

        `failed`: it was a readable event that kept failing, rather than bad input."""
        about = _about(message.body, readable=failed)
        if self.counters is not None:
            self.counters.kept(about.type)
        with log_context.about(request_id=about.subject, event_id=about.id, event_type=about.type):
            log.warning(
                "kept %s message %r/%r unapplied: %s", transport, about.source, about.id, reason
            )
        status = await self.store.record_invalid(
            transport=transport,
            body=message.body.decode("utf-8", "replace"),
            reason=reason,
            code="dead_letter" if failed else "invalid_event",
            source=about.source,
            event_id=about.id,
            event_type=about.type if failed else None,
            request_id=about.subject if failed else None,
            position=message.position,
        )
        if status is not None:
            self.waiters.resolve(Outcome(status, None))


def _log_outcome(event: CloudEvent, outcome: Outcome) -> None:
    """A refusal is worth a line (someone was told no); a step applied only when debugging."""
    refused = outcome.status.status == REJECTED
    level = logging.INFO if refused and not outcome.duplicate else logging.DEBUG
    if not log.isEnabledFor(level):
        return
    with log_context.about(request_id=event.subject, event_id=event.id, event_type=event.type):
        if outcome.duplicate:
            log.debug("%s from %s was processed before", event.type, event.source)
        elif refused:
            log.info("refused %s: %s", event.type, outcome.status.reason)
        else:
            log.debug("applied %s from %s", event.type, event.source)


@contextmanager
def about_message(body: bytes) -> Iterator[None]:
    """Lines logged inside name the event `body` holds, as far as it can be read."""
    about = _about(body, readable=True)
    with log_context.about(request_id=about.subject, event_id=about.id, event_type=about.type):
        yield


def _describe(error: InvalidEvent) -> str:
    if not error.problems:
        return error.message
    details = "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in error.problems)
    return f"{error.message}: {details}"


@dataclass(frozen=True)
class _About:
    source: str | None = None
    id: str | None = None
    type: str | None = None
    subject: str | None = None


def _about(body: bytes, readable: bool) -> _About:
    """What a message says it is, as far as it can be read and stored; never raises."""
    source, event_id = event_key(body)
    if readable:  # it parsed before it failed to apply: name its request too
        try:
            event = parse_inbound(body)
        except Exception:
            return _About(source, event_id)
        return _About(event.source, event.id, event.type, event.subject)
    return _About(source, event_id)
