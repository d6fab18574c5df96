"""`cpd backup` from a running service, and `cpd restore` into a new data directory on which
a service shows the same requests and histories and applies what had been accepted but not
yet applied. Real service on a real port, real embedded NATS, real files."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from handlers.cli_audit import audit
from handlers.cli_backup import backup, restore
from handlers.settings import Settings
from tests.lifecycle import SOURCE, event, lifecycle, post_directory, submitted_data
from tests.live_server import Running, running
from workflow.store._migrations import MIGRATIONS

REQUESTS = ("REQ-1", "REQ-2", "REQ-3")


def cpd(command: Any, *args: str) -> Result:
    return CliRunner().invoke(command, list(args), catch_exceptions=False)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Running]:
    """A service with the directory and three requests taken part of the way."""
    with running(lambda _url: Settings(data_dir=tmp_path / "a")) as live:
        post_directory(live.url)
        for request_id, steps in zip(REQUESTS, (2, 3, 4), strict=True):
            for body in lifecycle(request_id)[:steps]:
                answer = httpx.post(f"{live.url}/events?wait=true", json=body, timeout=15)
                assert answer.status_code == 200, answer.text
        yield live


def views(url: str, request_ids: tuple[str, ...]) -> dict[str, Any]:
    """Each request as GET shows it (its mail aside: sending goes on) and its history."""
    seen: dict[str, Any] = {}
    for request_id in request_ids:
        found = httpx.get(f"{url}/requests/{request_id}", timeout=15).json()
        found.pop("notifications", None)
        history = httpx.get(f"{url}/requests/{request_id}/history", timeout=15).json()
        seen[request_id] = (found, history)
    return seen


def test_a_restored_directory_serves_the_same_requests_and_histories_and_applies_the_rest(
    live: Running, tmp_path: Path
) -> None:
    live.run(live.service.broker.stop_consuming())  # accepted from now on, not applied
    late = [event("submitted", "REQ-LATE", "T-042", submitted_data())]
    late.append(event("head_approved", "REQ-LATE", "HEAD-1", {"comment": "ok"}))
    for body in late:
        assert httpx.post(f"{live.url}/events", json=body, timeout=15).status_code == 202
    before = views(live.url, REQUESTS)

    taken = cpd(backup, str(tmp_path / "backup"), "--data-dir", str(tmp_path / "a"))
    assert taken.exit_code == 0, taken.output
    restored = cpd(restore, str(tmp_path / "backup"), "--data-dir", str(tmp_path / "b"))
    assert restored.exit_code == 0, restored.output
    assert "unapplied   2 messages" in restored.output

    with running(lambda _url: Settings(data_dir=tmp_path / "b")) as again:
        # The queue is read in order: once this is applied, so are the two before it.
        after = event("executive_approved", "REQ-LATE", "EXEC-1")
        answer = httpx.post(f"{again.url}/events?wait=true", json=after, timeout=15)
        assert answer.status_code == 200, answer.text
        assert views(again.url, REQUESTS) == before
        status = httpx.get(f"{again.url}/events/{late[1]['id']}", params={"source": SOURCE})
        assert status.json()["status"] == "applied"
    for secret in ("link-secret", "nats/credentials.json"):
        assert (tmp_path / "b" / secret).read_bytes() == (tmp_path / "a" / secret).read_bytes()


def test_the_restored_audit_trail_is_the_one_backed_up_row_for_row(
    live: Running, tmp_path: Path
) -> None:
    assert cpd(backup, str(tmp_path / "backup"), "--data-dir", str(tmp_path / "a")).exit_code == 0
    assert cpd(restore, str(tmp_path / "backup"), "--data-dir", str(tmp_path / "b")).exit_code == 0

    def history(data_dir: Path) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(data_dir / "cpd.sqlite3")) as db:
            return db.execute("SELECT * FROM history ORDER BY request_id, seq").fetchall()

    assert history(tmp_path / "b") == history(tmp_path / "a") != []
    verified = cpd(audit, "verify", "--data-dir", str(tmp_path / "b"))
    assert verified.exit_code == 0, verified.output
    # The live chain goes on from the restored one: the restored head is a link of it.
    (tmp_path / "head.json").write_text(
        cpd(audit, "head", "--data-dir", str(tmp_path / "b")).output
    )
    on_live = cpd(
        audit, "verify", "--head", str(tmp_path / "head.json"), "--data-dir", str(tmp_path / "a")
    )
    assert on_live.exit_code == 0, on_live.output


def test_backups_taken_while_events_are_applied_are_whole_and_consistent_prefixes(
    live: Running, tmp_path: Path
) -> None:
    stop, posted = threading.Event(), []

    def post_submissions() -> None:
        with httpx.Client(base_url=live.url, timeout=15) as http:
            while not stop.is_set():
                body = event("submitted", f"REQ-P-{len(posted)}", "T-042", submitted_data())
                body["id"] = f"bk-{len(posted)}"
                wait = "?wait=true" if not posted else ""  # the first is applied before
                assert http.post(f"/events{wait}", json=body).status_code in (200, 202)
                posted.append(body["id"])

    poster = threading.Thread(target=post_submissions)
    poster.start()
    try:
        while len(posted) < 20 and poster.is_alive():  # posting is under way
            threading.Event().wait(0.01)
        taken = [
            cpd(backup, str(tmp_path / f"backup-{n}"), "--data-dir", str(tmp_path / "a"))
            for n in range(5)
        ]
    finally:
        stop.set()
        poster.join()
    assert [t.exit_code for t in taken] == [0] * 5, [t.output for t in taken]

    prefixes = [_consistent_prefix(tmp_path / f"backup-{n}", posted) for n in range(5)]
    assert prefixes == sorted(prefixes) and prefixes[0] < prefixes[-1]  # applied meanwhile


def _consistent_prefix(root: Path, posted: list[str]) -> int:
    """How many of the posted events the copy holds applied: the first n, in the order
    posted; and the messages kept with it (accepted, not yet applied) go on from there."""
    with closing(sqlite3.connect(root / "data" / "cpd.sqlite3")) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        applied = [
            int(row[0].removeprefix("bk-"))
            for row in db.execute(
                "SELECT event_id FROM inbox WHERE event_id LIKE 'bk-%' AND status = 'applied'"
            )
        ]
        made = db.execute("SELECT count(*) FROM requests WHERE request_id LIKE 'REQ-P-%'")
        assert made.fetchone()[0] == len(applied)
    assert sorted(applied) == list(range(len(applied))) and applied
    lines = (root / "inbound.jsonl").read_text().splitlines()
    kept = [json.loads(_body(line))["id"] for line in lines]
    assert kept == [f"bk-{i}" for i in range(len(applied), len(applied) + len(kept))]
    assert set(kept) <= set(posted)
    return len(applied)


def _body(line: str) -> bytes:
    return base64.b64decode(json.loads(line)["body"])


def test_the_backup_is_private_and_its_manifest_names_every_file_with_its_sha256(
    live: Running, tmp_path: Path
) -> None:
    assert cpd(backup, str(tmp_path / "backup"), "--data-dir", str(tmp_path / "a")).exit_code == 0

    root = tmp_path / "backup"
    manifest = json.loads((root / "manifest.json").read_text())
    assert (manifest["schema_version"], manifest["service_version"]) == (len(MIGRATIONS), "0.1.0")
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) >= {
        "data/cpd.sqlite3",
        "data/link-secret",
        "data/nats/credentials.json",
        "inbound.jsonl",
    }
    for path, digest in listed.items():
        assert hashlib.sha256((root / path).read_bytes()).hexdigest() == digest
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), path
    assert manifest["unapplied"] == {
        "broker": "embedded",
        "messages": 0,
        "complete": True,
        "note": manifest["unapplied"]["note"],
    }
