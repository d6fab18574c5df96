"""Bring a request to the step a form link is for, and make the link a mail would carry."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from handlers.forms import tokens
from handlers.service import Service
from tests.lifecycle import event, lifecycle
from workflow.store.used_links import UsedLink, used

# How many of the lifecycle's events bring a request to each form's step.
EVENTS_BEFORE = {
    "approve_head": 1,
    "approve_executive": 2,
    "evaluate": 5,
    "disseminate": 6,
    "impact_review": 6,
}


def steps_to(request_id: str, step: str) -> list[dict[str, Any]]:
    return lifecycle(request_id)[: EVENTS_BEFORE[step]]


async def walk(client: httpx.AsyncClient, request_id: str, step: str) -> None:
    for body in steps_to(request_id, step):
        answer = await client.post("/events?wait=true", json=body)
        assert answer.status_code == 200, answer.text


def walk_live(url: str, request_id: str, step: str) -> None:
    """The same against a running server."""
    for body in steps_to(request_id, step):
        answer = httpx.post(f"{url}/events?wait=true", json=body, timeout=15)
        assert answer.status_code == 200, answer.text


async def post_as(
    client: httpx.AsyncClient, kind: str, request_id: str, actor: str, **data: Any
) -> None:
    answer = await client.post("/events?wait=true", json=event(kind, request_id, actor, data))
    assert answer.status_code == 200, answer.text


def form_path(
    data_dir: Path, request_id: str, step: str, staff_id: str, issued_at: datetime
) -> str:
    """The path of a form link signed with the service's own secret."""
    token = tokens.issue(tokens.link_secret(data_dir), request_id, step, staff_id, issued_at)
    return f"/forms/{token}"


def nonce_of(path: str, data_dir: Path, at: datetime) -> str:
    token = path.removeprefix("/forms/")
    return tokens.read(tokens.link_secret(data_dir), token, at, 14).nonce


async def request_of(client: httpx.AsyncClient, request_id: str) -> dict[str, Any]:
    answer = await client.get(f"/requests/{request_id}")
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


async def history_of(client: httpx.AsyncClient, request_id: str) -> list[dict[str, Any]]:
    answer = await client.get(f"/requests/{request_id}/history")
    assert answer.status_code == 200, answer.text
    entries: list[dict[str, Any]] = answer.json()["entries"]
    return entries


async def used_row(service: Service, nonce: str) -> UsedLink | None:
    return await service.store.on_reader(used, nonce)
