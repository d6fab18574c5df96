"""Builders for directory events (staff, schools, delegations), parsed as the wire would."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from schemas import CloudEvent, parse_inbound
from tests.workflow.builders import START
from workflow.store import Outcome, Store

HR = "urn:trust:hr-system"
_ids = itertools.count(1)


def directory_event(
    event_type: str, subject: str, data: dict[str, Any], actor: str = "hr-sync"
) -> CloudEvent:
    return parse_inbound(
        {
            "specversion": "1.0",
            "id": f"hr-{next(_ids)}",
            "source": HR,
            "type": event_type,
            "subject": subject,
            "actor": actor,
            "time": START.isoformat(),
            "data": data,
        }
    )


def staff(staff_id: str, school_id: str = "school-north", *roles: str, **fields: Any) -> CloudEvent:
    data = {
        "staff_id": staff_id,
        "name": fields.pop("name", staff_id.replace("-", " ").title()),
        "email": f"{staff_id}@trust.example",
        "school_id": school_id,
        "roles": list(roles) or ["teacher"],
        "contract": "full_time",
        "started_on": "2020-09-01",
        **fields,
    }
    return directory_event("staff.upserted", staff_id, data)


def left(staff_id: str, left_on: str, reason: str = "resignation", **fields: Any) -> CloudEvent:
    data = {"staff_id": staff_id, "left_on": left_on, "reason": reason, **fields}
    return directory_event("staff.left", staff_id, data)


def school(school_id: str, trust_id: str | None = None, **fields: Any) -> CloudEvent:
    data = {"school_id": school_id, "name": school_id.title(), "trust_id": trust_id, **fields}
    return directory_event("school.upserted", school_id, data)


def delegated(
    from_id: str,
    to_id: str,
    step: str,
    starts: str,
    until: str,
    subject: str | None = None,
    actor: str | None = None,
) -> CloudEvent:
    """Posted by the delegator unless `actor` says otherwise."""
    data = {
        "from_staff_id": from_id,
        "to_staff_id": to_id,
        "step": step,
        "from": starts,
        "until": until,
    }
    return directory_event("approval.delegated", subject or from_id, data, actor or from_id)


def revoked(from_id: str, to_id: str, step: str | None = None) -> CloudEvent:
    data: dict[str, Any] = {"to_staff_id": to_id}
    if step:
        data["step"] = step
    return directory_event("approval.delegation_revoked", from_id, data)


async def applied(store: Store, *events: CloudEvent) -> list[Outcome]:
    """Apply each event; every one must be applied (not refused)."""
    outcomes = []
    for cloud_event in events:
        outcome = await store.apply(cloud_event)
        assert outcome.status.status == "applied", outcome.status.reason
        outcomes.append(outcome)
    return outcomes


# The directory's dates are written for the first week of the 2026 autumn term.
TERM_START = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
