"""POST /events refuses oversized and hostile bodies with a JSON 413 or 422, never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings, SettingsError
from schemas.limits import MAX_BODY_BYTES, MAX_FIELDS
from tests.lifecycle import encode, event, lifecycle, submitted_data
from tests.live_server import serving

TEN_MB = 10 * 1024 * 1024
CHUNK = 64 * 1024


async def post(client: httpx.AsyncClient, body: bytes, wait: bool = False) -> httpx.Response:
    answer = await client.post("/events?wait=true" if wait else "/events", content=body)
    expected = "application/json" if answer.status_code < 400 else "application/problem+json"
    assert answer.headers["content-type"] == expected, answer.text
    return answer


def assert_refused(answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    assert body["error"] == code and body["message"] == body["detail"]
    assert (body["status"], body["type"]) == (status, f"urn:cpd-workflow:problem:{code}")
    return body


class CountingBody:
    """A streamed body that records how much of it the server pulled."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.chunks_read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.size // CHUNK):
            self.chunks_read += 1
            yield b" " * CHUNK


async def test_a_ten_thousand_deep_body_gets_422_naming_the_depth(
    client: httpx.AsyncClient,
) -> None:
    answer = await post(client, b"[" * 10_000 + b"]" * 10_000)

    body = assert_refused(answer, 422, "invalid_event")
    assert body["problems"][0]["type"] == "too_deep"


async def test_a_ten_megabyte_body_gets_413(client: httpx.AsyncClient) -> None:
    answer = await post(client, b" " * TEN_MB)

    body = assert_refused(answer, 413, "body_too_large")
    assert str(MAX_BODY_BYTES) in body["message"]


async def test_a_body_declared_over_the_limit_gets_413_without_being_read(
    client: httpx.AsyncClient,
) -> None:
    streamed = CountingBody(TEN_MB)
    answer = await client.post("/events", content=streamed, headers={"content-length": str(TEN_MB)})

    assert_refused(answer, 413, "body_too_large")
    assert streamed.chunks_read == 0


async def test_a_streamed_body_is_read_only_until_it_passes_the_limit(
    client: httpx.AsyncClient,
) -> None:
    streamed = CountingBody(TEN_MB)
    answer = await client.post("/events", content=streamed)  # chunked: no Content-Length

    assert_refused(answer, 413, "body_too_large")
    assert streamed.chunks_read == MAX_BODY_BYTES // CHUNK + 1


@pytest.mark.parametrize(
    ("event_type", "field"),
    [("submitted", "provider"), ("booked", "booking_reference")],
)
async def test_a_hundred_thousand_character_field_gets_422_naming_it(
    client: httpx.AsyncClient, event_type: str, field: str
) -> None:
    base = lifecycle("REQ-LONG")[0] if event_type == "submitted" else event(event_type, "R", "A")
    raw = {**base, "data": {**base["data"], field: "x" * 100_000}}

    body = assert_refused(await post(client, encode(raw)), 422, "invalid_event")

    assert body["problems"][0]["loc"] == ["data", field]
    assert (await client.get(f"/events/{raw['id']}")).status_code == 404  # nothing queued


@pytest.mark.parametrize(
    ("extension", "value"),
    [("Bad-Attr!", "x"), ("traceinfo", {"an": "object"})],
    ids=["bad name", "object value"],
)
async def test_an_extension_cloudevents_forbids_gets_422_naming_it(
    client: httpx.AsyncClient, extension: str, value: Any
) -> None:
    raw = {**lifecycle("REQ-EXT")[0], extension: value}

    body = assert_refused(await post(client, encode(raw)), 422, "invalid_event")

    assert body["problems"][0]["loc"] == [extension]


async def test_a_lone_surrogate_in_the_id_gets_422(client: httpx.AsyncClient) -> None:
    raw = encode(lifecycle("REQ-SUR")[0]).replace(b'"id": "', b'"id": "\\ud800', 1)

    body = assert_refused(await post(client, raw), 422, "invalid_event")

    assert "surrogate" in body["message"]


async def test_too_many_fields_get_422(client: httpx.AsyncClient) -> None:
    submitted = event("submitted", "REQ-WIDE", "T-1", submitted_data("T-1"))
    submitted["data"]["notes"] = list(range(MAX_FIELDS))

    body = assert_refused(await post(client, encode(submitted)), 422, "invalid_event")

    assert body["problems"][0]["type"] == "too_many_fields"


async def test_valid_events_with_extensions_are_still_accepted_and_applied(
    client: httpx.AsyncClient,
) -> None:
    submitted, approved = lifecycle("REQ-OK")[:2]
    submitted["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    queued = await post(client, encode(submitted))
    applied = await post(client, encode({**approved, "sequence": 2}), wait=True)

    assert queued.status_code == 202 and queued.json()["status"] == "accepted"
    assert applied.status_code == 200, applied.text
    assert applied.json()["request"]["state"] == "head_approved"


@pytest.fixture
async def small_limit_client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings.from_env({"CPD_MAX_BODY_BYTES": "2048"}, data_dir=tmp_path / "data")
    app = create_app(Service(settings))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cpd") as http,
    ):
        yield http


async def test_the_body_limit_is_set_by_cpd_max_body_bytes(
    small_limit_client: httpx.AsyncClient,
) -> None:
    submitted = lifecycle("REQ-SMALL")[0]
    padded = {**submitted, "data": {**submitted["data"], "notes": "n" * 2048}}

    assert (await post(small_limit_client, encode(submitted))).status_code == 202
    assert_refused(await post(small_limit_client, encode(padded)), 413, "body_too_large")


@pytest.mark.parametrize("value", ["100", "2097152", "lots"])
def test_a_body_limit_outside_its_range_is_a_configuration_error(value: str) -> None:
    with pytest.raises(SettingsError, match="CPD_MAX_BODY_BYTES"):
        Settings.from_env({"CPD_MAX_BODY_BYTES": value})


async def test_an_unexpected_failure_answers_a_json_500(embedded_service: Service) -> None:
    app = create_app(embedded_service)

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("a bug")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
        answer = await client.get("/broken")

    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["error"] == "internal_error"
    assert answer.json()["status"] == 500


def test_a_real_server_refuses_a_ten_megabyte_body_with_413(tmp_path: Path) -> None:
    def chunks() -> Any:
        for _ in range(TEN_MB // CHUNK):
            yield b" " * CHUNK

    with serving(Settings(data_dir=tmp_path / "data")) as url, httpx.Client(base_url=url) as http:
        declared = http.post("/events", content=b" " * TEN_MB)
        streamed = http.post("/events", content=chunks())
        healthy = http.post("/events", content=encode(lifecycle("REQ-REAL")[0]))

    assert declared.status_code == streamed.status_code == 413
    assert declared.json()["error"] == streamed.json()["error"] == "body_too_large"
    assert healthy.status_code == 202
