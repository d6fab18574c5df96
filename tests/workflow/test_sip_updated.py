"""`sip.updated`: a school's SIP priorities, the latest of which counts; posted by its head
teacher or CPD lead, or by a system, and refused (recorded, announced) otherwise."""

from __future__ import annotations

import pytest

from schemas import InvalidEvent, parse_inbound
from tests.workflow.builders import HEAD, STAFF
from tests.workflow.directory_builders import applied, left, staff
from tests.workflow.priority_builders import SIP, sip_updated
from workflow.priority.sip import latest_sip
from workflow.store import EVENT_REJECTED, Store


async def refusal(store: Store, *events: object) -> tuple[str | None, str | None]:
    outcome = None
    for cloud_event in events:
        outcome = await store.apply(cloud_event)
    assert outcome is not None and outcome.status.status == "rejected"
    return outcome.status.code, outcome.status.reason


async def sip_of(store: Store, school_id: str) -> object:
    return await store.on_reader(latest_sip, school_id)


async def test_the_head_teacher_sets_the_schools_sip_and_the_latest_wins(store: Store) -> None:
    await applied(store, sip_updated("school-north", actor=HEAD))
    await applied(store, sip_updated("school-north", {"SIP-3": "Attendance"}, actor=HEAD))

    assert await sip_of(store, "school-north") == {"SIP-3": "Attendance"}
    assert await sip_of(store, "school-south") is None


async def test_every_version_is_kept_with_who_posted_it(store: Store) -> None:
    await applied(store, sip_updated("school-north", actor=HEAD))
    await applied(store, sip_updated("school-north", {}, actor="planning-tool"))

    rows = await store.on_reader(
        lambda db: db.execute(
            "SELECT version, actor, priorities FROM sip_versions ORDER BY version"
        ).fetchall()
    )

    assert [(r[0], r[1]) for r in rows] == [(1, HEAD), (2, "planning-tool")]
    assert await sip_of(store, "school-north") == {}


async def test_a_cpd_lead_and_a_system_may_set_it(store: Store) -> None:
    await applied(store, staff("lead-kay", "school-north", "teacher", "cpd_lead"))

    await applied(store, sip_updated("school-north", actor="lead-kay"))
    await applied(store, sip_updated("school-north", SIP, actor="trust-planning"))

    assert await sip_of(store, "school-north") == SIP


async def test_a_teacher_may_not_set_their_schools_sip(store: Store) -> None:
    code, reason = await refusal(store, sip_updated("school-north", actor=STAFF))

    assert code == "not_authorised"
    assert "head teacher or CPD lead" in str(reason) and "who_may.update_sip" in str(reason)
    assert await sip_of(store, "school-north") is None


async def test_a_head_teacher_may_not_set_another_schools_sip(store: Store) -> None:
    await applied(store, staff("head-east", "school-east", "head_teacher"))

    code, _ = await refusal(store, sip_updated("school-north", actor="head-east"))

    assert code == "not_authorised"


async def test_a_leaver_may_not_set_it(store: Store) -> None:
    await applied(
        store, staff("lead-kay", "school-north", "cpd_lead"), left("lead-kay", "2026-09-01")
    )

    code, _ = await refusal(store, sip_updated("school-north", actor="lead-kay"))

    assert code == "unknown_actor"


async def test_the_service_s_own_names_are_refused_as_actors(store: Store) -> None:
    code, _ = await refusal(store, sip_updated("school-north", actor="cpd-workflow"))

    assert code == "unknown_actor"


async def test_an_unknown_school_or_another_subject_is_refused_and_announced(
    store: Store,
) -> None:
    unknown = await refusal(store, sip_updated("school-nowhere"))
    mismatch = await refusal(store, sip_updated("school-north", subject="school-south"))

    assert unknown[0] == "unknown_school"
    assert mismatch[0] == "subject_mismatch"
    announced = await store.on_reader(
        lambda db: db.execute(
            "SELECT COUNT(*) FROM outbox WHERE event_type = ?", (EVENT_REJECTED,)
        ).fetchone()[0]
    )
    assert announced == 2


async def test_posting_the_same_event_again_changes_nothing(store: Store) -> None:
    once = sip_updated("school-north")

    await applied(store, once)
    again = await store.apply(once)

    assert again.duplicate
    versions = await store.on_reader(
        lambda db: db.execute("SELECT COUNT(*) FROM sip_versions").fetchone()[0]
    )
    assert versions == 1


def test_a_code_listed_twice_is_invalid_data() -> None:
    body = {
        "specversion": "1.0",
        "id": "sip-dup",
        "source": "urn:test",
        "type": "sip.updated",
        "subject": "school-north",
        "actor": HEAD,
        "data": {
            "school_id": "school-north",
            "priorities": [
                {"code": "SIP-1", "title": "Early reading"},
                {"code": "sip-1", "title": "Reading again"},
            ],
        },
    }

    with pytest.raises(InvalidEvent) as refused:
        parse_inbound(body)

    assert "code 'sip-1' is listed twice" in str(refused.value.problems)
