"""GET /staff/{id} and GET /schools/{id}: the directory as the HR system last said."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from tests.workflow.policy_files import EXAMPLES

HR = "urn:trust:hr-system"


def envelope(event_id: str, event_type: str, subject: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": HR,
        "type": event_type,
        "subject": subject,
        "actor": "hr-sync",
        "data": data,
    }


ADA = {
    "staff_id": "T-ADA",
    "name": "Ada Lovelace",
    "email": "ada@north.example",
    "school_id": "S-NORTH",
    "roles": ["teacher", "cpd_lead"],
    "contract": "part_time",
    "started_on": "2021-09-01",
    "is_ect": False,
}


async def post(client: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await client.post("/events?wait=true", json=body)


async def test_an_upserted_member_of_staff_answers_with_their_record(
    client: httpx.AsyncClient,
) -> None:
    posted = await post(client, envelope("hr-1", "staff.upserted", "T-ADA", ADA))
    assert posted.status_code == 200, posted.text

    answer = await client.get("/staff/T-ADA")

    assert answer.status_code == 200
    body = answer.json()
    assert {k: body[k] for k in ADA} == ADA | {"roles": ["cpd_lead", "teacher"]}
    assert body["left_on"] is None and body["can_act"] is True
    assert body["acts_for"] == {"cpd_lead": ["S-NORTH"], "teacher": ["S-NORTH"]}


async def test_a_leaver_still_answers_with_their_last_working_day(
    client: httpx.AsyncClient,
) -> None:
    await post(client, envelope("hr-1", "staff.upserted", "T-ADA", ADA))
    leaving = {"staff_id": "T-ADA", "left_on": "2020-07-22", "reason": "retirement"}
    assert (await post(client, envelope("hr-2", "staff.left", "T-ADA", leaving))).status_code == 200

    body = (await client.get("/staff/T-ADA")).json()

    assert (body["left_on"], body["leaving_reason"], body["can_act"]) == (
        "2020-07-22",
        "retirement",
        False,
    )


async def test_an_unknown_member_of_staff_is_404_with_a_json_body(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/staff/T-NOBODY")

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == {
        "type": "urn:cpd-workflow:problem:unknown_staff",
        "title": "Unknown member of staff",
        "status": 404,
        "detail": "no staff member 'T-NOBODY'",
        "error": "unknown_staff",
        "message": "no staff member 'T-NOBODY'",
    }


async def test_a_school_answers_with_its_trust_and_policy_set(client: httpx.AsyncClient) -> None:
    data = {"school_id": "S-NORTH", "name": "North Primary", "trust_id": "TR-1"}
    posted = await post(client, envelope("hr-3", "school.upserted", "S-NORTH", data))
    assert posted.status_code == 200

    body = (await client.get("/schools/S-NORTH")).json()

    assert (body["name"], body["trust_id"], body["policy_id"], body["policy_set"]) == (
        "North Primary",
        "TR-1",
        None,
        "default",
    )


async def test_a_school_naming_an_unloaded_policy_set_is_refused_409(
    client: httpx.AsyncClient,
) -> None:
    data = {"school_id": "S-NORTH", "name": "North Primary", "policy_id": "no-such-set"}

    answer = await post(client, envelope("hr-4", "school.upserted", "S-NORTH", data))

    assert answer.status_code == 409
    assert answer.json()["error"] == "unknown_policy_set"
    assert (await client.get("/schools/S-NORTH")).status_code == 404


async def test_an_unknown_school_is_404_with_a_json_body(client: httpx.AsyncClient) -> None:
    answer = await client.get("/schools/S-NOWHERE")

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == {
        "type": "urn:cpd-workflow:problem:unknown_school",
        "title": "Unknown school",
        "status": 404,
        "detail": "no school 'S-NOWHERE'",
        "error": "unknown_school",
        "message": "no school 'S-NOWHERE'",
    }


async def test_invalid_directory_data_is_422_naming_the_field(client: httpx.AsyncClient) -> None:
    answer = await post(
        client, envelope("hr-5", "staff.upserted", "T-ADA", ADA | {"roles": ["wizard"]})
    )

    assert answer.status_code == 422
    assert answer.json()["problems"][0]["loc"] == ["data", "roles", "0"]


async def test_the_service_accepts_a_school_naming_a_set_from_its_policy_directory(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "data", policy_dir=EXAMPLES, wait_timeout=10)
    service = Service(settings)
    await service.start()
    try:
        transport = httpx.ASGITransport(app=create_app(service))
        async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
            data = {"school_id": "S-WALMLEY", "name": "Walmley", "policy_id": "walmley-infant"}
            answer = await post(client, envelope("hr-6", "school.upserted", "S-WALMLEY", data))
            school = (await client.get("/schools/S-WALMLEY")).json()
    finally:
        await service.stop()

    assert answer.status_code == 200, answer.text
    assert school["policy_set"] == "walmley-infant"
