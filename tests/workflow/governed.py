"""A store governed by policy sets, as the service runs it: the library, a school-to-set
seam standing in for the staff directory, and follow-ups planned in each transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from scheduler.follow_ups import FollowUps
from scheduler.policy import FollowUpPolicy
from scheduler.policy_sets import load_policy_library
from tests.scheduler.helpers import CALENDAR
from tests.workflow.builders import event, open_store, submitted
from tests.workflow.policy_files import EXAMPLES
from workflow.clock import FakeClock
from workflow.model import CpdRequest
from workflow.policy import PolicyLibrary
from workflow.store import STATE_CHANGED, HistoryEntry, Outcome, Store

# Which policy set each school follows: what `school.upserted` will tell the directory.
SCHOOLS = {
    "school-elston": "elston-hall-trust",
    "school-model": "example-school",
    "school-first-steps": "first-steps-together",
    "school-severnbanks": "severnbanks",
    "school-walmley": "walmley-infant",
}
SCHOOL_OF = {policy_id: school for school, policy_id in SCHOOLS.items()}


class FakeDirectory:
    """The seam `policy_id_for_school`, answering from a dict and noting every question."""

    def __init__(self, schools: dict[str, str] | None = None) -> None:
        self.schools = dict(SCHOOLS if schools is None else schools)
        self.asked: list[tuple[str, datetime, bool]] = []

    def __call__(self, db: sqlite3.Connection, school_id: str, at: datetime) -> str | None:
        self.asked.append((school_id, at, db.in_transaction))
        return self.schools.get(school_id)


@asynccontextmanager
async def governed_store(
    path: Path,
    clock: FakeClock,
    library: PolicyLibrary | None = None,
    directory: FakeDirectory | None = None,
) -> AsyncIterator[FollowUps]:
    """The real store on a real file, governed by `library` (default: the shipped examples)."""
    library = library or load_policy_library(EXAMPLES)
    async with open_store(
        path, clock, policies=library, policy_id_for_school=directory or FakeDirectory()
    ) as store:
        follow_ups = FollowUps(store, CALENDAR, FollowUpPolicy(), library)
        store.add_transaction_hook(follow_ups.plan)
        yield follow_ups


async def submit(store: Store, policy_id: str, request_id: str = "req-1", **data: Any) -> Outcome:
    data.setdefault("school_id", SCHOOL_OF.get(policy_id, policy_id))
    return await store.apply(submitted(request_id, **data))


async def applied(store: Store, event_type: str, request_id: str = "req-1", **data: Any) -> None:
    outcome = await store.apply(event(event_type, request_id, **data))
    assert outcome.status.status == "applied", outcome.status.reason


async def request(store: Store, request_id: str = "req-1") -> CpdRequest:
    found = await store.get_request(request_id)
    assert found is not None
    return found


async def by_policy(store: Store, request_id: str = "req-1") -> list[HistoryEntry]:
    return [h for h in await store.history(request_id) if h.actor == "policy"]


async def state_changes(store: Store) -> list[dict[str, Any]]:
    """The `data` of every cpd.request.state_changed in the outbox, oldest first."""
    messages = await store.unpublished()
    return [json.loads(m.body)["data"] for m in messages if m.event_type == STATE_CHANGED]
