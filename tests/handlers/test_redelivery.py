"""Every message delivered one to three times, with faults before the commit, between the
commit and the acknowledgement, and after it: the result equals one clean delivery."""

from __future__ import annotations

import asyncio
import sqlite3
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.brokers.base import settle_batch
from handlers.processing import EventProcessor, Inbound, Waiters
from tests.lifecycle import END_OF_COURSE, encode, lifecycle, load_directory
from tests.workflow.builders import open_store
from workflow.clock import FakeClock
from workflow.model import Command, Transition

FAULTS = ("none", "before_commit", "between_commit_and_ack", "after_ack")
# Three requests interleaved, as several posting systems would, each in its own order.
MESSAGES = [
    m for step in zip(*(lifecycle(f"REDELIVER-{n}") for n in range(3)), strict=True) for m in step
]


class _LostAck(ConnectionError):
    pass


@dataclass
class _Delivery:
    message: dict[str, Any]
    fault: str


@dataclass
class _Broker:
    """Delivers in queue order and puts back what was not acknowledged, as brokers do."""

    plans: dict[str, list[str]]
    queue: deque[_Delivery] = field(default_factory=deque)
    armed: set[tuple[str, str]] = field(default_factory=set)  # (request, type) to fail once
    faults_injected: int = 0
    delivered: int = 0

    def __post_init__(self) -> None:
        for message in MESSAGES:
            self._schedule(message, front=False)

    def _schedule(self, message: dict[str, Any], *, front: bool) -> None:
        plan = self.plans[message["id"]]
        if not plan:
            return
        delivery = _Delivery(message, plan.pop(0))
        (self.queue.appendleft if front else self.queue.append)(delivery)

    # -- the Settlement protocol settle_batch talks to -------------------------------------
    def attempt(self, delivery: _Delivery) -> int:
        return 1

    def inbound(self, delivery: _Delivery) -> Inbound:
        if delivery.fault == "before_commit":  # this delivery's first attempt fails
            delivery.fault = "none"
            message = delivery.message
            self.armed.add((message["subject"], message["type"]))
        return Inbound(encode(delivery.message))

    async def ack(self, delivery: _Delivery) -> None:
        if delivery.fault == "between_commit_and_ack":
            delivery.fault = "none"
            self.faults_injected += 1
            raise _LostAck("connection lost before the acknowledgement arrived")
        # Its next delivery, if planned, comes later; right away if the fault struck after
        # the acknowledgement (say, the connection dropped as the ack went out).
        after_ack = delivery.fault == "after_ack"
        self.faults_injected += after_ack
        self.delivered += 1
        self._schedule(delivery.message, front=after_ack)

    async def retry(self, delivery: _Delivery) -> None:
        self.queue.appendleft(delivery)

    async def keep(self, delivery: _Delivery) -> None:
        pass

    def hook(
        self, _db: sqlite3.Connection, transition: Transition, command: Command, *_: Any
    ) -> None:
        key = (transition.request.request_id, command.event_type)
        if key in self.armed:
            self.armed.discard(key)
            self.faults_injected += 1
            raise sqlite3.OperationalError("disk I/O error before the commit")


async def _run(plans: dict[str, list[str]], path: Path) -> tuple[list[Any], _Broker]:
    broker = _Broker({key: list(plan) for key, plan in plans.items()})
    async with open_store(path, FakeClock(END_OF_COURSE)) as store:
        await load_directory(store)
        store.add_transaction_hook(broker.hook)
        processor = EventProcessor(store, Waiters())
        while broker.queue:
            delivery = broker.queue.popleft()
            try:
                await settle_batch(processor, [delivery], "test", 10, broker, _no_pause)
            except _LostAck:
                broker.queue.appendleft(delivery)  # unacknowledged: delivered again, first
        return await _snapshot(path, store), broker


async def _no_pause(_: float) -> None:
    return None


async def _snapshot(path: Path, store: Any) -> list[Any]:
    await store.close()
    with sqlite3.connect(path) as db:
        return [
            db.execute("SELECT * FROM requests ORDER BY request_id").fetchall(),
            db.execute("SELECT * FROM history ORDER BY request_id, seq").fetchall(),
            db.execute("SELECT * FROM inbox ORDER BY source, event_id").fetchall(),
            db.execute("SELECT event_id, event_type, body FROM outbox ORDER BY seq").fetchall(),
            db.execute("SELECT * FROM dead_letters").fetchall(),
            db.execute("SELECT * FROM follow_ups ORDER BY id").fetchall(),
        ]


def _clean() -> list[Any]:
    with tempfile.TemporaryDirectory() as directory:
        once = {m["id"]: ["none"] for m in MESSAGES}
        snapshot, _ = asyncio.run(_run(once, Path(directory) / "clean.sqlite3"))
    return snapshot


CLEAN = _clean()
plans = st.fixed_dictionaries(
    {m["id"]: st.lists(st.sampled_from(FAULTS), min_size=1, max_size=3) for m in MESSAGES}
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans)
def test_any_mix_of_redeliveries_and_faults_ends_as_one_clean_delivery(
    plan: dict[str, list[str]],
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        snapshot, broker = asyncio.run(_run(plan, Path(directory) / "faulty.sqlite3"))
    assert broker.delivered == sum(len(p) for p in plan.values())
    assert snapshot == CLEAN, f"{broker.delivered} deliveries, {broker.faults_injected} faults"
    assert not snapshot[4]  # nothing was given up on


def test_every_fault_on_every_message_still_ends_as_one_clean_delivery() -> None:
    worst = {m["id"]: ["before_commit", "between_commit_and_ack", "after_ack"] for m in MESSAGES}
    with tempfile.TemporaryDirectory() as directory:
        snapshot, broker = asyncio.run(_run(worst, Path(directory) / "worst.sqlite3"))
    assert broker.faults_injected == 3 * len(MESSAGES)
    assert broker.delivered == 3 * len(MESSAGES)
    assert snapshot == CLEAN
