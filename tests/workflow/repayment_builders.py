"""A store governed by the example policy sets, and the steps that give a resigning
member of staff training the school paid for (school-first-steps follows policy 003)."""

from __future__ import annotations

import itertools
import json
from typing import Any

from schemas import CloudEvent, parse_inbound
from tests.workflow.builders import HEAD, OFFICE, SOURCE, STAFF, START, event, submitted
from tests.workflow.directory_builders import applied, left
from workflow.repayment import claims
from workflow.repayment.claims import Claim
from workflow.store import Store

FIRST_STEPS = "school-first-steps"  # policy 003: a repayment clause over 12 months
WALMLEY = "school-walmley"  # no repayment clause
REPAYMENT_DUE = "cpd.repayment.due"
_ids = itertools.count(1)


async def trained(
    store: Store,
    request_id: str,
    *,
    school_id: str = FIRST_STEPS,
    until: str = "completed",
    head_data: dict[str, Any] | None = None,
    cost: str = "240.00",
    staff_id: str = STAFF,
    head: str = HEAD,
    **submission: Any,
) -> None:
    """A course submitted, approved by the head (the executive step is passed by the
    policy), booked at `cost` and (unless `until` is `booked`) completed on its end date."""
    submission.setdefault("start_date", "2026-10-05")
    submission.setdefault("end_date", "2026-10-06")
    steps = [
        submitted(request_id, school_id=school_id, staff_id=staff_id, **submission),
        event("cpd.request.head_approved", request_id, actor=head, data=head_data or {}),
        event("cpd.request.booked", request_id, actor=OFFICE, confirmed_cost_gbp=cost),
    ]
    if until == "completed":
        ended = submission["end_date"]
        completed = event("cpd.request.completed", request_id, actor=staff_id, completed_on=ended)
        steps.append(completed)
    for step in steps:
        outcome = await store.apply(step)
        assert outcome.status.status == "applied", (step.type, outcome.status.reason)


async def resigns(store: Store, left_on: str, staff_id: str = STAFF, **fields: Any) -> None:
    await applied(store, left(staff_id, left_on, "resignation", **fields))


def decision(event_type: str, claim_id: str, actor: str = HEAD, **data: Any) -> CloudEvent:
    return parse_inbound(
        {
            "specversion": "1.0",
            "id": f"repay-{next(_ids)}",
            "source": SOURCE,
            "type": event_type,
            "subject": claim_id,
            "actor": actor,
            "time": START.isoformat(),
            "data": data,
        }
    )


async def claims_of(store: Store, **filters: Any) -> list[Claim]:
    found: list[Claim] = await store.on_reader(lambda db: claims.listed(db, **filters))
    return found


async def announced(store: Store, event_type: str = REPAYMENT_DUE) -> list[dict[str, Any]]:
    bodies = [json.loads(m.body) for m in await store.unpublished(limit=5000)]
    return [b for b in bodies if b["type"] == event_type]
