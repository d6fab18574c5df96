"""Every error answers one shape, an RFC 9457 problem body, the framework's own included."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import httpx
import pytest

import workflow
from handlers import views
from handlers.problems import TITLES, problem
from tests.lifecycle import event, lifecycle
from workflow.errors import DomainError

PROBLEM = "application/problem+json"


def assert_problem(answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body: dict[str, Any] = answer.json()
    assert body["type"] == f"urn:cpd-workflow:problem:{code}"
    assert body["status"] == status and body["error"] == code
    assert body["title"] and body["detail"] == body["message"]
    return body


async def test_an_unknown_route_answers_a_404_problem(client: httpx.AsyncClient) -> None:
    body = assert_problem(await client.get("/nowhere"), 404, "not_found")

    assert body["title"] == "No such endpoint" and "/nowhere" in body["detail"]


async def test_a_wrong_method_answers_a_405_problem_naming_the_allowed_ones(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.delete("/events")

    assert_problem(answer, 405, "method_not_allowed")
    assert answer.headers["allow"] == "POST"


async def test_a_bad_query_parameter_answers_a_422_problem_listing_it(
    client: httpx.AsyncClient,
) -> None:
    body = assert_problem(await client.get("/dead-letters?limit=0"), 422, "invalid_parameters")

    assert [p["loc"] for p in body["problems"]] == [["query", "limit"]]
    assert body["problems"][0]["type"] == "greater_than_equal"
    assert "detail" not in body["problems"][0] and "input" not in body["problems"][0]


async def test_a_bad_wait_flag_on_post_events_answers_a_422_problem(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.post("/events?wait=perhaps", json=lifecycle("REQ-WAIT")[0])

    body = assert_problem(answer, 422, "invalid_parameters")
    assert body["problems"][0]["loc"] == ["query", "wait"]


async def test_a_refused_event_answers_409_with_its_outcome_as_event_status(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/events?wait=true", json=lifecycle("REQ-409")[0])
    own_approval = event("head_approved", "REQ-409", "T-042")

    answer = await client.post("/events?wait=true", json=own_approval)

    body = assert_problem(answer, 409, "guard_failed")
    assert body["event_status"] == "rejected" and body["id"] == own_approval["id"]
    assert body["title"] == "Refused by the policy set" and "cannot approve" in body["detail"]
    status = (await client.get(f"/events/{own_approval['id']}")).json()
    assert (status["status"], status["code"], status["reason"]) == (
        "rejected",
        "guard_failed",
        body["detail"],
    )


async def test_an_invalid_event_answers_422_with_every_problem(client: httpx.AsyncClient) -> None:
    bad = {k: v for k, v in lifecycle("REQ-422")[0].items() if k not in ("subject", "actor")}

    body = assert_problem(await client.post("/events", json=bad), 422, "invalid_event")

    assert sorted(p["loc"] for p in body["problems"]) == [["actor"], ["subject"]]


async def test_an_unknown_event_type_names_the_type_as_a_problem(
    client: httpx.AsyncClient,
) -> None:
    teleported = {**lifecycle("REQ-TP")[0], "type": "cpd.request.teleported"}

    body = assert_problem(await client.post("/events", json=teleported), 422, "invalid_event")

    assert body["problems"][0]["loc"] == ["type"]
    assert body["problems"][0]["type"] == "unknown_type"


async def test_an_unknown_event_id_and_request_answer_404_problems(
    client: httpx.AsyncClient,
) -> None:
    assert_problem(await client.get("/events/NOPE"), 404, "unknown_event")
    assert_problem(await client.get("/requests/NOPE"), 404, "unknown_request")
    assert_problem(await client.get("/requests/NOPE/history"), 404, "unknown_request")
    assert_problem(await client.get("/requests/NOPE/follow-ups"), 404, "unknown_request")


async def test_an_error_can_carry_headers_such_as_www_authenticate() -> None:
    answer = views.error(401, "unauthenticated", "no key", {"WWW-Authenticate": "Bearer"})

    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.headers["content-type"] == PROBLEM


def test_a_code_without_a_title_is_titled_by_its_http_status() -> None:
    assert problem(403, "missing_scope", "needs read:audit").title == "Forbidden"


def test_every_refusal_code_of_the_workflow_has_a_title() -> None:
    for module in pkgutil.walk_packages(workflow.__path__, "workflow."):
        importlib.import_module(module.name)
    codes = {cls.code for cls in _subclasses(DomainError)} | {DomainError.code}

    assert codes - set(TITLES) == set()


def _subclasses(cls: type) -> set[type[DomainError]]:
    found: set[type[DomainError]] = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


@pytest.mark.parametrize("code", sorted(TITLES))
def test_a_title_is_short_and_names_no_code(code: str) -> None:
    assert len(TITLES[code]) <= 40 and "_" not in TITLES[code]
