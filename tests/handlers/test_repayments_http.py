"""Repayment over HTTP and the broker: the claim a resignation makes is published on the
embedded NATS and listed at GET /repayments (read:reports, within a person's reach), and
the head teacher's decision is posted like any other person's decision."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from nats.js.api import StreamConfig

from handlers.brokers.nats_inbound import ensure_stream
from handlers.embedded_nats_credentials import client_url
from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from tests.handlers.keys import bearer, make_key
from tests.lifecycle import TODAY, directory_event, lifecycle, load_directory, staff_event

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "policies"
CLAIM_ON_T042 = {"staff_id": "T-042", "request_id": "REPAY-1", "school_id": "S-WALMLEY"}


def school(school_id: str, name: str, **data: Any) -> dict[str, Any]:
    body = directory_event("school.upserted", school_id, {"school_id": school_id, "name": name})
    body["data"].update(trust_id="TR-OAKS", **data)
    body["id"] = f"hr-{school_id}-{data.get('policy_id', 'none')}"
    return body


def decision(event_type: str, claim_id: str, actor: str, **data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"{event_type}-{claim_id}-{actor}",
        "source": "urn:trust:staff-portal",
        "type": event_type,
        "subject": claim_id,
        "actor": actor,
        "data": data,
    }


class School:
    """Walmley follows policy 003 (first-steps-together); T-042 took a course it paid
    for and then resigned. Northfield, in the same trust, has a head of its own."""

    def __init__(self, http: httpx.AsyncClient, data_dir: Path) -> None:
        self.http, self.data_dir = http, data_dir
        self.claim_id = ""

    async def post(self, body: dict[str, Any], key: dict[str, str] | None = None) -> httpx.Response:
        return await self.http.post("/events?wait=true", json=body, headers=key or {})

    async def claims(self, query: str = "", key: dict[str, str] | None = None) -> httpx.Response:
        return await self.http.get(f"/repayments{query}", headers=key or {})

    def key_as(self, staff_id: str, *scopes: str) -> dict[str, str]:
        return bearer(make_key(self.data_dir, f"as-{staff_id}", *scopes, as_staff_id=staff_id))


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[Service]:
    service = Service(Settings(data_dir=tmp_path / "data", policy_dir=EXAMPLES, wait_timeout=10))
    await service.start()
    try:
        await load_directory(service.store, "T-042", "T-043")
        yield service
    finally:
        await service.stop()


@pytest.fixture
async def walmley(service: Service) -> AsyncIterator[School]:
    transport = httpx.ASGITransport(app=create_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
        found = School(http, service.settings.data_dir)
        submitted, head_approved, _, booked, completed = lifecycle("REPAY-1")[:5]
        head_2 = staff_event("HEAD-2", ["head_teacher"])
        head_2["data"]["school_id"] = "S-NORTHFIELD"
        leaving = {
            "staff_id": "T-042",
            "left_on": (TODAY + timedelta(days=30)).isoformat(),
            "reason": "resignation",
            "resigned_on": TODAY.isoformat(),
        }
        for body in (
            school("S-WALMLEY", "Walmley Infant School", policy_id="first-steps-together"),
            school("S-NORTHFIELD", "Northfield Primary"),
            head_2,
            submitted,
            head_approved,
            booked,
            completed,
            directory_event("staff.left", "T-042", leaving),
        ):
            answer = await found.post(body)
            assert answer.status_code == 200, answer.text
        [claim] = (await found.claims("?school_id=S-WALMLEY")).json()["items"]
        found.claim_id = claim["claim_id"]
        yield found


async def test_a_resignation_s_claim_is_listed_for_its_school(walmley: School) -> None:
    answer = await walmley.claims("?school_id=S-WALMLEY")

    assert answer.status_code == 200
    [claim] = answer.json()["items"]
    assert {k: claim[k] for k in CLAIM_ON_T042} == CLAIM_ON_T042
    assert (claim["status"], claim["cost_gbp"], claim["amount_gbp"]) == ("open", "180.00", "180.00")
    assert (claim["months_counted"], claim["policy_id"], claim["resigned_on"]) == (
        0,
        "first-steps-together",
        TODAY.isoformat(),
    )
    assert (await walmley.claims("?school_id=S-NORTHFIELD")).json() == {"items": []}
    assert (await walmley.claims("?status=confirmed")).json() == {"items": []}


async def test_an_unknown_status_is_refused_as_a_bad_parameter(walmley: School) -> None:
    answer = await walmley.claims("?status=paid")

    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_parameters"


async def test_the_head_teacher_confirms_and_a_later_waiver_is_refused_409(
    walmley: School,
) -> None:
    confirmed = await walmley.post(decision("repayment.confirmed", walmley.claim_id, "HEAD-1"))
    waived = await walmley.post(
        decision("repayment.waived", walmley.claim_id, "HEAD-1", reason="Changed my mind")
    )

    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "applied"
    assert waived.status_code == 409
    problem = waived.json()
    assert (problem["error"], problem["title"]) == (
        "repayment_already_confirmed",
        "Repayment claim already confirmed",
    )
    [claim] = (await walmley.claims()).json()["items"]
    assert (claim["status"], claim["decided_by"]) == ("confirmed", "HEAD-1")


async def test_a_person_reads_the_claims_of_a_school_within_their_reach(walmley: School) -> None:
    head, other_head = (
        walmley.key_as("HEAD-1", "read:reports"),
        walmley.key_as("HEAD-2", "read:reports"),
    )
    query = "?school_id=S-WALMLEY"

    assert len((await walmley.claims(query, head)).json()["items"]) == 1
    refused = await walmley.claims(query, other_head)
    assert (refused.status_code, refused.json()["error"]) == (403, "out_of_reach")
    assert (await walmley.claims("", other_head)).json() == {"items": []}


async def test_without_a_school_a_person_reads_the_claims_on_themselves(walmley: School) -> None:
    leaver, colleague = (
        walmley.key_as("T-042", "read:reports"),
        walmley.key_as("T-043", "read:reports"),
    )

    assert [c["staff_id"] for c in (await walmley.claims("", leaver)).json()["items"]] == ["T-042"]
    assert (await walmley.claims("", colleague)).json() == {"items": []}


async def test_reading_claims_needs_read_reports(walmley: School) -> None:
    key = bearer(make_key(walmley.data_dir, "requests-only", "read:requests"))

    answer = await walmley.claims("?school_id=S-WALMLEY", key)

    assert (answer.status_code, answer.json()["error"]) == (403, "missing_scope")


async def test_a_decision_is_a_person_s_a_system_key_may_not_post_it(walmley: School) -> None:
    system = bearer(make_key(walmley.data_dir, "payroll", "post:repayment.*"))
    head = walmley.key_as("HEAD-1", "post:repayment.*")
    waiver = decision("repayment.waived", walmley.claim_id, "HEAD-1", reason="Retention")

    refused = await walmley.post(waiver, system)
    applied = await walmley.post(waiver, head)

    assert (refused.status_code, refused.json()["error"]) == (403, "person_required")
    assert applied.status_code == 200, applied.text


async def test_the_claim_is_published_on_the_outbound_stream(
    walmley: School, service: Service
) -> None:
    client = await nats.connect(client_url(service.settings.data_dir))
    try:
        js = client.jetstream()
        reader = await js.pull_subscribe("cpd.repayment.due", stream="CPD_OUTBOUND")
        [message] = await reader.fetch(1, timeout=10)
    finally:
        await client.close()

    body = message.data.decode()
    assert walmley.claim_id in body and '"amount_gbp":"180.00"' in body.replace(" ", "")


async def test_a_stream_from_an_earlier_release_is_given_the_new_subjects(
    service: Service,
) -> None:
    client = await nats.connect(client_url(service.settings.data_dir))
    try:
        js = client.jetstream()
        await js.add_stream(StreamConfig(name="CPD_OLD", subjects=["old.a"]))

        info = await ensure_stream(js, StreamConfig(name="CPD_OLD", subjects=["old.a", "old.b"]))
    finally:
        await client.close()

    assert sorted(info.config.subjects) == ["old.a", "old.b"]
