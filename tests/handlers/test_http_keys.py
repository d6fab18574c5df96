"""Over HTTP, against the whole service: client systems' API keys, made with `cpd keys`
while the service runs. Who may post what in whose name, the client kept beside the actor
in history, and the 401 and 403 answers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute

from handlers.http import create_app
from handlers.service import Service
from schemas import parse_inbound
from tests.handlers.keys import bearer, make_key, revoke_key
from tests.lifecycle import event, lifecycle, staff_event, submitted_data
from workflow.access import is_open

PORTAL_SCOPES = ("post:cpd.request.*", "post:approval.*", "act-for-others", "read:requests")


@pytest.fixture
def data_dir(embedded_service: Service) -> Path:
    return embedded_service.settings.data_dir


@pytest.fixture
async def http(embedded_service: Service) -> AsyncIterator[httpx.AsyncClient]:
    """The service's whole app; T-043 joins T-042 at Walmley, and T-044 is line-managed
    by LM-1, so there is someone else's request to be refused."""
    for body in (
        staff_event("T-043", ["teacher"], "HEAD-1"),
        staff_event("LM-1", ["leadership"]),
        staff_event("T-044", ["teacher"], "LM-1"),
    ):
        await embedded_service.store.apply(parse_inbound(body))
    transport = httpx.ASGITransport(app=create_app(embedded_service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
        yield client


def submission(request_id: str, staff_id: str) -> dict[str, object]:
    return event("submitted", request_id, staff_id, submitted_data(staff_id))


async def post(http: httpx.AsyncClient, body: object, key: str) -> httpx.Response:
    return await http.post("/events?wait=true", json=body, headers=bearer(key))


async def test_with_no_key_and_no_sign_in_everything_stays_open(http: httpx.AsyncClient) -> None:
    answer = await http.post("/events?wait=true", json=lifecycle("OPEN-1")[0])

    assert answer.status_code == 200
    assert (await http.get("/requests/OPEN-1")).status_code == 200


async def test_once_a_key_exists_a_call_without_credentials_gets_401_with_a_bearer_challenge(
    http: httpx.AsyncClient, data_dir: Path
) -> None:
    assert (await http.get("/requests/NONE")).status_code == 404  # open: no key yet
    make_key(data_dir, "hr-feed", "post:staff.*")  # while the service runs

    answer = await http.get("/requests/NONE")

    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'Bearer realm="cpd-workflow"'
    assert answer.json()["error"] == "missing_credentials"


async def test_a_wrong_key_gets_401_invalid_token(http: httpx.AsyncClient, data_dir: Path) -> None:
    make_key(data_dir, "hr-feed", "post:staff.*")

    answer = await http.get("/requests/NONE", headers=bearer("cpd_not-a-key-we-made"))

    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_key"
    assert 'error="invalid_token"' in answer.headers["www-authenticate"]


async def test_a_revoked_key_is_refused_with_401_and_the_service_stays_closed(
    http: httpx.AsyncClient, data_dir: Path
) -> None:
    key = make_key(data_dir, "reader", "read:requests")
    assert (await http.get("/requests/NONE", headers=bearer(key))).status_code == 404

    revoke_key(data_dir, "reader")  # the only key

    assert (await http.get("/requests/NONE", headers=bearer(key))).status_code == 401
    assert (await http.get("/requests/NONE")).status_code == 401  # not open again


async def test_health_and_the_contracts_documents_need_no_credentials(
    http: httpx.AsyncClient, data_dir: Path
) -> None:
    make_key(data_dir, "hr-feed", "post:staff.*")

    for path in ("/health", "/openapi.json", "/asyncapi.json", "/schemas", "/docs", "/redoc"):
        answer = await http.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
    assert (await http.get("/docs/oauth2-redirect")).status_code == 200


async def test_every_other_route_of_the_app_needs_credentials(
    embedded_service: Service, http: httpx.AsyncClient, data_dir: Path
) -> None:
    make_key(data_dir, "hr-feed", "post:staff.*")
    routes = [r for r in create_app(embedded_service).routes if isinstance(r, APIRoute)]
    closed = [r for r in routes if not is_open(r.path)]

    assert len(closed) >= 9
    for route in closed:
        path = route.path.replace("{", "").replace("}", "")  # /requests/request_id ...
        for method in route.methods:
            answer = await http.request(method, path)
            assert answer.status_code == 401, (method, route.path, answer.status_code)


async def test_a_portal_posting_as_t043_is_recorded_with_actor_t043_and_client_staff_portal(
    http: httpx.AsyncClient, data_dir: Path
) -> None:
    portal = make_key(data_dir, "staff-portal", *PORTAL_SCOPES)

    answer = await post(http, submission("PORTAL-1", "T-043"), portal)

    assert answer.status_code == 200, answer.text
    history = await http.get("/requests/PORTAL-1/history", headers=bearer(portal))
    entry = history.json()["entries"][0]
    assert (entry["actor"], entry["client"]) == ("T-043", "staff-portal")


async def test_the_client_a_body_names_is_replaced_by_the_keys_name(
    http: httpx.AsyncClient, data_dir: Path
) -> None:
    portal = make_key(data_dir, "staff-portal", *PORTAL_SCOPES)
    forged = {**submission("FORGED-1", "T-042"), "cpdclient": "payroll"}

    assert (await post(http, forged, portal)).status_code == 200

    history = await http.get("/requests/FORGED-1/history", headers=bearer(portal))
    assert history.json()["entries"][0]["client"] == "staff-portal"


async def test_with_access_off_a_client_the_body_names_is_not_recorded(
    http: httpx.AsyncClient,
) -> None:
    forged = {**submission("FORGED-2", "T-042"), "cpdclient": "payroll"}

    assert (await http.post("/events?wait=true", json=forged)).status_code == 200

    history = await http.get("/requests/FORGED-2/history")
    assert history.json()["entries"][0]["client"] is None


async def test_a_portal_may_not_post_in_the_name_of_someone_not_in_the_directory(
    http: httpx.AsyncClient, data_dir: Path
) -> None:
    portal = make_key(data_dir, "staff-portal", *PORTAL_SCOPES)

    answer = await post(http, submission("PORTAL-2", "X-999"), portal)

    assert answer.status_code == 403
    assert answer.json()["error"] == "actor_not_in_directory"


async def test_a_key_made_as_a_person_posts_only_as_that_person(
    http: httpx.AsyncClient, data_dir: Path
) -> None:
    own = make_key(data_dir, "t042-app", "post:cpd.request.*", as_staff_id="T-042")

    as_other = await post(http, submission("AS-1", "T-043"), own)
    as_self = await post(http, submission("AS-2", "T-042"), own)

    assert as_other.status_code == 403
    assert as_other.json()["error"] == "actor_mismatch"
    assert "acts only as T-042" in as_other.json()["message"]
    assert as_self.status_code == 200, as_self.text


async def test_a_system_client_may_post_its_own_events_but_not_a_persons_decision(
    http: httpx.AsyncClient, data_dir: Path
) -> None:
    hr = make_key(data_dir, "hr-feed", "post:staff.*", "post:cpd.request.withdrawn")
    admin = make_key(data_dir, "ops", "admin")

    withdrawal = event("withdrawn", "SYS-1", "T-042")

    upsert = await post(http, staff_event("T-050", ["teacher"], "HEAD-1"), hr)
    decision = await post(http, withdrawal, hr)

    assert upsert.status_code == 200, upsert.text
    assert decision.status_code == 403
    assert decision.json()["error"] == "person_required"
    status = await http.get(f"/events/{withdrawal['id']}", headers=bearer(admin))
    assert status.status_code == 404  # nothing was queued


async def test_a_missing_scope_gets_403_naming_the_scope(
    http: httpx.AsyncClient, data_dir: Path
) -> None:
    hr = make_key(data_dir, "hr-feed", "post:staff.*")

    reading = await http.get("/requests/ANY", headers=bearer(hr))
    posting = await post(http, lifecycle("SCOPE-1")[0], hr)

    assert reading.status_code == 403
    assert reading.json()["error"] == "missing_scope"
    assert "needs the scope read:requests" in reading.json()["message"]
    assert (
        'error="insufficient_scope", scope="read:requests"' in (reading.headers["www-authenticate"])
    )
    assert posting.status_code == 403
    assert "post:cpd.request.submitted" in posting.json()["message"]


async def test_dead_letters_need_read_audit(http: httpx.AsyncClient, data_dir: Path) -> None:
    reader = make_key(data_dir, "reader", "read:requests")
    auditor = make_key(data_dir, "auditor", "read:audit")

    assert (await http.get("/dead-letters", headers=bearer(reader))).status_code == 403
    assert (await http.get("/dead-letters", headers=bearer(auditor))).status_code == 200


async def test_refusals_are_logged_with_the_client_and_path_never_the_key(
    http: httpx.AsyncClient, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    hr = make_key(data_dir, "hr-feed", "post:staff.*")
    caplog.set_level(logging.WARNING, logger="cpd.access")

    await http.get("/requests/LOGGED", headers=bearer(hr))
    await http.get("/requests/LOGGED", headers=bearer(hr + "x"))
    await http.get("/requests/LOGGED")

    lines = [r.getMessage() for r in caplog.records if r.name == "cpd.access"]
    assert len(lines) == 3 and all("/requests/LOGGED" in line for line in lines)
    assert "from hr-feed: 403 missing_scope" in lines[0]
    assert "an unknown key (sha256 " in lines[1]
    assert "without credentials: 401 missing_credentials" in lines[2]
    assert not any(hr in line for line in lines)
