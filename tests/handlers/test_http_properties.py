"""Whatever is posted, POST /events answers 2xx or 4xx with a JSON body, never 5xx."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import deep_bodies, hostile_bodies, spoiled_events, valid_events

# One service serves every example of a test: starting one per example would be slow.
shared_service = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def assert_answered_in_json_without_failing(
    client: httpx.AsyncClient, body: bytes, wait: bool
) -> None:
    answer = await client.post("/events?wait=true" if wait else "/events", content=body)
    assert answer.status_code < 500, answer.text
    payload = answer.json()
    if answer.status_code >= 400:
        assert answer.headers["content-type"] == "application/problem+json"
        assert payload["error"] and payload["message"]
        assert payload["status"] == answer.status_code and payload["title"]
    else:
        assert answer.headers["content-type"] == "application/json"
        assert payload["id"] and payload["status"] in ("accepted", "applied")


@shared_service
@given(body=hostile_bodies, wait=st.booleans())
async def test_any_body_is_answered_in_json_and_never_with_a_server_error(
    client: httpx.AsyncClient, body: bytes, wait: bool
) -> None:
    await assert_answered_in_json_without_failing(client, body, wait)


@shared_service
@given(body=spoiled_events(), wait=st.booleans())
async def test_a_spoiled_event_is_answered_in_json_and_never_with_a_server_error(
    client: httpx.AsyncClient, body: bytes, wait: bool
) -> None:
    await assert_answered_in_json_without_failing(client, body, wait)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=deep_bodies)
async def test_deep_nesting_is_answered_in_json_and_never_with_a_server_error(
    client: httpx.AsyncClient, body: bytes
) -> None:
    await assert_answered_in_json_without_failing(client, body, wait=False)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(event=valid_events())
async def test_a_valid_event_is_accepted(
    client: httpx.AsyncClient, event: dict[str, object]
) -> None:
    answer = await client.post("/events", json=event)

    assert answer.status_code == 202, answer.text
