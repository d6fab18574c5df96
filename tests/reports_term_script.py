"""Builders of the scripted term's events (tests/reports_term_events.py): CloudEvents as
the HR feed, the staff portal and the schools' people would post them, each with its time."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

HR, PORTAL = "urn:trust:hr", "urn:trust:staff-portal"
_ids = itertools.count(1)
Step = tuple[datetime, dict[str, Any]]


def at(day: str, hour: int = 9) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def _event(
    kind: str, subject: str, actor: str, data: dict[str, Any], source: str
) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"term-{next(_ids):04d}",
        "source": source,
        "type": kind,
        "subject": subject,
        "actor": actor,
        "datacontenttype": "application/json",
        "data": data,
    }


def school(school_id: str, name: str, trust: str) -> Step:
    data = {"school_id": school_id, "name": name, "trust_id": trust}
    return at("2026-06-01", 8), _event("school.upserted", school_id, "hr-sync", data, HR)


def person(
    staff_id: str, school_id: str, roles: list[str], manager: str | None = None, **extra: Any
) -> Step:
    data = {
        "staff_id": staff_id,
        "name": staff_id.replace("-", " ").title(),
        "email": f"{staff_id.lower()}@oaks.example",
        "school_id": school_id,
        "roles": roles,
        "contract": "full_time",
        "started_on": "2020-09-01",
        **({"line_manager_id": manager} if manager else {}),
        **extra,
    }
    return at("2026-06-01", 8), _event("staff.upserted", staff_id, "hr-sync", data, HR)


def step(when: datetime, kind: str, subject: str, actor: str, /, **data: Any) -> Step:
    return when, _event(kind, subject, actor, data, PORTAL)


def request(request_id: str, staff: str, school_id: str, when: datetime, **data: Any) -> list[Step]:
    """The submission; `data` gives title, activity_type, provider, start_date, cost_gbp..."""
    data.setdefault("end_date", data["start_date"])
    data.setdefault("priorities", [])
    data.setdefault("justification", "Fits the school's plan")
    submitted = {"staff_id": staff, "school_id": school_id, **data}
    return [step(when, "cpd.request.submitted", request_id, staff, **submitted)]


def moves(request_id: str, *steps: tuple[datetime, str, str, dict[str, Any]]) -> list[Step]:
    return [step(w, f"cpd.request.{kind}", request_id, actor, **d) for w, kind, actor, d in steps]


def took_place(staff: str, day: str) -> tuple[datetime, str, str, dict[str, Any]]:
    return at(day, 16), "completed", staff, {"completed_on": day}


def rated(
    day: str, staff: str, rating: int, recommend: bool
) -> tuple[datetime, str, str, dict[str, Any]]:
    data = {
        "rating": rating,
        "impact_on_practice": "Changed practice",
        "recommend_provider": recommend,
    }
    return at(day), "evaluated", staff, data


def reviewed(day: str, by: str, rating: int) -> tuple[datetime, str, str, dict[str, Any]]:
    data = {"reviewed_on": day, "impact_rating": rating, "summary": "Seen in lessons"}
    return at(day), "impact_reviewed", by, data


def shared(day: str, staff: str) -> tuple[datetime, str, str, dict[str, Any]]:
    data = {"method": "staff meeting", "disseminated_on": day, "audience": "colleagues"}
    return at(day), "disseminated", staff, data


def approved(
    head_day: str, exec_day: str, head: str, executive: str = "EXEC-1"
) -> list[tuple[datetime, str, str, dict[str, Any]]]:
    return [
        (at(head_day, 14), "head_approved", head, {}),
        (at(exec_day, 14), "executive_approved", executive, {}),
    ]


def booked(
    day: str, cost: str | None = None, office: str = "BOOKING-1"
) -> tuple[datetime, str, str, dict[str, Any]]:
    data: dict[str, Any] = {"booking_reference": f"BK-{day}"}
    if cost is not None:
        data["confirmed_cost_gbp"] = cost
    return at(day, 15), "booked", office, data


def system(when: datetime, kind: str, subject: str, actor: str, /, **data: Any) -> Step:
    return when, _event(kind, subject, actor, data, HR)
