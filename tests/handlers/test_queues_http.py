"""The approval queues and the request list over HTTP, against the whole service: a trust
of two schools (S-NORTH, S-SOUTH) and a school of another trust (S-WEST)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from schemas import parse_inbound
from tests.handlers.keys import bearer, make_key
from tests.lifecycle import directory_event, event, submitted_data
from workflow.clock import FakeClock

LONDON = ZoneInfo("Europe/London")
# Years ahead of the real clock, so no follow-up alarm goes off by itself.
MONDAY = datetime(2040, 1, 9, 9, tzinfo=LONDON)
PEOPLE = {
    # staff id: school, roles, extra fields
    "HEAD-N": ("S-NORTH", ["head_teacher"], {}),
    "HEAD-S": ("S-SOUTH", ["head_teacher"], {}),
    "HEAD-W": ("S-WEST", ["head_teacher"], {}),
    "EXEC-A": ("S-NORTH", ["executive_lead"], {}),
    "EXEC-B": ("S-WEST", ["executive_lead"], {}),
    "T-1": ("S-NORTH", ["teacher"], {"line_manager_id": "HEAD-N"}),
    "ECT-1": ("S-NORTH", ["teacher"], {"is_ect": True}),
    "T-S": ("S-SOUTH", ["teacher"], {}),
    "T-W": ("S-WEST", ["teacher"], {}),
}
SCHOOLS = {"S-NORTH": "TR-A", "S-SOUTH": "TR-A", "S-WEST": "TR-B"}


def person(staff_id: str) -> dict[str, Any]:
    school_id, roles, extra = PEOPLE[staff_id]
    return {
        "staff_id": staff_id,
        "name": staff_id.title(),
        "email": f"{staff_id.lower()}@trust.example",
        "school_id": school_id,
        "roles": roles,
        "contract": "full_time",
        "started_on": "2030-09-01",
        **extra,
    }


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
async def service(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Service]:
    term_dates = tmp_path / "term_dates.json"
    term_dates.write_text(json.dumps({"name": "no holidays", "holidays": []}))
    settings = Settings(data_dir=tmp_path / "data", term_dates=term_dates, wait_timeout=10)
    service = Service(settings, clock=clock)
    try:
        await service.start()
        hr = [
            directory_event("school.upserted", s, {"school_id": s, "name": s, "trust_id": t})
            for s, t in SCHOOLS.items()
        ] + [directory_event("staff.upserted", p, person(p)) for p in PEOPLE]
        for body in hr:
            assert (await service.store.apply(parse_inbound(body))).status.status == "applied"
        yield service
    finally:
        await service.stop()


@pytest.fixture
async def http(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
        yield client


async def post(http: httpx.AsyncClient, body: dict[str, Any], key: str | None = None) -> None:
    headers = bearer(key) if key else {}
    answer = await http.post("/events?wait=true", json=body, headers=headers)
    assert answer.status_code == 200, answer.text


async def submit(
    http: httpx.AsyncClient, request_id: str, staff_id: str, key: str | None = None, **data: Any
) -> None:
    school_id = PEOPLE[staff_id][0]
    fields = submitted_data(staff_id, school_id=school_id, cost_gbp="50.00", priorities=[])
    await post(http, event("submitted", request_id, staff_id, {**fields, **data}), key)


def sip(school_id: str, actor: str, **codes: str) -> dict[str, Any]:
    priorities = [{"code": c.replace("_", "-"), "title": t} for c, t in codes.items()]
    body = directory_event(
        "sip.updated", school_id, {"school_id": school_id, "priorities": priorities}
    )
    return {**body, "id": f"sip-{school_id}-{actor}", "actor": actor}


async def test_the_head_queue_lists_waiting_requests_by_score_then_school_days_waiting(
    http: httpx.AsyncClient, clock: FakeClock
) -> None:
    await post(http, sip("S-NORTH", "HEAD-N", SIP_1="Early reading"))
    await submit(http, "R-OLD", "T-1")
    clock.advance(timedelta(days=1))
    await submit(http, "R-NEW", "T-1")
    await submit(http, "R-SIP", "T-1", priorities=["SIP-1", "SIP-7"])
    await submit(http, "R-ECT", "ECT-1")
    await submit(http, "R-SOUTH", "T-S")
    clock.advance(
        timedelta(days=6)
    )  # the Monday after: 5 school days since Monday, 4 since Tuesday

    answer = await http.get("/queues/head", params={"school_id": "S-NORTH"})

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [(i["request_id"], i["score"], i["days_waiting"]) for i in body["items"]] == [
        ("R-SIP", 3, 4),
        ("R-ECT", 2, 4),
        ("R-OLD", 0, 5),
        ("R-NEW", 0, 4),
    ]
    assert body["items"][0]["reasons"] == [
        {"text": "linked to SIP priority SIP-1: Early reading", "weight": 3},
        {"text": "unknown SIP priority 'SIP-7' (not in the SIP)", "weight": 0},
    ]
    assert (body["step"], body["school_id"], body["total"]) == ("head", "S-NORTH", 4)
    assert (body["financial_year"], body["budget_remaining_gbp"]) == ("2039-40", None)
    assert body["items"][0]["budget_remaining_gbp"] is None


async def test_the_executive_queue_lists_head_approved_requests_of_every_school(
    http: httpx.AsyncClient,
) -> None:
    for request_id, staff_id, head in (("R-N", "T-1", "HEAD-N"), ("R-W", "T-W", "HEAD-W")):
        await submit(http, request_id, staff_id)
        await post(http, event("head_approved", request_id, head))
    await submit(http, "R-WAITING", "T-1")

    body = (await http.get("/queues/executive")).json()
    one_trust = (await http.get("/queues/executive", params={"trust_id": "TR-B"})).json()

    assert {i["request_id"] for i in body["items"]} == {"R-N", "R-W"}
    assert (body["step"], body["school_id"], body["budget_remaining_gbp"]) == (
        "executive",
        None,
        None,
    )
    assert [i["request_id"] for i in one_trust["items"]] == ["R-W"]


async def test_a_head_teacher_reads_their_schools_queue_and_no_other(
    http: httpx.AsyncClient, service: Service
) -> None:
    key = bearer(
        make_key(service.settings.data_dir, "head-n", "read:reports", as_staff_id="HEAD-N")
    )

    own = await http.get("/queues/head", params={"school_id": "S-NORTH"}, headers=key)
    other = await http.get("/queues/head", params={"school_id": "S-SOUTH"}, headers=key)

    assert own.status_code == 200
    assert other.status_code == 403 and other.json()["error"] == "out_of_reach"


async def test_a_teacher_may_not_read_their_schools_queue(
    http: httpx.AsyncClient, service: Service
) -> None:
    key = bearer(make_key(service.settings.data_dir, "t-1", "read:reports", as_staff_id="T-1"))

    answer = await http.get("/queues/head", params={"school_id": "S-NORTH"}, headers=key)

    assert answer.status_code == 403 and answer.json()["error"] == "out_of_reach"


async def test_an_executive_lead_reads_the_executive_queue_of_their_trust_only(
    http: httpx.AsyncClient, service: Service
) -> None:
    portal = make_key(service.settings.data_dir, "portal", "post:cpd.request.*", "act-for-others")
    for request_id, staff_id, head in (("R-N", "T-1", "HEAD-N"), ("R-W", "T-W", "HEAD-W")):
        await submit(http, request_id, staff_id, portal)
        await post(http, event("head_approved", request_id, head), portal)
    key = bearer(
        make_key(service.settings.data_dir, "exec-a", "read:reports", as_staff_id="EXEC-A")
    )

    body = (await http.get("/queues/executive", headers=key)).json()

    assert [i["request_id"] for i in body["items"]] == ["R-N"]


async def test_the_queues_need_the_read_reports_scope(
    http: httpx.AsyncClient, service: Service
) -> None:
    key = bearer(make_key(service.settings.data_dir, "reader", "read:requests"))

    for path in ("/queues/head?school_id=S-NORTH", "/queues/executive"):
        answer = await http.get(path, headers=key)
        assert answer.status_code == 403 and answer.json()["error"] == "missing_scope", path


async def test_an_unknown_school_has_no_queue_and_the_school_must_be_named(
    http: httpx.AsyncClient,
) -> None:
    unknown = await http.get("/queues/head", params={"school_id": "S-NOWHERE"})
    unnamed = await http.get("/queues/head")

    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_school"
    assert unnamed.status_code == 422 and unnamed.json()["error"] == "invalid_parameters"


async def test_requests_are_listed_newest_first_a_page_at_a_time(
    http: httpx.AsyncClient, clock: FakeClock
) -> None:
    for n in range(5):
        clock.advance(timedelta(minutes=1))
        await submit(http, f"R-{n}", "T-1")
    await post(http, event("head_approved", "R-1", "HEAD-N"))

    seen, cursor = [], None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        body = (await http.get("/requests", params=params)).json()
        seen.append([item["request_id"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    approved = (await http.get("/requests", params={"state": "head_approved"})).json()

    assert seen == [["R-4", "R-3"], ["R-2", "R-1"], ["R-0"]]
    assert [(i["request_id"], i["state"]) for i in approved["items"]] == [("R-1", "head_approved")]


async def test_a_bad_cursor_or_state_is_a_problem_not_a_failure(http: httpx.AsyncClient) -> None:
    cursor = await http.get("/requests", params={"cursor": "garbage!"})
    state = await http.get("/requests", params={"state": "pending"})

    assert cursor.status_code == 422 and cursor.json()["error"] == "invalid_cursor"
    assert state.status_code == 422 and state.json()["error"] == "invalid_parameters"


async def test_a_person_lists_only_the_requests_within_their_reach(
    http: httpx.AsyncClient, service: Service
) -> None:
    data_dir = service.settings.data_dir
    portal = make_key(data_dir, "portal", "post:cpd.request.*", "act-for-others")
    for request_id, staff_id in (("R-T1", "T-1"), ("R-ECT", "ECT-1"), ("R-S", "T-S")):
        await submit(http, request_id, staff_id, portal)
    teacher = bearer(make_key(data_dir, "t-1", "read:requests", as_staff_id="T-1"))
    head = bearer(make_key(data_dir, "head-n", "read:requests", as_staff_id="HEAD-N"))

    def listed(answer: httpx.Response) -> set[str]:
        assert answer.status_code == 200, answer.text
        return {item["request_id"] for item in answer.json()["items"]}

    assert listed(await http.get("/requests", headers=teacher)) == {"R-T1"}
    assert listed(await http.get("/requests", headers=head)) == {"R-T1", "R-ECT"}
    school = await http.get("/requests", params={"school_id": "S-NORTH"}, headers=head)
    assert listed(school) == {"R-T1", "R-ECT"}
    elsewhere = await http.get("/requests", params={"school_id": "S-SOUTH"}, headers=head)
    assert elsewhere.status_code == 403 and elsewhere.json()["error"] == "out_of_reach"


async def test_a_schools_sip_is_posted_by_a_system_or_its_head_and_not_by_a_teacher(
    http: httpx.AsyncClient, service: Service
) -> None:
    data_dir = service.settings.data_dir
    system = make_key(data_dir, "planning", "post:sip.*")
    teacher = make_key(data_dir, "t-1", "post:sip.*", as_staff_id="T-1")
    head = make_key(data_dir, "head-n", "post:sip.*", as_staff_id="HEAD-N")

    await post(http, sip("S-NORTH", "planning-tool", SIP_1="Early reading"), system)
    await post(http, sip("S-NORTH", "HEAD-N", SIP_2="Maths"), head)
    by_teacher = await http.post(
        "/events?wait=true", json=sip("S-NORTH", "T-1"), headers=bearer(teacher)
    )
    as_someone_else = await http.post(
        "/events?wait=true", json=sip("S-NORTH", "HEAD-N"), headers=bearer(teacher)
    )

    assert by_teacher.status_code == 409 and by_teacher.json()["error"] == "not_authorised"
    assert as_someone_else.status_code == 403
    assert as_someone_else.json()["error"] == "actor_mismatch"
