"""Over HTTP: a key made --as a person reads only what that person may (their reach), as a
signed-in person does; a portal or system key with the scope reads everything."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service
from schemas import parse_inbound
from tests.handlers.keys import bearer, make_key
from tests.lifecycle import TODAY, directory_event, event, staff_event, submitted_data

READS = ("read:requests", "read:directory")
FAR_FUTURE = "2100-01-01T00:00:00Z"


class Trust:
    """Walmley's people as the directory has them: T-042 and T-043 managed by HEAD-1,
    T-044 by LM-1; one request each (REACH-42, REACH-43, REACH-44)."""

    def __init__(self, http: httpx.AsyncClient, data_dir: Path) -> None:
        self.http, self.data_dir = http, data_dir
        self.submissions: dict[str, dict[str, Any]] = {}

    def key_as(self, staff_id: str, *scopes: str) -> dict[str, str]:
        return bearer(make_key(self.data_dir, f"as-{staff_id}", *scopes, as_staff_id=staff_id))

    async def status(self, path: str, key: dict[str, str]) -> int:
        return (await self.http.get(path, headers=key)).status_code


@pytest.fixture
async def trust(embedded_service: Service) -> AsyncIterator[Trust]:
    for body in (
        staff_event("T-043", ["teacher"], "HEAD-1"),
        staff_event("LM-1", ["leadership"]),
        staff_event("T-044", ["teacher"], "LM-1"),
    ):
        await embedded_service.store.apply(parse_inbound(body))
    transport = httpx.ASGITransport(app=create_app(embedded_service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
        trust = Trust(http, embedded_service.settings.data_dir)
        portal = bearer(make_key(trust.data_dir, "portal", "post:cpd.request.*", "act-for-others"))
        for staff_id in ("T-042", "T-043", "T-044"):
            body = event("submitted", f"REACH-{staff_id[2:]}", staff_id, submitted_data(staff_id))
            answer = await http.post("/events?wait=true", json=body, headers=portal)
            assert answer.status_code == 200, answer.text
            trust.submissions[staff_id] = body
        yield trust


async def test_a_teacher_reads_their_own_request_and_not_a_colleagues(trust: Trust) -> None:
    key = trust.key_as("T-042", *READS)

    assert await trust.status("/requests/REACH-042", key) == 200
    for path in ("", "/history", "/follow-ups"):
        assert await trust.status(f"/requests/REACH-042{path}", key) == 200
        answer = await trust.http.get(f"/requests/REACH-043{path}", headers=key)
        assert answer.status_code == 403, path
        assert answer.json()["error"] == "out_of_reach"


async def test_an_events_status_is_read_as_its_request_is(trust: Trust) -> None:
    key = trust.key_as("T-042", *READS)
    own, other = trust.submissions["T-042"]["id"], trust.submissions["T-043"]["id"]

    assert await trust.status(f"/events/{own}", key) == 200
    assert await trust.status(f"/events/{other}", key) == 403


async def test_a_line_manager_reads_their_direct_reports_requests(trust: Trust) -> None:
    key = trust.key_as("LM-1", *READS)

    assert await trust.status("/requests/REACH-044", key) == 200
    assert await trust.status("/requests/REACH-043", key) == 403


async def test_a_head_teacher_reads_their_schools_requests_and_records(trust: Trust) -> None:
    key = trust.key_as("HEAD-1", *READS)

    for request_id in ("REACH-042", "REACH-043", "REACH-044"):
        assert await trust.status(f"/requests/{request_id}", key) == 200
    assert await trust.status("/staff/T-044", key) == 200


async def test_a_teacher_reads_their_own_record_and_school_not_a_colleagues_record(
    trust: Trust,
) -> None:
    key = trust.key_as("T-042", *READS)

    assert await trust.status("/staff/T-042", key) == 200
    assert await trust.status("/schools/S-WALMLEY", key) == 200
    assert await trust.status("/staff/T-043", key) == 403


async def test_follow_ups_are_filtered_to_what_the_person_may_read(trust: Trust) -> None:
    teacher, head = trust.key_as("T-042", *READS), trust.key_as("HEAD-1", *READS)
    due = f"/follow-ups?due_before={FAR_FUTURE}"

    own = (await trust.http.get(due, headers=teacher)).json()["follow_ups"]
    everyone = (await trust.http.get(f"{due}&school_id=S-WALMLEY", headers=head)).json()
    school_list = await trust.http.get(f"{due}&school_id=S-WALMLEY", headers=teacher)

    assert own and {f["request_id"] for f in own} == {"REACH-042"}
    assert {f["request_id"] for f in everyone["follow_ups"]} == {
        "REACH-042",
        "REACH-043",
        "REACH-044",
    }
    assert school_list.status_code == 403


async def test_a_system_key_with_read_requests_reads_everything(trust: Trust) -> None:
    key = bearer(make_key(trust.data_dir, "reports", "read:requests"))

    assert await trust.status("/requests/REACH-043", key) == 200
    assert (
        await trust.status(f"/follow-ups?due_before={FAR_FUTURE}&school_id=S-WALMLEY", key) == 200
    )


async def test_a_key_made_as_a_leaver_is_refused_with_401(
    trust: Trust, embedded_service: Service
) -> None:
    key = trust.key_as("T-043", *READS)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    leaving = {"staff_id": "T-043", "left_on": yesterday, "reason": "resignation"}
    await embedded_service.store.apply(
        parse_inbound(directory_event("staff.left", "T-043", leaving))
    )

    answer = await trust.http.get("/requests/REACH-043", headers=key)

    assert answer.status_code == 401
    assert answer.json()["error"] == "unknown_person"
