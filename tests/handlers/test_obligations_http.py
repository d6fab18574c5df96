"""Obligations over HTTP, against the whole service on its embedded NATS: posting
qualifications, agreed CPD and sessions, and reading compliance, agreed CPD, hours and
sessions back, with the scopes and reach each read needs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from handlers.service import Service
from tests.handlers.keys import bearer, make_key
from tests.lifecycle import TODAY, directory_event, staff_event

SCHOOL = "S-WALMLEY"
LAST_MONTH = (TODAY - timedelta(days=30)).isoformat()


def obligation(event_type: str, subject: str, actor: str, data: dict[str, Any]) -> dict[str, Any]:
    body = directory_event(event_type, subject, data)
    body["id"] = f"{event_type}-{subject}-{len(str(data))}"
    return {**body, "source": "urn:trust:training", "actor": actor}


def qualification(staff_id: str = "T-042", actor: str = "HEAD-1", **data: Any) -> dict[str, Any]:
    fields = {"staff_id": staff_id, "kind": "safeguarding", "achieved_on": LAST_MONTH, **data}
    return obligation("qualification.recorded", staff_id, actor, fields)


def session(actor: str = "HEAD-1", **data: Any) -> dict[str, Any]:
    fields = {
        "session_id": "SES-1",
        "school_id": SCHOOL,
        "title": "Safeguarding update",
        "date": LAST_MONTH,
        "hours": "2.5",
        "kind": "staff_meeting",
        "statutory_kind": "safeguarding",
        "attendees": ["T-042", "HEAD-1"],
        "led_by": "HEAD-1",
        **data,
    }
    return obligation("cpd.session.recorded", "SES-1", actor, fields)


def agreed(item: str = "AG-1", actor: str = "HEAD-1") -> dict[str, Any]:
    fields = {
        "agreed_item_id": item,
        "staff_id": "T-042",
        "appraisal_cycle": "2026-27",
        "description": "Phonics: observe the Year 1 lead",
        "agreed_on": LAST_MONTH,
        "agreed_by": "HEAD-1",
    }
    return obligation("appraisal.cpd_agreed", "T-042", actor, fields)


async def post(client: httpx.AsyncClient, body: dict[str, Any], **headers: str) -> httpx.Response:
    return await client.post("/events?wait=true", json=body, headers=headers)


async def applied(client: httpx.AsyncClient, *bodies: dict[str, Any]) -> None:
    for body in bodies:
        answer = await post(client, body)
        assert answer.status_code == 200, answer.text


async def test_the_compliance_list_names_each_person_and_kind_with_a_status(
    client: httpx.AsyncClient,
) -> None:
    await applied(client, qualification())
    answer = await client.get("/compliance", params={"school_id": SCHOOL})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["school_id"], report["on"]) == (SCHOOL, TODAY.isoformat())
    # HEAD-1 (head_teacher) and T-042 (teacher) must hold safeguarding under the default
    # set; the executive lead and the booking office hold no role that requires it.
    by_person = {row["staff_id"]: row for row in report["items"]}
    assert set(by_person) == {"HEAD-1", "T-042"}
    assert by_person["T-042"]["status"] == "valid" and by_person["T-042"]["kind"] == "safeguarding"
    assert by_person["HEAD-1"] == {
        "staff_id": "HEAD-1",
        "name": "Head-1",
        "school_id": SCHOOL,
        "kind": "safeguarding",
        "status": "missing",
        "valid_until": None,
    }
    assert report["summary"] == {"expired": 0, "expiring": 0, "valid": 1, "missing": 1}


async def test_without_a_school_every_school_is_listed(client: httpx.AsyncClient) -> None:
    answer = await client.get("/compliance")
    assert answer.status_code == 200
    assert {row["school_id"] for row in answer.json()["items"]} == {SCHOOL}


async def test_compliance_of_an_unknown_school_is_a_404_problem(client: httpx.AsyncClient) -> None:
    answer = await client.get("/compliance", params={"school_id": "S-NOWHERE"})
    assert (answer.status_code, answer.json()["error"]) == (404, "unknown_school")


async def test_a_session_is_recorded_and_read_back_with_its_attendance(
    client: httpx.AsyncClient,
) -> None:
    await applied(client, session())
    found = (await client.get("/sessions/SES-1")).json()
    assert (found["attendees"], found["hours"], found["version"]) == (["HEAD-1", "T-042"], "2.5", 1)
    hours = (await client.get("/staff/T-042/cpd-hours")).json()
    assert (hours["sessions_hours"], hours["total_hours"]) == ("2.5", "2.5")
    rows = (await client.get("/compliance", params={"school_id": SCHOOL})).json()["items"]
    assert {r["status"] for r in rows} == {"valid"}
    assert (await client.get("/sessions/SES-404")).status_code == 404


async def test_a_teacher_recording_a_session_is_refused_with_409(
    client: httpx.AsyncClient,
) -> None:
    answer = await post(client, session(actor="T-042"))
    assert (answer.status_code, answer.json()["error"]) == (409, "not_authorised")


async def test_agreed_cpd_is_listed_and_provided_once_a_session_names_it(
    client: httpx.AsyncClient,
) -> None:
    await applied(client, agreed())
    [item] = (await client.get("/staff/T-042/agreed-cpd")).json()["items"]
    assert (item["agreed_item_id"], item["provided"]) == ("AG-1", False)
    await applied(client, session(agreed_item_id="AG-1"))
    [item] = (await client.get("/staff/T-042/agreed-cpd")).json()["items"]
    assert item["provided"] is True
    assert item["provided_by"] == [{"kind": "session", "id": "SES-1", "on": LAST_MONTH}]
    assert (await client.get("/staff/NOBODY/agreed-cpd")).status_code == 404


async def test_cpd_hours_take_a_date_range(client: httpx.AsyncClient) -> None:
    await applied(client, session())
    later = (TODAY - timedelta(days=1)).isoformat()
    answer = await client.get("/staff/T-042/cpd-hours", params={"from_date": later})
    assert (answer.json()["total_hours"], answer.json()["from_date"]) == ("0", later)


async def test_renewal_reminders_are_listed_among_the_follow_ups(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    await applied(client, qualification())
    await embedded_service.follow_ups.plan_renewals()
    answer = await client.get(
        "/follow-ups", params={"kind": "renewal_due", "due_before": "2100-01-01T00:00:00Z"}
    )
    rows = answer.json()["follow_ups"]
    assert len(rows) == 6
    assert {(r["request_id"], r["kind"]) for r in rows} == {(None, "renewal_due")}
    assert len({r["qualification_id"] for r in rows}) == 1


# --- who may post and read ---------------------------------------------------------------------


async def test_a_training_system_posts_qualifications_under_its_own_name(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    data_dir = embedded_service.settings.data_dir
    key = bearer(make_key(data_dir, "training", "post:qualification.*", "post:cpd.session.*"))
    answer = await post(client, qualification(actor="training-records"), **key)
    assert answer.status_code == 200, answer.text
    assert (await post(client, session(actor="training-records"), **key)).status_code == 200


async def test_a_teacher_s_key_records_only_their_own_qualification(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    data_dir = embedded_service.settings.data_dir
    key = bearer(make_key(data_dir, "t042", "post:qualification.*", as_staff_id="T-042"))
    assert (await post(client, qualification(actor="T-042"), **key)).status_code == 200
    answer = await post(client, qualification(actor="HEAD-1"), **key)
    assert (answer.status_code, answer.json()["error"]) == (403, "actor_mismatch")


async def test_compliance_needs_read_reports_and_the_whole_school_in_reach(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    data_dir = embedded_service.settings.data_dir
    params = {"school_id": SCHOOL}
    requests_only = bearer(make_key(data_dir, "portal", "read:requests"))
    answer = await client.get("/compliance", params=params, headers=requests_only)
    assert (answer.status_code, answer.json()["error"]) == (403, "missing_scope")
    head = bearer(make_key(data_dir, "head", "read:reports", as_staff_id="HEAD-1"))
    assert (await client.get("/compliance", params=params, headers=head)).status_code == 200
    teacher = bearer(make_key(data_dir, "teacher", "read:reports", as_staff_id="T-042"))
    answer = await client.get("/compliance", params=params, headers=teacher)
    assert (answer.status_code, answer.json()["error"]) == (403, "out_of_reach")
    assert (await client.get("/compliance", headers=teacher)).json()["items"] == []


async def test_agreed_cpd_reads_like_the_person_s_requests(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    await applied(client, agreed(), staff_event("T-043", ["teacher"], "HEAD-1"))
    data_dir = embedded_service.settings.data_dir
    for who, status in (("T-042", 200), ("HEAD-1", 200), ("EXEC-1", 200), ("T-043", 403)):
        key = bearer(make_key(data_dir, f"as-{who}", "read:requests", as_staff_id=who))
        answer = await client.get("/staff/T-042/agreed-cpd", headers=key)
        assert answer.status_code == status, (who, answer.text)
    directory_only = bearer(make_key(data_dir, "hr", "read:directory"))
    answer = await client.get("/staff/T-042/agreed-cpd", headers=directory_only)
    assert (answer.status_code, answer.json()["error"]) == (403, "missing_scope")


async def test_a_session_event_s_status_reads_as_its_school(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    body = session()
    await applied(client, body)
    data_dir = embedded_service.settings.data_dir
    path, params = f"/events/{body['id']}", {"source": body["source"]}
    head = bearer(make_key(data_dir, "head", "read:requests", as_staff_id="HEAD-1"))
    answer = await client.get(path, params=params, headers=head)
    assert (answer.status_code, answer.json()["status"]) == (200, "applied")
    teacher = bearer(make_key(data_dir, "teacher", "read:requests", as_staff_id="T-042"))
    assert (await client.get(path, params=params, headers=teacher)).status_code == 403
