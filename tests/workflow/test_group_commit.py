"""Events fetched together share one commit, yet each stands or falls on its own."""

from __future__ import annotations

import sqlite3
from typing import Any

from tests.workflow.builders import lifecycle
from workflow import Transition
from workflow.store import Store


async def test_a_batch_is_applied_in_order_with_one_outcome_per_event(store: Store) -> None:
    events = lifecycle("req-1")
    outcomes, failure = await store.apply_many(events)
    assert failure is None
    assert [o.status.status for o in outcomes] == ["applied"] * len(events)
    assert [h.seq for h in await store.history("req-1")] == list(range(1, len(events) + 1))


async def test_an_event_that_fails_mid_batch_leaves_those_before_it_committed_and_stops(
    store: Store,
) -> None:
    def refuse_second_request(_db: Any, transition: Transition, *_: Any) -> None:
        if transition.request.request_id == "req-2":
            raise sqlite3.OperationalError("disk I/O error")

    store.add_transaction_hook(refuse_second_request)
    first, second, third = lifecycle("req-1")[0], lifecycle("req-2")[0], lifecycle("req-3")[0]
    outcomes, failure = await store.apply_many([first, second, third])
    assert [o.status.event_id for o in outcomes] == [first.id]
    assert isinstance(failure, sqlite3.OperationalError)
    assert await store.get_request("req-1") is not None
    assert await store.get_request("req-2") is None  # its savepoint was rolled back whole
    assert await store.get_request("req-3") is None  # not attempted: it waits its turn
    assert not await store.event_status(second.id)
    state_changes = [m for m in await store.unpublished() if m.event_type.endswith("changed")]
    assert len(state_changes) == 1


async def test_the_same_event_twice_in_one_batch_is_applied_once(store: Store) -> None:
    submitted = lifecycle("req-1")[0]
    outcomes, failure = await store.apply_many([submitted, submitted])
    assert failure is None
    assert [o.duplicate for o in outcomes] == [False, True]
    assert len(await store.history("req-1")) == 1
