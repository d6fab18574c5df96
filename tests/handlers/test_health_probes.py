"""GET /health/live and /health/ready, as a load balancer probes them: each check tried for
real, a failed one named with a 503, and trouble that stops nothing given as a warning."""

from __future__ import annotations

import contextlib
import json
import socket
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from tests.mail_server import free_port


@asynccontextmanager
async def probing(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    service = Service(settings)
    await service.start()
    try:
        transport = httpx.ASGITransport(app=create_app(service))
        async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
            yield client
    finally:
        await service.stop()


def checks(body: dict[str, Any]) -> dict[str, bool]:
    return {check["name"]: check["ok"] for check in body["checks"]}


async def test_a_live_process_answers(client: httpx.AsyncClient) -> None:
    answer = await client.get("/health/live")

    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"
    assert checks(answer.json()) == {"process": True}


async def test_a_started_service_is_ready_having_written_pinged_and_found_its_nats_server(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    answer = await client.get("/health/ready")

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["status"], body["failed"], body["warnings"]) == ("ok", [], [])
    assert checks(body) == {"database": True, "broker": True, "embedded_nats": True}
    assert (await client.get("/health")).json()["status"] == "ok"  # keeps its meaning


async def test_a_database_another_program_holds_locked_is_not_ready(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    other = sqlite3.connect(embedded_service.settings.database_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock, as a stuck program would
    try:
        answer = await client.get("/health/ready")
    finally:
        other.execute("ROLLBACK")
        other.close()

    assert answer.status_code == 503
    assert answer.json()["failed"] == ["database"]
    (database,) = [c for c in answer.json()["checks"] if c["name"] == "database"]
    assert "locked" in database["detail"]
    assert (await client.get("/health/ready")).status_code == 200  # the writer is free again


async def test_an_embedded_nats_server_that_is_not_running_is_named(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    assert embedded_service.embedded is not None
    await embedded_service.embedded.stop()  # no supervisor to start it again

    answer = await client.get("/health/ready")

    assert answer.status_code == 503
    assert "embedded_nats" in answer.json()["failed"]
    (nats,) = [c for c in answer.json()["checks"] if c["name"] == "embedded_nats"]
    assert "pid file" in nats["detail"]


async def test_an_unreachable_mail_server_and_term_dates_ending_soon_are_warnings(
    tmp_path: Path,
) -> None:
    today = datetime.now(UTC).date()
    terms = tmp_path / "terms.json"
    ends = today + timedelta(days=30)
    holiday = {"name": "Summer", "start": today.isoformat(), "end": ends.isoformat()}
    terms.write_text(json.dumps({"name": "Oaks", "holidays": [holiday]}))
    settings = Settings(
        data_dir=tmp_path / "data",
        smtp_url=f"smtp://127.0.0.1:{free_port()}",  # nothing listens there
        term_dates=terms,
    )
    async with probing(settings) as client:
        answer = await client.get("/health/ready")

    assert answer.status_code == 200  # the service works; mail waits in its queue
    warnings = {w["name"]: w["detail"] for w in answer.json()["warnings"]}
    assert set(warnings) == {"smtp", "term_dates"}
    assert "cannot reach the mail server" in warnings["smtp"]
    assert ends.isoformat() in warnings["term_dates"] and "terms.json" in warnings["term_dates"]


async def test_probes_knock_at_the_mail_server_at_most_once_a_minute(tmp_path: Path) -> None:
    # A listening socket never accepted from: each knock waits in its backlog, to be counted.
    with socket.socket() as mail_server:
        mail_server.bind(("127.0.0.1", 0))
        mail_server.listen(8)
        port = mail_server.getsockname()[1]
        settings = Settings(data_dir=tmp_path / "data", smtp_url=f"smtp://127.0.0.1:{port}")
        async with probing(settings) as client:
            first = await client.get("/health/ready")
            second = await client.get("/health/ready")
        mail_server.setblocking(False)
        knocks = 0
        with contextlib.suppress(BlockingIOError):
            while True:
                mail_server.accept()[0].close()
                knocks += 1

    assert first.json()["warnings"] == second.json()["warnings"] == []
    assert knocks == 1
