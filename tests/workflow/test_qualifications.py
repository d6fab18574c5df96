"""`qualification.recorded`: statutory training gained elsewhere, and how long it lasts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from schemas import InvalidEvent
from tests.workflow.builders import HEAD, STAFF
from tests.workflow.obligation_builders import (
    CPD_LEAD,
    SOUTH_HEAD,
    TEACHER_2,
    applied,
    held,
    obligations_store,
    qualification,
    refused,
)
from workflow.compliance import of_person, valid_until
from workflow.store import Store


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with obligations_store(db_path) as store:
        yield store


async def test_without_valid_until_it_lasts_the_policys_months(store: Store) -> None:
    await applied(store, qualification(awarding_body="Local authority", certificate="SG-1"))
    found = await held(store)
    assert (found.achieved_on, found.valid_until) == (date(2026, 9, 1), date(2027, 9, 1))
    assert (found.source, found.recorded_by) == ("recorded", HEAD)
    assert (found.awarding_body, found.certificate) == ("Local authority", "SG-1")


async def test_a_valid_until_on_the_certificate_is_kept(store: Store) -> None:
    await applied(store, qualification(valid_until="2027-06-30"))
    assert (await held(store)).valid_until == date(2027, 6, 30)


@pytest.mark.parametrize(
    "actor", [STAFF, HEAD, CPD_LEAD, "training-system"], ids=["self", "head", "lead", "system"]
)
async def test_the_person_their_head_their_cpd_lead_or_a_system_may_record_it(
    store: Store, actor: str
) -> None:
    await applied(store, qualification(actor=actor))
    assert (await held(store)).recorded_by == actor


@pytest.mark.parametrize("actor", [TEACHER_2, SOUTH_HEAD], ids=["colleague", "other-head"])
async def test_a_colleague_or_another_schools_head_may_not(store: Store, actor: str) -> None:
    status = await refused(store, qualification(actor=actor))
    assert status.code == "not_authorised"
    assert "rule who_may.record_qualification" in (status.reason or "")
    assert await store.on_reader(of_person, STAFF) == []


async def test_the_services_own_name_may_not_record_one(store: Store) -> None:
    assert (await refused(store, qualification(actor="cpd-workflow"))).code == "unknown_actor"


async def test_a_kind_the_policy_set_does_not_list_is_refused_naming_what_it_lists(
    store: Store,
) -> None:
    status = await refused(store, qualification(kind="safegaurding"))
    assert status.code == "unknown_statutory_kind"
    assert "(it lists: safeguarding)" in (status.reason or "")


async def test_someone_not_in_the_directory_has_nothing_recorded(store: Store) -> None:
    status = await refused(store, qualification("staff-nobody", actor="training-system"))
    assert status.code == "unknown_staff"


async def test_the_subject_must_be_the_person_it_is_about(store: Store) -> None:
    event = qualification()
    event.subject = TEACHER_2
    assert (await refused(store, event)).code == "subject_mismatch"


async def test_training_achieved_after_today_is_refused(store: Store) -> None:
    status = await refused(store, qualification(achieved_on="2026-10-08"))
    assert status.code == "date_in_future"


def test_a_valid_until_before_it_was_achieved_is_not_a_valid_event() -> None:
    with pytest.raises(InvalidEvent):
        qualification(valid_until="2026-08-31")


async def test_posting_the_same_event_again_records_it_once(store: Store) -> None:
    event = qualification()
    await applied(store, event)
    assert (await store.apply(event)).duplicate
    assert len(await store.on_reader(of_person, STAFF)) == 1


async def test_the_latest_last_day_is_what_a_person_holds(store: Store) -> None:
    await applied(store, qualification(achieved_on="2026-09-01"))
    await applied(store, qualification(achieved_on="2025-09-01"))  # an older certificate
    assert (await held(store)).achieved_on == date(2026, 9, 1)
    assert len(await store.on_reader(of_person, STAFF)) == 2


@pytest.mark.parametrize(
    ("achieved", "months", "until"),
    [
        (date(2026, 9, 1), 12, date(2027, 9, 1)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 11, 30), 36, date(2029, 11, 30)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_validity_runs_to_the_same_date_months_later_or_the_months_last_day(
    achieved: date, months: int, until: date
) -> None:
    assert valid_until(achieved, months) == until
