"""CloudEvents a trust system would post, for tests and the benchmark's checks."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from schemas import parse_inbound

SOURCE = "urn:trust:staff-portal"

# The course began yesterday and ends today at the school: it can be completed now (a
# completion is never in the future), no reminder before it is due, and the check on
# attendance falls tomorrow morning, after any test has finished.
TODAY = datetime.now(ZoneInfo("Europe/London")).date()
COURSE_START, COURSE_END = (TODAY - timedelta(days=1)).isoformat(), TODAY.isoformat()
# For a fake clock: the end of the course's last day, when all of it can be recorded.
END_OF_COURSE = datetime.combine(TODAY, time(17), ZoneInfo("Europe/London"))


def submitted_data(staff_id: str = "T-042", **overrides: Any) -> dict[str, Any]:
    return {
        "staff_id": staff_id,
        "school_id": "S-WALMLEY",
        "title": "Phonics leadership course",
        "activity_type": "course",
        "provider": "Teaching Hub",
        "start_date": COURSE_START,
        "end_date": COURSE_END,
        "cost_gbp": "180.00",
        "justification": "SIP priority 2: early reading",
        "priorities": ["SIP-2"],
        **overrides,
    }


def event(
    event_type: str,
    request_id: str,
    actor: str,
    data: dict[str, Any] | None = None,
    *,
    event_id: str | None = None,
    source: str = SOURCE,
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id or str(uuid.uuid4()),
        "source": source,
        "type": f"cpd.request.{event_type}",
        "subject": request_id,
        "actor": actor,
        "time": "2026-11-22T09:00:00+00:00",
        "datacontenttype": "application/json",
        "data": data or {},
    }


def lifecycle(request_id: str, staff_id: str = "T-042") -> list[dict[str, Any]]:
    """The seven events of a request that goes all the way to `disseminated`."""
    return [
        event("submitted", request_id, staff_id, submitted_data(staff_id)),
        event("head_approved", request_id, "HEAD-1", {"comment": "Fits SIP 2"}),
        event("executive_approved", request_id, "EXEC-1"),
        event("booked", request_id, "BOOKING-OFFICE", {"booking_reference": "BK-1001"}),
        event("completed", request_id, staff_id, {"completed_on": COURSE_END}),
        event(
            "evaluated",
            request_id,
            staff_id,
            {"rating": 5, "impact_on_practice": "New phonics routine", "recommend_provider": True},
        ),
        event(
            "disseminated",
            request_id,
            staff_id,
            {"method": "staff meeting", "disseminated_on": COURSE_END, "audience": "KS1 team"},
        ),
    ]


LIFECYCLE_STATES = [
    "requested",
    "head_approved",
    "executive_approved",
    "booked",
    "completed",
    "evaluated",
    "disseminated",
]


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()


# --- the staff directory these events' people are in ------------------------------------

HR_SOURCE = "urn:trust:hr-system"
SCHOOL = "S-WALMLEY"
# Who takes each step of `lifecycle`, besides the member of staff themselves.
APPROVERS = {"HEAD-1": ["head_teacher"], "EXEC-1": ["executive_lead"]}
APPROVERS["BOOKING-OFFICE"] = ["booking_office"]


def directory_event(event_type: str, subject: str, data: dict[str, Any]) -> dict[str, Any]:
    """An HR event; its id is derived from what it says, so posting it again is a repeat."""
    return {
        "specversion": "1.0",
        "id": f"hr-{event_type}-{subject}",
        "source": HR_SOURCE,
        "type": event_type,
        "subject": subject,
        "actor": "hr-sync",
        "datacontenttype": "application/json",
        "data": data,
    }


def staff_event(
    staff_id: str, roles: list[str], line_manager_id: str | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "staff_id": staff_id,
        "name": staff_id.title(),
        "email": f"{staff_id.lower()}@walmley.example",
        "school_id": SCHOOL,
        "roles": roles,
        "contract": "full_time",
        "started_on": "2020-09-01",
    }
    if line_manager_id is not None:
        data["line_manager_id"] = line_manager_id
    return directory_event("staff.upserted", staff_id, data)


def directory_events(*staff_ids: str) -> list[dict[str, Any]]:
    """The school, its head teacher, executive lead and booking office, and the teachers
    `staff_ids` (default T-042): post these first, and the lifecycle's actors are known."""
    school = {"school_id": SCHOOL, "name": "Walmley Infant School", "trust_id": "TR-OAKS"}
    people = [staff_event(who, roles) for who, roles in APPROVERS.items()]
    teachers = [staff_event(who, ["teacher"], "HEAD-1") for who in staff_ids or ("T-042",)]
    return [directory_event("school.upserted", SCHOOL, school), *people, *teachers]


async def load_directory(store: Any, *staff_ids: str) -> None:
    """Apply `directory_events` through a store (a service's own: `service.store`), as a
    posted event would be."""
    for body in directory_events(*staff_ids):
        outcome = await store.apply(parse_inbound(body))
        assert outcome.status.status == "applied", outcome.status.reason


def post_directory(url: str, *staff_ids: str) -> None:
    """Post `directory_events` to a running service over HTTP, each one applied."""
    for body in directory_events(*staff_ids):
        answer = httpx.post(f"{url}/events?wait=true", json=body, timeout=15)
        assert answer.status_code == 200, answer.text
