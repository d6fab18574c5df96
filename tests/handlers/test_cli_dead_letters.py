"""`cpd dead-letters list|replay` against the service on a real port: a poison message
published to its broker is listed, corrected from a file and replayed, and its request
applied; what the command refuses, and the service refuses, with their exit codes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from click.testing import CliRunner

from handlers.cli_dead_letters import dead_letters
from handlers.settings import Settings
from tests.handlers.keys import make_key
from tests.lifecycle import encode, lifecycle, post_directory
from tests.live_server import Running, running

POISONED = lifecycle("REQ-POISON")[0]
POISONED["data"] = {**POISONED["data"], "provider": "x" * 20_000}


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Running]:
    with running(lambda _url: Settings(data_dir=tmp_path / "data", max_deliver=2)) as live:
        post_directory(live.url)
        assert live.service.embedded is not None
        asyncio.run(_publish(live.service.embedded.client_url, encode(POISONED)))
        # The queue is read in order: once this is applied, the poison has been kept.
        after = httpx.post(f"{live.url}/events?wait=true", json=lifecycle("REQ-X")[0], timeout=15)
        assert after.status_code == 200, after.text
        yield live


async def _publish(url: str, body: bytes) -> None:
    client = await nats.connect(url)
    try:
        await client.jetstream().publish("cpd.inbound", body)
    finally:
        await client.close()


def _cpd(*args: str) -> Any:
    return CliRunner().invoke(dead_letters, list(args), catch_exceptions=False)


def test_a_poison_message_is_listed_corrected_from_a_file_and_replayed(
    live: Running, tmp_path: Path
) -> None:
    listed = _cpd("list", "--url", live.url)
    assert listed.exit_code == 0, listed.output
    header, row = listed.output.splitlines()
    assert header.split()[:6] == ["id", "when", "source", "type", "subject", "replayed"]
    assert row.split()[0] == "1"
    assert "cpd.request.submitted" in row and "REQ-POISON" in row and "provider" in row
    corrected = tmp_path / "corrected.json"
    corrected.write_text(json.dumps({**POISONED, "data": {**POISONED["data"], "provider": "Hub"}}))

    replayed = _cpd("replay", "1", "--file", str(corrected), "--url", live.url)

    assert replayed.exit_code == 0, replayed.output
    assert replayed.output.strip() == (
        f"dead letter 1 replayed as event {POISONED['id']}: applied"
        " (request REQ-POISON now requested)"
    )
    found = httpx.get(f"{live.url}/requests/REQ-POISON", timeout=15).json()
    assert found["provider"] == "Hub"
    (letter,) = json.loads(_cpd("list", "--format", "json", "--url", live.url).output)
    assert letter["replayed_at"] is not None


def test_a_file_that_is_no_cloudevent_is_refused_before_anything_is_sent(
    live: Running, tmp_path: Path
) -> None:
    corrected = tmp_path / "corrected.json"
    corrected.write_text(json.dumps({**POISONED, "specversion": "0.3"}))

    replayed = _cpd("replay", "1", "--file", str(corrected), "--url", live.url)

    assert replayed.exit_code == 2
    assert "is not a valid event" in replayed.output and "nothing sent" in replayed.output
    (letter,) = json.loads(_cpd("list", "--format", "json", "--url", live.url).output)
    assert letter["replayed_at"] is None


def test_the_letter_as_kept_is_refused_by_the_service_with_exit_1(live: Running) -> None:
    replayed = _cpd("replay", "1", "--url", live.url)

    assert replayed.exit_code == 1
    assert "refused (422 invalid_event)" in replayed.output
    assert "data.provider" in replayed.output


def test_replaying_needs_an_admin_key_once_access_is_on(live: Running, tmp_path: Path) -> None:
    auditor = make_key(tmp_path / "data", "auditor", "read:audit")

    assert _cpd("list", "--url", live.url, "--key", auditor).exit_code == 0
    replayed = _cpd("replay", "1", "--url", live.url, "--key", auditor)
    assert replayed.exit_code == 1
    assert "403 missing_scope" in replayed.output


def test_an_unreachable_service_is_exit_3(unused_tcp_port: int) -> None:
    listed = _cpd("list", "--url", f"http://127.0.0.1:{unused_tcp_port}")

    assert listed.exit_code == 3
    assert "cannot be reached" in listed.output
