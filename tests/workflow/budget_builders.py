"""Budgets for the workflow tests: `budget.set` events, a school's budget view, and a
scripted calendar that applies each event on its day."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from schemas import CloudEvent, parse_inbound
from tests.workflow.builders import HEAD, event, submitted
from workflow.budgets.view import budget_year
from workflow.clock import FakeClock
from workflow.store import Outcome, Store

LONDON = ZoneInfo("Europe/London")
_ids = itertools.count(1)


def budget_set(
    school_id: str,
    year: str,
    amount: str,
    *,
    actor: str = HEAD,
    categories: dict[str, str] | None = None,
    subject: str | None = None,
    event_id: str | None = None,
) -> CloudEvent:
    data: dict[str, Any] = {"school_id": school_id, "financial_year": year, "amount_gbp": amount}
    if categories is not None:
        data["categories"] = categories
    return parse_inbound(
        {
            "specversion": "1.0",
            "id": event_id or f"budget-{next(_ids)}",
            "source": "urn:trust:finance",
            "type": "budget.set",
            "subject": subject or school_id,
            "actor": actor,
            "data": data,
        }
    )


async def view(store: Store, school_id: str, year: str | None = None) -> dict[str, Any]:
    """What GET /budgets/{school_id}?year= answers, read straight from the store."""
    now = store.clock.now()
    found: dict[str, Any] = await store.on_reader(
        budget_year, store.governance, school_id, year, now
    )
    return found


def rows(found: dict[str, Any]) -> list[tuple[str, str | None, str, str]]:
    """The ledger as (kind, request id, amount, cause): what a bursar checks line by line."""
    return [(r["kind"], r["request_id"], r["amount_gbp"], r["cause"]) for r in found["ledger"]]


def figures(found: dict[str, Any]) -> tuple[str | None, str, str, str | None]:
    return (
        found["budget_gbp"],
        found["committed_gbp"],
        found["spent_gbp"],
        found["remaining_gbp"],
    )


class Calendar:
    """Applies each event at 09:00 (London) on its day, in the order written."""

    def __init__(self, store: Store, clock: FakeClock) -> None:
        self.store, self.clock = store, clock

    def on(self, day: str, hour: int = 9) -> Calendar:
        self.clock.set(datetime.combine(date.fromisoformat(day), time(hour), LONDON))
        return self

    async def apply(self, cloud_event: CloudEvent) -> Outcome:
        outcome = await self.store.apply(cloud_event)
        assert outcome.status.status == "applied", outcome.status.reason
        return outcome

    async def submit(self, request_id: str, school_id: str, **data: Any) -> None:
        await self.apply(submitted(request_id, school_id=school_id, **data))

    async def step(self, event_type: str, request_id: str, **data: Any) -> None:
        await self.apply(event(f"cpd.request.{event_type}", request_id, **data))


def gbp(amount: str) -> Decimal:
    return Decimal(amount)
