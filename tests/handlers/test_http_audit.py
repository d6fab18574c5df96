"""GET /audit and GET /audit/head over HTTP: pages of entries as JSON or CSV, bad input
answered as problems, the scope read:audit, and a person's reach."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from handlers.http import create_app
from handlers.service import Service
from schemas import parse_inbound
from tests.handlers.keys import bearer, make_key
from tests.lifecycle import event, lifecycle, staff_event, submitted_data
from workflow.audit import COLUMNS


class Trust:
    """T-042's request taken to its end (LIFE-1), T-043's submitted (LIFE-2)."""

    def __init__(self, http: httpx.AsyncClient, data_dir: Path) -> None:
        self.http, self.data_dir = http, data_dir
        self.auditor = bearer(make_key(data_dir, "auditor", "read:audit"))

    def key_as(self, staff_id: str, *scopes: str) -> dict[str, str]:
        return bearer(make_key(self.data_dir, f"as-{staff_id}", *scopes, as_staff_id=staff_id))

    async def get(self, path: str, key: dict[str, str] | None = None, **params: Any) -> Any:
        return await self.http.get(path, params=params, headers=key or self.auditor)

    async def seqs(self, key: dict[str, str] | None = None, **params: Any) -> list[int]:
        answer = await self.get("/audit", key, limit=1000, **params)
        assert answer.status_code == 200, answer.text
        return [e["seq"] for e in answer.json()["entries"]]


@pytest.fixture
async def trust(embedded_service: Service) -> AsyncIterator[Trust]:
    await embedded_service.store.apply(parse_inbound(staff_event("T-043", ["teacher"], "HEAD-1")))
    transport = httpx.ASGITransport(app=create_app(embedded_service))
    async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as http:
        for body in [
            *lifecycle("LIFE-1"),
            event("submitted", "LIFE-2", "T-043", submitted_data("T-043")),
        ]:
            answer = await http.post("/events?wait=true", json=body)
            assert answer.status_code == 200, answer.text
        yield Trust(http, embedded_service.settings.data_dir)


async def test_a_page_holds_every_column_and_follows_on_to_the_end(trust: Trust) -> None:
    every = await trust.seqs()
    seen: list[int] = []
    cursor = None
    while True:
        page = (await trust.get("/audit", limit=3, order="newest", **_cursor(cursor))).json()
        seen += [e["seq"] for e in page["entries"]]
        if (cursor := page["next_cursor"]) is None:
            break

    first = (await trust.get("/audit", limit=1)).json()["entries"][0]
    assert seen == every[::-1] and len(every) > 10
    assert set(first) == set(COLUMNS) and first["prev_hash"] == "0" * 64


def _cursor(cursor: str | None) -> dict[str, str]:
    return {} if cursor is None else {"cursor": cursor}


async def test_filters_answer_only_their_entries(trust: Trust) -> None:
    entries = (await trust.get("/audit", request_id="LIFE-1", limit=1000)).json()["entries"]
    approvals = await trust.seqs(request_id="LIFE-1", event_type="cpd.request.head_approved")
    by_t043 = await trust.seqs(staff_id="T-043", state="requested")

    assert {e["request_id"] for e in entries} == {"LIFE-1"}
    assert len(approvals) == 1
    assert by_t043 and by_t043 == await trust.seqs(request_id="LIFE-2")


async def test_csv_has_a_header_row_and_the_next_cursor_in_its_headers(trust: Trust) -> None:
    answer = await trust.get("/audit", format="csv", limit=2)
    rows = list(csv.reader(io.StringIO(answer.text)))
    following = await trust.get(
        "/audit", format="csv", limit=2, cursor=answer.headers["X-Next-Cursor"]
    )

    assert answer.headers["content-type"].startswith("text/csv")
    assert rows[0] == list(COLUMNS) and [r[0] for r in rows[1:]] == ["1", "2"]
    assert 'rel="next"' in answer.headers["Link"]
    assert next(csv.reader(io.StringIO(following.text.splitlines()[1])))[0] == "3"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"cursor": "not-a-cursor"}, 400, "invalid_cursor"),
        ({"from": "last tuesday"}, 422, "invalid_parameters"),
        ({"order": "sideways"}, 422, "invalid_parameters"),
        ({"limit": "1001"}, 422, "invalid_parameters"),
        ({"outcome": "maybe"}, 422, "invalid_parameters"),
    ],
)
async def test_bad_parameters_are_answered_as_problems(
    trust: Trust, params: dict[str, str], status: int, code: str
) -> None:
    answer = await trust.get("/audit", **params)

    assert answer.status_code == status
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["error"] == code


async def test_the_head_is_the_last_entry(trust: Trust) -> None:
    head = (await trust.get("/audit/head")).json()
    [last] = (await trust.get("/audit", order="newest", limit=1)).json()["entries"]

    assert head == {"seq": last["seq"], "hash": last["hash"]}


async def test_reading_the_audit_needs_read_audit(trust: Trust) -> None:
    reader = bearer(make_key(trust.data_dir, "requests-only", "read:requests"))

    assert (await trust.get("/audit", reader)).status_code == 403
    assert (await trust.get("/audit/head", reader)).status_code == 403


async def test_a_person_reads_only_the_entries_within_their_reach(trust: Trust) -> None:
    teacher = trust.key_as("T-043", "read:audit")

    own = await trust.seqs(teacher)

    assert own and own == await trust.seqs(staff_id="T-043")
    assert await trust.seqs(teacher, request_id="LIFE-1") == []
