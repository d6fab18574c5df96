"""Builders for the workflow tests: valid inbound CloudEvents and the requests they make.

Every event goes through `schemas.parse_inbound`, so a test only ever feeds the
engine what the wire contract would let through.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from schemas import CloudEvent, outbound_event, parse_inbound
from tests.directory_seed import Person, seed_store
from workflow import Command, CpdRequest, State, apply
from workflow.clock import FakeClock
from workflow.store import Store

# The Wednesday after the course in VALID_DATA (Monday 5 to Tuesday 6 October 2026): it can
# be completed now (completed_on may not be in the future), but no longer withdrawn.
START = datetime(2026, 10, 7, 9, 0, tzinfo=UTC)
UPCOMING = {"start_date": "2026-10-19", "end_date": "2026-10-20"}  # a course still to come
SOURCE = "urn:trust:cpd-portal"

STAFF = "staff-ada"
HEAD = "head-grace"
EXECUTIVE = "exec-alan"
OFFICE = "office-mary"

SUBMITTED = "cpd.request.submitted"

# A `data` payload that passes both the schema and every guard, per inbound type.
VALID_DATA: dict[str, dict[str, Any]] = {
    SUBMITTED: {
        "staff_id": STAFF,
        "school_id": "school-north",
        "title": "Teaching reading in Key Stage 2",
        "activity_type": "course",
        "provider": "Reading Hub",
        "start_date": "2026-10-05",
        "end_date": "2026-10-06",
        "cost_gbp": "250.00",
        "justification": "Reading is the school's first improvement priority.",
        "priorities": ["reading"],
    },
    "cpd.request.head_approved": {"comment": "Go for it"},
    "cpd.request.head_rejected": {"reason": "No cover available that week"},
    "cpd.request.executive_approved": {},
    "cpd.request.executive_rejected": {"reason": "Trust budget is spent"},
    "cpd.request.booked": {"booking_reference": "BK-1042", "confirmed_cost_gbp": "240.00"},
    "cpd.request.booking_cancelled": {"reason": "The provider cancelled the course"},
    "cpd.request.completed": {"completed_on": "2026-10-06"},
    "cpd.request.evaluated": {
        "rating": 4,
        "impact_on_practice": "Guided reading groups restructured",
        "recommend_provider": True,
    },
    "cpd.request.disseminated": {
        "method": "Staff meeting",
        "disseminated_on": "2026-10-20",
        "audience": "Key Stage 2 team",
    },
    "cpd.request.withdrawn": {"reason": "Changed role"},
    "cpd.request.not_attended": {"reason": "Ill on the day", "cost_incurred_gbp": "240.00"},
    "cpd.request.dissemination_waived": {"reason": "Only relevant to her own class"},
    "cpd.request.impact_reviewed": {
        "reviewed_on": "2026-11-30",
        "impact_rating": 4,
        "summary": "Reading scores in her groups rose by a term",
    },
}

# The inbound types other than submission, i.e. the ones that move an existing request.
MOVES = sorted(t for t in VALID_DATA if t != SUBMITTED)

DEFAULT_ACTOR = {
    "cpd.request.head_approved": HEAD,
    "cpd.request.head_rejected": HEAD,
    "cpd.request.executive_approved": EXECUTIVE,
    "cpd.request.executive_rejected": EXECUTIVE,
    "cpd.request.booked": OFFICE,
    "cpd.request.booking_cancelled": OFFICE,
    "cpd.request.dissemination_waived": HEAD,
    "cpd.request.impact_reviewed": HEAD,
}

_ids = itertools.count(1)


def step(event_type: str) -> str:
    """`cpd.request.head_approved` -> `head_approved`."""
    return event_type.removeprefix("cpd.request.")


def event(
    event_type: str,
    request_id: str = "req-1",
    *,
    actor: str | None = None,
    event_id: str | None = None,
    source: str = SOURCE,
    time: datetime = START,
    data: dict[str, Any] | None = None,
    **overrides: Any,
) -> CloudEvent:
    """A valid inbound event; `data` replaces the default payload, `overrides` amend it."""
    payload = dict(VALID_DATA[event_type] if data is None else data)
    payload.update(overrides)
    return parse_inbound(
        {
            "specversion": "1.0",
            "id": event_id or f"evt-{step(event_type)}-{next(_ids)}",
            "source": source,
            "type": event_type,
            "time": time.isoformat(),
            "subject": request_id,
            "actor": actor or DEFAULT_ACTOR.get(event_type, STAFF),
            "data": payload,
        }
    )


def submitted(request_id: str = "req-1", *, staff_id: str = STAFF, **kwargs: Any) -> CloudEvent:
    """A valid submission by `staff_id`, who is also its actor unless told otherwise."""
    kwargs.setdefault("actor", staff_id)
    return event(SUBMITTED, request_id, staff_id=staff_id, **kwargs)


LIFECYCLE_TYPES = [
    SUBMITTED,
    "cpd.request.head_approved",
    "cpd.request.executive_approved",
    "cpd.request.booked",
    "cpd.request.completed",
    "cpd.request.evaluated",
    "cpd.request.disseminated",
]
LIFECYCLE_STATES = [
    State.REQUESTED,
    State.HEAD_APPROVED,
    State.EXECUTIVE_APPROVED,
    State.BOOKED,
    State.COMPLETED,
    State.EVALUATED,
    State.DISSEMINATED,
]


def lifecycle(request_id: str = "req-1", *, source: str = SOURCE) -> list[CloudEvent]:
    """The seven events that take one request from submission to dissemination."""
    return [submitted(request_id, source=source)] + [
        event(t, request_id, source=source) for t in LIFECYCLE_TYPES[1:]
    ]


def as_command(cloud_event: CloudEvent) -> Command:
    """The command the store hands to `workflow.apply` for this event."""
    assert cloud_event.time is not None
    return Command(
        cloud_event.type,
        cloud_event.subject,
        cloud_event.actor,
        cloud_event.data,
        cloud_event.time,
    )


def request_in(state: State | str, request_id: str = "req-1", **data: Any) -> CpdRequest:
    """A freshly submitted request placed directly in `state`."""
    request = apply(None, as_command(submitted(request_id, **data)), START).request
    return replace(request, state=str(state))


# The builders' people, in the staff directory of every store `open_store` opens: one
# trust, whose schools include those the policy-set tests name; the builders' head
# teacher, executive lead and booking office act for all of them.
SCHOOLS = (
    "school-north",
    "school-south",
    "school-elston",
    "school-model",
    "school-first-steps",
    "school-severnbanks",
    "school-walmley",
)
# Schools some tests name that the directory has no record of (a trust of their own each).
UNLISTED = ("default", "school-unknown")
_ALSO = SCHOOLS[1:] + UNLISTED
PEOPLE = (
    Person(STAFF, "school-north", ("teacher",), line_manager_id=HEAD),
    Person(HEAD, "school-north", ("head_teacher", "leadership"), extra_school_ids=_ALSO),
    Person(EXECUTIVE, "school-north", ("executive_lead",), extra_school_ids=_ALSO),
    Person(OFFICE, "school-north", ("booking_office",), extra_school_ids=_ALSO),
)


@asynccontextmanager
async def open_store(
    path: Path, clock: FakeClock | None = None, *, seeded: bool = True, **governance: Any
) -> AsyncIterator[Store]:
    """A store on a real SQLite file, always closed (an open aiosqlite thread hangs exit),
    with the builders' people in its directory unless `seeded` is false.
    `governance`: Store.open's `policies` and `policy_id_for_school`."""
    store = await Store.open(path, clock or FakeClock(START), outbound_event, **governance)
    try:
        if seeded:
            await seed_store(store, SCHOOLS, PEOPLE)
        yield store
    finally:
        await store.close()


async def apply_all(store: Store, events: list[CloudEvent], clock: FakeClock | None = None) -> None:
    """Apply `events` in order, an hour apart on `clock` if given; each must be applied."""
    for cloud_event in events:
        if clock is not None:
            clock.advance(timedelta(hours=1))
        outcome = await store.apply(cloud_event)
        assert outcome.status.status == "applied", outcome.status.reason
