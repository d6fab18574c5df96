"""`cpd keys create|list|revoke` as a trust's IT lead runs them, also while `cpd serve`
runs; and `cpd serve` refusing to listen beyond this machine with nobody to ask for keys."""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.lifecycle import directory_event

CPD = [sys.executable, "-m", "handlers.cli"]
ENV = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"


def cpd(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CPD, *args], env=env or ENV, capture_output=True, text=True, timeout=60)


def keys(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cpd("keys", *args, "--data-dir", str(data_dir))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(data_dir: Path, *options: str) -> Iterator[str]:
    """`cpd serve` in its own process; its URL once healthy; SIGTERM after."""
    port = _free_port()
    process = subprocess.Popen(
        [*CPD, "serve", "--port", str(port), "--data-dir", str(data_dir), *options],
        env={**ENV, "CPD_LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            time.sleep(0.05)  # polling a starting process: nothing to await
        else:
            raise AssertionError(f"cpd serve did not become healthy (exit {process.poll()})")
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                process.kill()


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "data"
    pid_file = tmp_path / "data" / "nats" / "nats-server.pid"
    if pid_file.exists():  # never leave a server behind, even when a test fails
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


def stored_rows(data_dir: Path) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(data_dir / "cpd.sqlite3")) as db:
        return db.execute("SELECT name, key_hash FROM api_keys ORDER BY name").fetchall()


def test_create_prints_the_key_once_and_the_store_keeps_only_its_hash(data_dir: Path) -> None:
    made = keys(data_dir, "create", "--name", "staff-portal", "--scope", "post:cpd.request.*")

    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert made.stdout.count("\n") == 1 and key.startswith("cpd_") and len(key) > 40
    assert "shown only once" in made.stderr
    assert stored_rows(data_dir) == [("staff-portal", hashlib.sha256(key.encode()).hexdigest())]
    on_disk = b"".join(p.read_bytes() for p in data_dir.glob("cpd.sqlite3*"))
    assert key.encode() not in on_disk
    listed = keys(data_dir, "list").stdout
    assert key not in listed and stored_rows(data_dir)[0][1] not in listed


def test_list_shows_name_scopes_as_created_and_revoked(data_dir: Path) -> None:
    keys(data_dir, "create", "--name", "hr-feed", "--scope", "post:staff.*")
    as_head = ("--scope", "post:cpd.request.*", "--scope", "read:requests", "--as", "HEAD-1")
    keys(data_dir, "create", "--name", "head-app", *as_head)
    revoked = keys(data_dir, "revoke", "hr-feed")

    lines = keys(data_dir, "list").stdout.splitlines()

    assert revoked.returncode == 0 and "revoked key 'hr-feed'" in revoked.stdout
    assert lines[0].split() == ["name", "scopes", "as", "created", "revoked"]
    head, hr = lines[1].split(), lines[2].split()
    assert head[:4] == ["head-app", "post:cpd.request.*", "read:requests", "HEAD-1"]
    assert head[-1] == "-"  # not revoked
    assert hr[:3] == ["hr-feed", "post:staff.*", "-"] and hr[-1] != "-"


def test_revoking_the_last_key_says_the_service_stays_closed(data_dir: Path) -> None:
    keys(data_dir, "create", "--name", "hr-feed", "--scope", "post:staff.*")

    revoked = keys(data_dir, "revoke", "hr-feed")

    assert "stays closed" in revoked.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--scope", "read:everything"), "unknown scope 'read:everything'"),
        (("--scope", "post:cpd.requests.*"), "matches no event type"),
        (("--scope", "act-for-others", "--as", "T-042"), "acts only as them"),
        (("--scope", "admin", "--as", "T-042"), "acts only as them"),
    ],
)
def test_a_key_that_cannot_be_made_exits_2_saying_why_and_nothing_is_stored(
    data_dir: Path, args: tuple[str, ...], says: str
) -> None:
    refused = keys(data_dir, "create", "--name", "portal", *args)

    assert refused.returncode == 2
    assert says in refused.stderr and "Traceback" not in refused.stderr
    assert refused.stdout == ""
    assert keys(data_dir, "list").stdout.startswith("no keys")


def test_a_name_is_never_reused_even_once_revoked(data_dir: Path) -> None:
    keys(data_dir, "create", "--name", "hr-feed", "--scope", "post:staff.*")
    keys(data_dir, "revoke", "hr-feed")

    again = keys(data_dir, "create", "--name", "hr-feed", "--scope", "post:staff.*")

    assert again.returncode == 2 and "already exists" in again.stderr


def test_revoking_an_unknown_name_exits_1(data_dir: Path) -> None:
    refused = keys(data_dir, "revoke", "nobody")

    assert refused.returncode == 1 and "no key named 'nobody'" in refused.stderr


def test_keys_work_on_the_data_directory_of_cpd_data_dir(data_dir: Path) -> None:
    env = {**ENV, "CPD_DATA_DIR": str(data_dir)}

    made = cpd("keys", "create", "--name", "hr-feed", "--scope", "post:staff.*", env=env)

    assert made.returncode == 0, made.stderr
    assert [name for name, _ in stored_rows(data_dir)] == ["hr-feed"]


def test_a_key_made_while_the_service_runs_counts_at_once(data_dir: Path) -> None:
    with serving(data_dir) as url:
        assert httpx.get(f"{url}/requests/NONE").status_code == 404  # open: no key yet

        made = keys(data_dir, "create", "--name", "reader", "--scope", "read:requests")
        key = made.stdout.strip()

        assert httpx.get(f"{url}/requests/NONE").status_code == 401
        answer = httpx.get(f"{url}/requests/NONE", headers={"Authorization": f"Bearer {key}"})
        assert answer.status_code == 404
        keys(data_dir, "revoke", "reader")
        answer = httpx.get(f"{url}/requests/NONE", headers={"Authorization": f"Bearer {key}"})
        assert answer.status_code == 401


def test_directory_import_sends_the_key_from_cpd_api_key(data_dir: Path) -> None:
    scopes = ("--scope", "post:staff.*", "--scope", "post:school.*", "--scope", "read:requests")
    key = keys(data_dir, "create", "--name", "hr-import", *scopes).stdout.strip()
    with serving(data_dir) as url:
        for school in ("S-WALMLEY", "S-NORTHFIELD"):
            body = directory_event("school.upserted", school, {"school_id": school, "name": school})
            answer = httpx.post(
                f"{url}/events?wait=true", json=body, headers={"Authorization": f"Bearer {key}"}
            )
            assert answer.status_code == 200, answer.text

        without = cpd("directory", "import", str(EXAMPLE), "--url", url)
        with_key = cpd(
            "directory", "import", str(EXAMPLE), "--url", url, env={**ENV, "CPD_API_KEY": key}
        )

    assert without.returncode == 1 and "needs credentials" in without.stdout
    assert with_key.returncode == 0, with_key.stdout + with_key.stderr


def test_serve_refuses_an_address_beyond_this_machine_with_no_key_or_sign_in(
    data_dir: Path,
) -> None:
    refused = cpd("serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", str(data_dir))

    assert refused.returncode == 2
    assert "cpd keys create" in refused.stderr and "CPD_OIDC_ISSUER" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_serve_listens_beyond_this_machine_once_a_key_exists(data_dir: Path) -> None:
    keys(data_dir, "create", "--name", "hr-feed", "--scope", "post:staff.*")

    with serving(data_dir, "--host", "0.0.0.0") as url:
        assert httpx.get(f"{url}/requests/NONE").status_code == 401
