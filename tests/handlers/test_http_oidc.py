"""Over HTTP, against the whole service: people signed in with the trust's OpenID Connect
tokens, checked against keys a local issuer serves; what is refused, and what they read."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from schemas import parse_inbound
from tests.handlers.sign_in_issuer import AUDIENCE, ISSUER, Issuer, serving_keys, tampered
from tests.lifecycle import (
    TODAY,
    directory_event,
    event,
    load_directory,
    staff_event,
    submitted_data,
)

TEACHER, COLLEAGUE = "t-042@walmley.example", "t-043@walmley.example"
HEAD, EXECUTIVE = "head-1@walmley.example", "exec-1@walmley.example"


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    issuer = Issuer()
    with serving_keys(issuer):
        yield issuer


def sign_in_settings(data_dir: Path, jwks_url: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        oidc_jwks_url=jwks_url,
    )


@pytest.fixture
async def service(tmp_path: Path, issuer: Issuer) -> AsyncIterator[Service]:
    service = Service(sign_in_settings(tmp_path / "data", issuer.url))
    await service.start()
    try:
        await load_directory(service.store, "T-042", "T-043")
        yield service
    finally:
        await service.stop()


@pytest.fixture
async def http(service: Service) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
        yield client


def signed(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def submission(request_id: str, staff_id: str) -> dict[str, Any]:
    return event("submitted", request_id, staff_id, submitted_data(staff_id))


async def submit(http: httpx.AsyncClient, issuer: Issuer, email: str, request_id: str) -> None:
    staff_id = email.split("@")[0].upper()
    answer = await http.post(
        "/events?wait=true",
        json=submission(request_id, staff_id),
        headers=signed(issuer.token(email)),
    )
    assert answer.status_code == 200, answer.text


async def test_a_signed_in_teacher_submits_and_history_names_them_as_actor_and_client(
    http: httpx.AsyncClient, issuer: Issuer
) -> None:
    await submit(http, issuer, TEACHER, "SIGNED-1")

    history = await http.get("/requests/SIGNED-1/history", headers=signed(issuer.token(TEACHER)))

    entry = history.json()["entries"][0]
    assert (entry["actor"], entry["client"]) == ("T-042", TEACHER)


async def test_the_email_maps_to_the_directory_ignoring_case(
    http: httpx.AsyncClient, issuer: Issuer
) -> None:
    token = issuer.token("T-042@Walmley.EXAMPLE")

    answer = await http.get("/staff/T-042", headers=signed(token))

    assert answer.status_code == 200


def _refused_tokens(issuer: Issuer) -> dict[str, str]:
    issuer.add_key("never-published", publish=False)
    symmetric = jwt.encode(
        {"iss": ISSUER, "aud": AUDIENCE, "email": TEACHER, "exp": 2**31},
        "a shared secret long enough for HS256 to sign with",
        algorithm="HS256",
        headers={"kid": "key-1"},
    )
    return {
        "wrong issuer": issuer.token(TEACHER, iss="https://login.elsewhere.example"),
        "wrong audience": issuer.token(TEACHER, aud="another-service"),
        "expired": issuer.token(TEACHER, expires_in=-120),
        "not yet valid": issuer.token(TEACHER, nbf=2**31 - 1),
        "unknown key id": issuer.token(TEACHER, kid="never-published"),
        "tampered signature": tampered(issuer.token(COLLEAGUE), email=TEACHER),
        "symmetric algorithm": symmetric,
        "no expiry": issuer.token(TEACHER, exp=None),
        "no email": issuer.token(None),
        "not a token": "not-a-token-at-all",
    }


REFUSED = [
    "wrong issuer",
    "wrong audience",
    "expired",
    "not yet valid",
    "unknown key id",
    "tampered signature",
    "symmetric algorithm",
    "no expiry",
    "no email",
    "not a token",
]


@pytest.mark.parametrize("case", REFUSED)
async def test_a_bad_token_gets_401_invalid_token(
    http: httpx.AsyncClient, issuer: Issuer, case: str
) -> None:
    token = _refused_tokens(issuer)[case]

    answer = await http.get("/staff/T-042", headers=signed(token))

    assert answer.status_code == 401, answer.text
    assert answer.json()["error"] == "invalid_token"
    assert (
        answer.headers["www-authenticate"] == 'Bearer realm="cpd-workflow", error="invalid_token"'
    )


async def test_a_token_whose_email_is_not_in_the_directory_gets_401(
    http: httpx.AsyncClient, issuer: Issuer
) -> None:
    answer = await http.get("/staff/T-042", headers=signed(issuer.token("visitor@elsewhere.org")))

    assert answer.status_code == 401
    assert answer.json()["error"] == "unknown_person"


async def test_a_leavers_token_gets_401(
    http: httpx.AsyncClient, issuer: Issuer, service: Service
) -> None:
    leaving = {"staff_id": "T-043", "left_on": (TODAY - timedelta(days=1)).isoformat()}
    leaving["reason"] = "resignation"
    await service.store.apply(parse_inbound(directory_event("staff.left", "T-043", leaving)))

    answer = await http.get("/staff/T-043", headers=signed(issuer.token(COLLEAGUE)))

    assert answer.status_code == 401
    assert answer.json()["error"] == "unknown_person"


async def test_with_sign_in_configured_and_no_key_a_call_without_credentials_gets_401(
    http: httpx.AsyncClient,
) -> None:
    answer = await http.get("/requests/ANY")

    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'Bearer realm="cpd-workflow"'


async def test_a_signed_in_person_posts_only_in_their_own_name(
    http: httpx.AsyncClient, issuer: Issuer
) -> None:
    as_colleague = submission("SIGNED-2", "T-043")

    answer = await http.post(
        "/events?wait=true", json=as_colleague, headers=signed(issuer.token(TEACHER))
    )

    assert answer.status_code == 403
    assert answer.json()["error"] == "actor_mismatch"


async def test_a_signed_in_person_may_not_post_the_hr_systems_events(
    http: httpx.AsyncClient, issuer: Issuer
) -> None:
    answer = await http.post(
        "/events?wait=true",
        json={**staff_event("T-042", ["head_teacher"]), "actor": "T-042"},
        headers=signed(issuer.token(TEACHER)),
    )

    assert answer.status_code == 403
    assert answer.json()["error"] == "missing_scope"


async def test_a_teacher_reads_their_own_request_and_their_head_teacher_reads_both(
    http: httpx.AsyncClient, issuer: Issuer
) -> None:
    await submit(http, issuer, TEACHER, "SIGNED-3")
    await submit(http, issuer, COLLEAGUE, "SIGNED-4")
    teacher, head = signed(issuer.token(TEACHER)), signed(issuer.token(HEAD))

    assert (await http.get("/requests/SIGNED-3", headers=teacher)).status_code == 200
    assert (await http.get("/requests/SIGNED-4", headers=teacher)).status_code == 403
    assert (await http.get("/requests/SIGNED-4", headers=head)).status_code == 200


async def test_the_audit_is_read_by_an_executive_lead_not_by_a_head_teacher(
    http: httpx.AsyncClient, issuer: Issuer
) -> None:
    executive, head = signed(issuer.token(EXECUTIVE)), signed(issuer.token(HEAD))

    assert (await http.get("/dead-letters", headers=executive)).status_code == 200
    refused = await http.get("/dead-letters", headers=head)
    assert refused.status_code == 403 and "read:audit" in refused.json()["message"]


async def test_an_api_key_is_still_refused_when_only_sign_in_is_configured(
    http: httpx.AsyncClient,
) -> None:
    answer = await http.get("/requests/ANY", headers=signed("cpd_made-up"))

    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_key"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_an_unreachable_issuer_answers_503_not_401(tmp_path: Path, issuer: Issuer) -> None:
    settings = sign_in_settings(tmp_path / "data", f"http://127.0.0.1:{_closed_port()}/jwks")
    service = Service(settings)
    await service.start()
    try:
        transport = httpx.ASGITransport(app=create_app(service))
        async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
            answer = await http.get("/requests/ANY", headers=signed(issuer.token(TEACHER)))
    finally:
        await service.stop()

    assert answer.status_code == 503
    assert answer.json()["error"] == "sign_in_unavailable"
