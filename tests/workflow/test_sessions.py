"""In-house sessions: CPD for every attendee without an approval chain, and their corrections."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.workflow.builders import HEAD, STAFF
from tests.workflow.obligation_builders import (
    CPD_LEAD,
    SOUTH_HEAD,
    SUPPORT,
    TEACHER_2,
    agreed,
    applied,
    corrected,
    held,
    obligations_store,
    qualification,
    refused,
    session,
)
from workflow.compliance import agreed_for, cpd_hours, current, of_person, session_view
from workflow.store import Store


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    async with obligations_store(db_path) as store:
        yield store


async def test_a_session_is_cpd_for_every_attendee_with_no_request(store: Store) -> None:
    await applied(store, session())
    recorded = await store.on_reader(session_view, "SES-1")
    assert recorded is not None
    assert recorded["attendees"] == sorted([STAFF, TEACHER_2, SUPPORT])
    assert (recorded["kind"], recorded["hours"], recorded["recorded_by"]) == (
        "inset",
        "6",
        CPD_LEAD,
    )
    for person in (STAFF, TEACHER_2, SUPPORT):
        assert (await store.on_reader(cpd_hours, person)).sessions == Decimal(6)
    assert (await store.on_reader(cpd_hours, CPD_LEAD)).total == Decimal(0)  # led, not attended
    assert await store.get_request("SES-1") is None


async def test_a_statutory_session_gives_every_attendee_the_training(store: Store) -> None:
    await applied(store, session(statutory_kind="safeguarding"))
    for person in (STAFF, TEACHER_2, SUPPORT):
        found = await held(store, person)
        assert (found.achieved_on, found.valid_until) == (date(2026, 9, 1), date(2027, 9, 1))
        assert (found.source, found.source_id, found.awarding_body) == (
            "session",
            "SES-1",
            CPD_LEAD,
        )


async def test_a_correction_takes_the_training_from_those_taken_off_and_gives_it_to_those_added(
    store: Store,
) -> None:
    await applied(store, qualification(TEACHER_2, achieved_on="2025-11-01"))
    await applied(store, session(statutory_kind="safeguarding"))
    await applied(store, corrected([STAFF, SUPPORT, CPD_LEAD]))
    recorded = await store.on_reader(session_view, "SES-1")
    assert recorded is not None and recorded["version"] == 2
    assert recorded["attendees"] == sorted([STAFF, SUPPORT, CPD_LEAD])
    [change] = recorded["corrections"]
    assert (change["added"], change["removed"], change["by"]) == ([CPD_LEAD], [TEACHER_2], CPD_LEAD)
    assert (await held(store, CPD_LEAD)).source_id == "SES-1"
    # Taken off: what they held before stands again.
    assert (await held(store, TEACHER_2)).valid_until == date(2026, 11, 1)
    assert (await store.on_reader(cpd_hours, TEACHER_2)).sessions == Decimal(0)


async def test_someone_put_back_on_the_register_holds_the_training_again(store: Store) -> None:
    await applied(store, session(statutory_kind="safeguarding"))
    await applied(store, corrected([STAFF, SUPPORT]))
    assert await store.on_reader(current, TEACHER_2, "safeguarding") is None
    await applied(store, corrected([STAFF, SUPPORT, TEACHER_2]))
    assert (await held(store, TEACHER_2)).source_id == "SES-1"
    assert len(await store.on_reader(of_person, TEACHER_2)) == 1


@pytest.mark.parametrize("actor", [HEAD, CPD_LEAD, "hr-training-sync"])
async def test_a_head_teacher_a_cpd_lead_or_a_system_may_record_one(
    store: Store, actor: str
) -> None:
    await applied(store, session(actor=actor))


@pytest.mark.parametrize("actor", [STAFF, SOUTH_HEAD])
async def test_a_teacher_or_another_schools_head_may_not_record_or_correct_one(
    store: Store, actor: str
) -> None:
    status = await refused(store, session(actor=actor))
    assert status.code == "not_authorised" and "who_may.record_session" in (status.reason or "")
    await applied(store, session())
    assert (await refused(store, corrected([STAFF], actor=actor))).code == "not_authorised"


async def test_a_session_id_is_recorded_once(store: Store) -> None:
    await applied(store, session())
    assert (await refused(store, session(title="Again"))).code == "session_exists"


async def test_correcting_a_session_never_recorded_is_refused(store: Store) -> None:
    assert (await refused(store, corrected([STAFF], "SES-404"))).code == "unknown_session"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"attendees": [STAFF, "staff-nobody"]}, "unknown_staff"),
        ({"school_id": "school-nowhere"}, "unknown_school"),
        ({"date": "2026-10-08"}, "date_in_future"),
        ({"statutory_kind": "fire_safety"}, "unknown_statutory_kind"),
        ({"agreed_item_id": "AG-404"}, "unknown_agreed_item"),
    ],
)
async def test_a_session_naming_what_does_not_exist_is_refused(
    store: Store, change: dict[str, object], code: str
) -> None:
    assert (await refused(store, session(**change))).code == code
    assert await store.on_reader(session_view, "SES-1") is None


async def test_a_session_provides_the_agreed_cpd_it_names(store: Store) -> None:
    await applied(store, agreed("AG-1"), agreed("AG-2", TEACHER_2))
    await applied(store, session(agreed_item_ids=["AG-1"], agreed_item_id="AG-2"))
    for person, item in ((STAFF, "AG-1"), (TEACHER_2, "AG-2")):
        [found] = await store.on_reader(agreed_for, person)
        assert found["agreed_item_id"] == item and found["provided"] is True
        assert found["provided_by"] == [{"kind": "session", "id": "SES-1", "on": "2026-09-01"}]


async def test_hours_are_counted_by_the_sessions_date(store: Store) -> None:
    await applied(store, session("SES-1", date="2026-09-01", hours="6"))
    await applied(store, session("SES-2", date="2026-10-05", hours="1.5", kind="staff_meeting"))
    everything = await store.on_reader(cpd_hours, STAFF)
    october = await store.on_reader(cpd_hours, STAFF, date(2026, 10, 1), date(2026, 10, 31))
    assert (everything.sessions, everything.total) == (Decimal("7.5"), Decimal("7.5"))
    assert october.sessions == Decimal("1.5")
