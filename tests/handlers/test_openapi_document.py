"""/openapi.json describes every body of every route, its `$ref`s all resolve, and the
event it shows as an example can be posted from the docs page as it stands."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from openapi_spec_validator import validate

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings

DOCUMENT = create_app(Service(Settings())).openapi()
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
EVENT_TYPES = ["application/cloudevents+json", "application/json"]


def refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref":
                yield item
            else:
                yield from refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from refs(item)


def resolve(pointer: str) -> Any:
    assert pointer.startswith("#/"), pointer
    found: Any = DOCUMENT
    for part in pointer[2:].split("/"):
        found = found[part.replace("~1", "/").replace("~0", "~")]
    return found


def operations() -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in DOCUMENT["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_the_document_is_valid_openapi() -> None:
    validate(DOCUMENT)  # raises, naming what is wrong
    assert DOCUMENT["openapi"].startswith("3.1")


def test_every_ref_in_the_document_resolves() -> None:
    pointers = set(refs(DOCUMENT))

    assert len(pointers) > 20
    for pointer in pointers:
        assert isinstance(resolve(pointer), dict), pointer


def test_every_error_of_every_route_is_documented_as_a_problem_body() -> None:
    for name, operation in operations():
        errors = {s: r for s, r in operation["responses"].items() if s >= "400"}
        assert {"500"} <= set(errors), name
        for status, response in errors.items():
            if name == "GET /health" and status == "503":
                assert "Health" in str(response["content"])
            elif name == "GET /health/ready" and status == "503":  # it names the failed check
                assert "Readiness" in str(response["content"])
            else:
                assert response["content"] == PROBLEM, (name, status)


def test_every_success_of_every_route_documents_its_body() -> None:
    for name, operation in operations():
        for status, response in operation["responses"].items():
            if name == "GET /metrics" and status == "200":  # Prometheus reads its own format
                assert set(response["content"]) == {"text/plain; version=0.0.4; charset=utf-8"}
            elif status < "400":
                schema = response["content"]["application/json"]["schema"]
                assert "$ref" in schema or name == "GET /asyncapi.json", (name, status)


def test_post_events_documents_its_answers_and_the_three_content_modes() -> None:
    operation = DOCUMENT["paths"]["/events"]["post"]

    assert {"200", "202", "207", "400", "409", "413", "415", "422", "503"} <= set(
        operation["responses"]
    )
    assert set(operation["requestBody"]["content"]) == {
        *EVENT_TYPES,
        "application/cloudevents-batch+json",
    }
    headers = {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert {"ce-specversion", "ce-id", "ce-source", "ce-type", "ce-subject"} <= headers


@pytest.mark.parametrize("content_type", EVENT_TYPES)
async def test_the_documented_example_event_can_be_posted(
    client: httpx.AsyncClient, content_type: str
) -> None:
    media = DOCUMENT["paths"]["/events"]["post"]["requestBody"]["content"][content_type]
    example = next(iter(media["examples"].values()))["value"]

    answer = await client.post(
        "/events?wait=true", json=example, headers={"content-type": content_type}
    )

    assert answer.status_code == 200, answer.text
    school = (await client.get(f"/schools/{example['subject']}")).json()
    assert school["name"] == example["data"]["name"]


async def test_the_documented_example_batch_can_be_posted(client: httpx.AsyncClient) -> None:
    content_type = "application/cloudevents-batch+json"
    media = DOCUMENT["paths"]["/events"]["post"]["requestBody"]["content"][content_type]
    batch = next(iter(media["examples"].values()))["value"]

    answer = await client.post(
        "/events?wait=true", json=batch, headers={"content-type": content_type}
    )

    assert answer.status_code == 207
    assert [r["status"] for r in answer.json()["results"]] == [200] * len(batch)


async def test_the_service_serves_this_document(client: httpx.AsyncClient) -> None:
    assert (await client.get("/openapi.json")).json() == DOCUMENT
    assert (await client.get("/docs")).status_code == 200
