"""Durability: restarts, the outbox relay, the inbox, dead letters, the file and its hooks."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from schemas.outbound import EventRejected
from tests.workflow.builders import (
    HEAD,
    SOURCE,
    STAFF,
    START,
    apply_all,
    lifecycle,
    open_store,
    submitted,
)
from workflow import Command, State, Transition
from workflow.clock import FakeClock
from workflow.store import EVENT_REJECTED, Store
from workflow.store._migrations import MIGRATIONS


async def test_reopening_the_store_keeps_everything_written_before(db_path: Path) -> None:
    events = lifecycle()
    async with open_store(db_path) as store:
        await apply_all(store, events[:4])
        await store.record_queued(SOURCE, events[4].id, events[4].type, "req-1")
        before = (await store.history("req-1"), await store.unpublished())

    async with open_store(db_path) as store:
        request = await store.get_request("req-1")
        assert request is not None and (request.state, request.version) == (State.BOOKED, 4)
        assert (await store.history("req-1"), await store.unpublished()) == before
        assert [s.status for s in await store.event_status(events[2].id)] == ["applied"]
        assert [s.status for s in await store.event_status(events[4].id)] == ["queued"]
        assert (await store.apply(events[3])).duplicate is True
        await apply_all(store, events[4:5])
        assert [h.seq for h in await store.history("req-1")] == [1, 2, 3, 4, 5]


async def test_published_rows_leave_the_unpublished_list(store: Store) -> None:
    await apply_all(store, lifecycle()[:3])
    first, second, third = await store.unpublished()

    await store.mark_published([first.seq, third.seq])

    assert await store.unpublished() == [second]


async def test_a_queued_event_moves_to_applied_once_applied(store: Store, clock: FakeClock) -> None:
    filed = submitted()
    status, created = await store.record_queued(SOURCE, filed.id, filed.type, "req-1")
    _, again = await store.record_queued(SOURCE, filed.id, filed.type, "req-1")
    clock.advance(timedelta(minutes=5))

    outcome = await store.apply(filed)

    assert (status.status, created, again) == ("queued", True, False)
    assert outcome.duplicate is False
    (after,) = await store.event_status(filed.id, SOURCE)
    assert after.status == "applied"
    assert after.received_at == START.isoformat()
    assert after.processed_at == (START + timedelta(minutes=5)).isoformat()


async def test_an_invalid_message_is_kept_as_a_dead_letter_and_announced(store: Store) -> None:
    await store.record_invalid(
        transport="nats",
        body="{not json",
        reason="body is not valid JSON",
        source=None,
        event_id=None,
    )

    (letter,) = await store.dead_letters()
    (message,) = await store.unpublished()

    assert (letter["transport"], letter["body"]) == ("nats", "{not json")
    assert letter["reason"] == "body is not valid JSON"
    assert message.event_type == EVENT_REJECTED
    data = EventRejected.model_validate(json.loads(message.body)["data"])
    assert (data.code, data.reason) == ("invalid_event", "body is not valid JSON")


async def test_the_file_uses_wal_and_records_its_schema_version(
    store: Store, db_path: Path
) -> None:
    with sqlite3.connect(db_path) as db:
        journal_mode = db.execute("PRAGMA journal_mode").fetchone()[0]
        user_version = db.execute("PRAGMA user_version").fetchone()[0]
    db.close()

    assert journal_mode == "wal"
    assert user_version == len(MIGRATIONS) == store.schema_version


async def test_a_raising_transaction_hook_rolls_back_the_whole_event(store: Store) -> None:
    failing = True

    def hook(
        db: sqlite3.Connection, transition: Transition, command: Command, now: datetime
    ) -> None:
        if failing:
            raise RuntimeError("follow-up scheduler is down")

    store.add_transaction_hook(hook)
    filed = submitted()

    with pytest.raises(RuntimeError, match="scheduler is down"):
        await store.apply(filed)

    assert await store.get_request("req-1") is None
    assert await store.history("req-1") == []
    assert await store.unpublished() == []
    assert await store.event_status(filed.id) == []

    failing = False
    outcome = await store.apply(filed)

    assert (outcome.status.status, outcome.duplicate) == ("applied", False)
    assert [h.seq for h in await store.history("req-1")] == [1]
    assert len(await store.unpublished()) == 1


async def test_a_transaction_hook_sees_the_transition_and_commits_with_it(store: Store) -> None:
    seen: list[tuple[str | None, str, str]] = []
    store.add_transaction_hook(
        lambda db, transition, command, now: seen.append(
            (transition.from_state, transition.to_state, command.actor)
        )
    )

    await apply_all(store, lifecycle()[:2])

    assert seen == [(None, State.REQUESTED, STAFF), (State.REQUESTED, State.HEAD_APPROVED, HEAD)]


async def test_a_queued_event_stays_queued_when_its_transaction_rolls_back(store: Store) -> None:
    def hook(db: sqlite3.Connection, *_: object) -> None:
        raise RuntimeError("boom")

    filed = submitted()
    await store.record_queued(SOURCE, filed.id, filed.type, "req-1")
    store.add_transaction_hook(hook)

    with pytest.raises(RuntimeError):
        await store.apply(filed)

    assert [s.status for s in await store.event_status(filed.id)] == ["queued"]
    assert await store.get_request("req-1") is None


async def test_noting_a_queued_event_leaves_the_writer_fully_synced(store: Store) -> None:
    # The note is committed without an fsync; every event applied after it still is.
    await store.record_queued("urn:test", "evt-q-2", "cpd.request.submitted", "req-q2")
    assert (await store.ping())["synchronous"] == "FULL"
    status = await store.fresh_status("urn:test", "evt-q-2")
    assert status is not None and status.status == "queued"
