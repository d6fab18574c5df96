"""Builders for the obligations' events (qualifications, agreed CPD, sessions), parsed as the
wire would, and the people of school-north they name beside the builders' own."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from schemas import CloudEvent, parse_inbound
from tests.directory_seed import Person, seed_store
from tests.workflow.builders import HEAD, STAFF, START, open_store
from workflow.clock import FakeClock
from workflow.compliance import Qualification, current
from workflow.store import EventStatus, Store

SOURCE = "urn:trust:training-records"
CPD_LEAD = "lead-maya"
TEACHER_2 = "staff-bob"
SUPPORT = "support-cy"
GOVERNOR = "governor-di"
SOUTH_HEAD = "head-south"  # head teacher of school-south only
OBLIGATION_PEOPLE = (
    Person(CPD_LEAD, "school-north", ("cpd_lead", "teacher")),
    Person(TEACHER_2, "school-north", ("teacher",), line_manager_id=HEAD),
    Person(SUPPORT, "school-north", ("support",)),
    Person(GOVERNOR, "school-north", ("governor",)),
    Person(SOUTH_HEAD, "school-south", ("head_teacher",)),
)
_ids = itertools.count(1)


@asynccontextmanager
async def obligations_store(
    path: Path, clock: FakeClock | None = None, **governance: Any
) -> AsyncIterator[Store]:
    """The builders' store, with the people above in its directory too."""
    async with open_store(path, clock or FakeClock(START), **governance) as store:
        await seed_store(store, ["school-north", "school-south"], OBLIGATION_PEOPLE)
        yield store


def obligation(
    event_type: str,
    subject: str,
    data: dict[str, Any],
    *,
    actor: str,
    time: datetime = START,
    event_id: str | None = None,
) -> CloudEvent:
    return parse_inbound(
        {
            "specversion": "1.0",
            "id": event_id or f"obligation-{next(_ids)}",
            "source": SOURCE,
            "type": event_type,
            "subject": subject,
            "actor": actor,
            "time": time.isoformat(),
            "data": data,
        }
    )


def qualification(staff_id: str = STAFF, *, actor: str = HEAD, **data: Any) -> CloudEvent:
    fields = {"staff_id": staff_id, "kind": "safeguarding", "achieved_on": "2026-09-01", **data}
    return obligation("qualification.recorded", staff_id, fields, actor=actor)


def session(session_id: str = "SES-1", *, actor: str = CPD_LEAD, **data: Any) -> CloudEvent:
    fields = {
        "session_id": session_id,
        "school_id": "school-north",
        "title": "Autumn INSET: safeguarding update",
        "date": "2026-09-01",
        "hours": "6",
        "kind": "inset",
        "attendees": [STAFF, TEACHER_2, SUPPORT],
        "led_by": CPD_LEAD,
        **data,
    }
    return obligation("cpd.session.recorded", session_id, fields, actor=actor)


def corrected(
    attendees: list[str], session_id: str = "SES-1", *, actor: str = CPD_LEAD
) -> CloudEvent:
    fields = {"session_id": session_id, "attendees": attendees, "reason": "register checked"}
    return obligation("cpd.session.attendance_corrected", session_id, fields, actor=actor)


def agreed(
    item: str = "AG-1", staff_id: str = STAFF, *, actor: str = HEAD, **data: Any
) -> CloudEvent:
    fields = {
        "agreed_item_id": item,
        "staff_id": staff_id,
        "appraisal_cycle": "2026-27",
        "description": "Lead a phonics workshop for Year 1 parents",
        "agreed_on": "2026-10-01",
        "agreed_by": HEAD,
        **data,
    }
    return obligation("appraisal.cpd_agreed", staff_id, fields, actor=actor)


async def applied(store: Store, *events: CloudEvent) -> None:
    for event in events:
        outcome = await store.apply(event)
        assert outcome.status.status == "applied", outcome.status.reason


async def refused(store: Store, event: CloudEvent) -> EventStatus:
    outcome = await store.apply(event)
    assert outcome.status.status == "rejected", "the event was applied"
    return outcome.status


async def held(store: Store, staff_id: str = STAFF, kind: str = "safeguarding") -> Qualification:
    found = await store.on_reader(current, staff_id, kind)
    assert found is not None, f"{staff_id} holds no {kind}"
    return found
