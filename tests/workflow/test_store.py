"""The store applies each event once: state, history and one outbox row, or a recorded refusal."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from schemas.outbound import EventRejected, StateChanged
from tests.workflow.builders import (
    LIFECYCLE_STATES,
    LIFECYCLE_TYPES,
    SOURCE,
    STAFF,
    START,
    apply_all,
    event,
    lifecycle,
    open_store,
    submitted,
)
from workflow import State
from workflow.clock import FakeClock
from workflow.store import EVENT_REJECTED, STATE_CHANGED, OutboxMessage, Store, outbound_id


def bodies(messages: list[OutboxMessage]) -> list[dict[str, Any]]:
    return [json.loads(m.body) for m in messages]


async def test_applying_a_lifecycle_stores_the_final_state_and_version(store: Store) -> None:
    await apply_all(store, lifecycle())

    request = await store.get_request("req-1")

    assert request is not None
    assert (request.state, request.version) == (State.DISSEMINATED, 7)
    assert request.details["booked"]["booking_reference"] == "BK-1042"


async def test_history_records_every_step_in_order(store: Store, clock: FakeClock) -> None:
    events = lifecycle()
    await apply_all(store, events, clock)

    history = await store.history("req-1")

    assert [h.seq for h in history] == [1, 2, 3, 4, 5, 6, 7]
    assert [h.from_state for h in history] == [None, *LIFECYCLE_STATES[:-1]]
    assert [h.to_state for h in history] == LIFECYCLE_STATES
    assert [h.event_type for h in history] == LIFECYCLE_TYPES
    assert [h.event_id for h in history] == [e.id for e in events]
    assert [h.actor for h in history] == [e.actor for e in events]
    assert [h.data for h in history] == [e.data for e in events]
    assert [datetime.fromisoformat(h.at) for h in history] == [
        START + timedelta(hours=n) for n in range(1, 8)
    ]


async def test_each_applied_event_writes_one_state_changed_cloud_event(store: Store) -> None:
    events = lifecycle()
    await apply_all(store, events)

    messages = await store.unpublished()

    assert [m.event_type for m in messages] == [STATE_CHANGED] * 7
    for seq, (message, body, cause) in enumerate(
        zip(messages, bodies(messages), events, strict=True), 1
    ):
        assert message.event_id == body["id"] == outbound_id("state_changed", SOURCE, cause.id)
        assert (body["specversion"], body["type"], body["subject"]) == (
            "1.0",
            STATE_CHANGED,
            "req-1",
        )
        data = StateChanged.model_validate(body["data"])
        assert (data.seq, data.version, data.to_state) == (seq, seq, LIFECYCLE_STATES[seq - 1])
        assert (data.cause.id, data.cause.source, data.actor) == (cause.id, SOURCE, cause.actor)


async def test_outbound_ids_are_the_same_wherever_the_same_events_are_applied(
    tmp_path: Path,
) -> None:
    events = lifecycle()
    async with (
        open_store(tmp_path / "a.sqlite3") as first,
        open_store(tmp_path / "b.sqlite3") as second,
    ):
        await apply_all(first, events)
        await apply_all(second, events)

        ids = [[m.event_id for m in await s.unpublished()] for s in (first, second)]

    assert ids[0] == ids[1]
    assert len(set(ids[0])) == 7


async def test_reapplying_the_same_event_is_a_duplicate_and_changes_nothing(store: Store) -> None:
    events = lifecycle()[:3]
    await apply_all(store, events)

    again = await store.apply(events[1])

    assert again.duplicate is True
    assert again.status.status == "applied"
    assert len(await store.history("req-1")) == 3
    assert len(await store.unpublished()) == 3
    request = await store.get_request("req-1")
    assert request is not None and request.version == 3


async def test_a_refused_event_is_recorded_as_rejected_and_announced(store: Store) -> None:
    await store.apply(submitted())
    early = event("cpd.request.completed")

    outcome = await store.apply(early)

    assert (outcome.status.status, outcome.status.code) == ("rejected", "invalid_transition")
    (status,) = await store.event_status(early.id)
    assert status.status == "rejected"
    assert status.reason == (
        "a request in state 'requested' cannot take event 'cpd.request.completed'"
        " (it can take: cpd.request.dissemination_waived, cpd.request.head_approved,"
        " cpd.request.head_rejected, cpd.request.withdrawn)"
    )
    rejected = [b for b in bodies(await store.unpublished()) if b["type"] == EVENT_REJECTED]
    assert len(rejected) == 1
    data = EventRejected.model_validate(rejected[0]["data"])
    assert (data.event_id, data.request_id, data.reason) == (early.id, "req-1", status.reason)
    request = await store.get_request("req-1")
    assert request is not None and (request.state, request.version) == (State.REQUESTED, 1)
    # The attempt is in the request's history too, the state unchanged.
    submission, attempt = await store.history("req-1")
    assert (submission.outcome, attempt.outcome) == ("applied", "refused")
    assert (attempt.event_id, attempt.reason) == (early.id, status.reason)
    assert attempt.from_state == attempt.to_state == State.REQUESTED


async def test_a_guard_failure_is_recorded_with_the_rule_that_stopped_it(store: Store) -> None:
    await store.apply(submitted())
    own = event("cpd.request.head_approved", actor=STAFF)

    outcome = await store.apply(own)

    assert (outcome.status.status, outcome.status.code) == ("rejected", "guard_failed")
    assert outcome.request is not None and outcome.request.state == State.REQUESTED
    (status,) = await store.event_status(own.id, SOURCE)
    assert "cannot approve" in (status.reason or "")


async def test_a_rejected_event_replayed_later_stays_rejected(store: Store) -> None:
    early = event("cpd.request.head_approved")
    assert (await store.apply(early)).status.code == "unknown_request"
    await store.apply(submitted())

    replay = await store.apply(early)

    assert replay.duplicate is True
    assert replay.status.status == "rejected"
    request = await store.get_request("req-1")
    assert request is not None and request.state == State.REQUESTED


async def test_the_same_id_from_a_different_source_is_a_different_event(store: Store) -> None:
    await store.apply(submitted(event_id="shared-id"))

    other = await store.apply(
        event("cpd.request.head_approved", event_id="shared-id", source="urn:trust:finance")
    )

    assert other.duplicate is False
    assert other.status.status == "applied"
    assert {s.source for s in await store.event_status("shared-id")} == {
        SOURCE,
        "urn:trust:finance",
    }
    assert len({m.event_id for m in await store.unpublished()}) == 2
