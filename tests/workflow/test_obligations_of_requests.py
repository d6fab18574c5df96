"""What a request does for its person's obligations: statutory training it renews, CPD agreed
in appraisal it provides, and the hours it counts for, all once it is completed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from schemas import InvalidEvent
from tests.workflow.builders import HEAD, STAFF, apply_all, event, submitted
from tests.workflow.obligation_builders import (
    CPD_LEAD,
    TEACHER_2,
    agreed,
    applied,
    held,
    obligations_store,
    refused,
)
from workflow.compliance import agreed_for, cpd_hours, current
from workflow.store import Store

TO_BOOKED = ["cpd.request.head_approved", "cpd.request.executive_approved", "cpd.request.booked"]


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with obligations_store(db_path) as store:
        yield store


async def booked(store: Store, request_id: str = "req-1", **data: Any) -> None:
    await apply_all(
        store, [submitted(request_id, **data), *(event(t, request_id) for t in TO_BOOKED)]
    )


async def complete(store: Store, request_id: str = "req-1", on: str = "2026-10-06") -> None:
    await apply_all(store, [event("cpd.request.completed", request_id, completed_on=on)])


async def test_completing_a_statutory_request_records_the_training_from_completed_on(
    store: Store,
) -> None:
    await booked(store, statutory_kind="safeguarding")
    assert await store.on_reader(current, STAFF, "safeguarding") is None  # not yet
    await complete(store, on="2026-10-05")
    found = await held(store)
    assert (found.achieved_on, found.valid_until) == (date(2026, 10, 5), date(2027, 10, 5))
    assert (found.source, found.source_id, found.recorded_by) == ("request", "req-1", STAFF)
    assert found.awarding_body == "Reading Hub"  # the provider


async def test_a_request_for_training_its_policy_set_does_not_list_is_refused_at_submission(
    store: Store,
) -> None:
    status = await refused(store, submitted(statutory_kind="fire_safety"))
    assert status.code == "unknown_statutory_kind"
    assert "policy set default v1 (it lists: safeguarding)" in (status.reason or "")
    assert await store.get_request("req-1") is None


async def test_a_request_that_is_not_completed_records_no_training(store: Store) -> None:
    await booked(store, statutory_kind="safeguarding")
    await apply_all(store, [event("cpd.request.not_attended", "req-1")])
    assert await store.on_reader(current, STAFF, "safeguarding") is None


async def test_a_completed_request_provides_the_agreed_cpd_it_names(store: Store) -> None:
    await applied(store, agreed("AG-1"), agreed("AG-2"))
    await booked(store, "req-1", agreed_item_id="AG-1")
    await booked(store, "req-2", agreed_item_id="AG-2")
    await complete(store, "req-1")
    items = {i["agreed_item_id"]: i for i in await store.on_reader(agreed_for, STAFF)}
    assert items["AG-1"]["provided"] is True
    assert items["AG-1"]["provided_by"] == [{"kind": "request", "id": "req-1", "on": "2026-10-06"}]
    assert (items["AG-2"]["provided"], items["AG-2"]["provided_by"]) == (False, [])


async def test_agreed_in_appraisal_is_kept_on_the_request(store: Store) -> None:
    await apply_all(store, [submitted(agreed_in_appraisal=True)])
    request = await store.get_request("req-1")
    assert request is not None and request.details["submitted"]["agreed_in_appraisal"] is True


async def test_a_persons_hours_count_completed_requests_and_sessions(store: Store) -> None:
    await booked(store, "req-1", hours="6.5")
    await complete(store, "req-1", on="2026-10-06")
    await booked(store, "req-2", hours="3")  # booked, not yet completed: not counted
    await booked(store, "req-3")  # completed, but says no hours
    await complete(store, "req-3")
    hours = await store.on_reader(cpd_hours, STAFF)
    assert (hours.requests, hours.sessions, hours.total) == (Decimal("6.5"), 0, Decimal("6.5"))
    before = await store.on_reader(cpd_hours, STAFF, None, date(2026, 10, 5))
    assert before.total == 0


# --- CPD agreed in appraisal ------------------------------------------------------------------


async def test_agreed_cpd_is_listed_unprovided_until_something_provides_it(store: Store) -> None:
    await applied(store, agreed("AG-1", description="Observe a Year 2 phonics lesson"))
    [item] = await store.on_reader(agreed_for, STAFF)
    assert item == {
        "agreed_item_id": "AG-1",
        "staff_id": STAFF,
        "appraisal_cycle": "2026-27",
        "description": "Observe a Year 2 phonics lesson",
        "agreed_on": "2026-10-01",
        "agreed_by": HEAD,
        "provided": False,
        "provided_by": [],
    }


@pytest.mark.parametrize("actor", [HEAD, CPD_LEAD, "appraisal-system"])
async def test_their_line_manager_head_cpd_lead_or_a_system_records_agreed_cpd(
    store: Store, actor: str
) -> None:
    await applied(store, agreed("AG-9", TEACHER_2, actor=actor))  # HEAD manages TEACHER_2


async def test_a_colleague_may_not_record_someones_agreed_cpd(store: Store) -> None:
    status = await refused(store, agreed(actor=TEACHER_2))
    assert status.code == "not_authorised" and "who_may.agree_cpd" in (status.reason or "")


async def test_posting_an_agreed_item_again_replaces_it_but_never_for_someone_else(
    store: Store,
) -> None:
    await applied(store, agreed("AG-1", description="First wording"))
    await applied(store, agreed("AG-1", description="Agreed wording"))
    [item] = await store.on_reader(agreed_for, STAFF)
    assert item["description"] == "Agreed wording"
    assert (await refused(store, agreed("AG-1", TEACHER_2))).code == "agreed_item_exists"


@pytest.mark.parametrize("cycle", ["2026-28", "2026", "26-27"])
def test_an_appraisal_cycle_runs_one_year_to_the_next(cycle: str) -> None:
    with pytest.raises(InvalidEvent):
        agreed(appraisal_cycle=cycle)
