"""`cpd serve` as a trust's IT lead runs it: start, post, SIGTERM, start again."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.lifecycle import lifecycle, post_directory

CPD = [sys.executable, "-m", "handlers.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Running:
    def __init__(self, data_dir: Path) -> None:
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
        self.process = subprocess.Popen(
            [*CPD, "serve", "--port", str(self.port), "--data-dir", str(data_dir)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.process.kill()
        raise AssertionError(f"cpd serve did not become healthy:\n{self.process.stdout.read()}")  # type: ignore[union-attr]

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "data"
    pid_file = tmp_path / "data" / "nats" / "nats-server.pid"
    if pid_file.exists():  # never leave a server behind, even when a test fails
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(pid_file.read_text()), signal.SIGKILL)


def test_sigterm_stops_cleanly_and_a_restart_keeps_state_and_history(data_dir: Path) -> None:
    steps = lifecycle("CLI-1")
    first = Running(data_dir)
    try:
        post_directory(first.url)
        for step in steps[:3]:
            answer = httpx.post(f"{first.url}/events?wait=true", json=step, timeout=15)
            assert answer.status_code == 200, answer.text
    finally:
        assert first.terminate() == 0
    assert not (data_dir / "nats" / "nats-server.pid").exists(), "embedded NATS left running"

    second = Running(data_dir)
    try:
        assert httpx.get(f"{second.url}/requests/CLI-1").json()["state"] == "executive_approved"
        again = httpx.post(f"{second.url}/events?wait=true", json=steps[2], timeout=15)
        assert again.status_code == 200  # a re-post after restart is still a duplicate
        answer = httpx.post(f"{second.url}/events?wait=true", json=steps[3], timeout=15)
        assert answer.json()["request"]["state"] == "booked"
        history = httpx.get(f"{second.url}/requests/CLI-1/history").json()["entries"]
        assert [e["seq"] for e in history] == [1, 2, 3, 4]
    finally:
        assert second.terminate() == 0


def test_a_server_left_by_a_killed_run_is_replaced_not_duplicated(data_dir: Path) -> None:
    first = Running(data_dir)
    leftover = int((data_dir / "nats" / "nats-server.pid").read_text())
    first.process.kill()  # SIGKILL: no clean shutdown, the NATS server is orphaned
    first.process.wait()
    second = Running(data_dir)
    try:
        current = int((data_dir / "nats" / "nats-server.pid").read_text())
        assert current != leftover
        assert not Path(f"/proc/{leftover}").exists() or _is_zombie(leftover)
    finally:
        assert second.terminate() == 0


def test_bad_configuration_is_reported_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "CPD_BROKER_URL": "kafka://nowhere", "CPD_DATA_DIR": str(tmp_path)}
    result = subprocess.run([*CPD, "serve"], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "CPD_BROKER_URL" in result.stderr and "Traceback" not in result.stderr


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith(("Z", "X"))
    except (FileNotFoundError, IndexError):
        return True


def test_a_broken_term_dates_file_is_reported_before_starting(tmp_path: Path) -> None:
    broken = tmp_path / "terms.json"
    broken.write_text('{"holidays": [{"name": "Easter", "start": "2027-04-09", "end": "x"}]}')
    env = {**os.environ, "CPD_TERM_DATES": str(broken), "CPD_DATA_DIR": str(tmp_path)}
    result = subprocess.run([*CPD, "serve"], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "terms.json" in result.stderr and "Traceback" not in result.stderr


def test_a_second_service_on_a_directory_in_use_refuses_and_leaves_the_first_alone(
    data_dir: Path,
) -> None:
    first = Running(data_dir)
    try:
        nats_pid = (data_dir / "nats" / "nats-server.pid").read_text()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
        second = subprocess.run(
            [*CPD, "serve", "--port", str(_free_port()), "--data-dir", str(data_dir)],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 2
        assert f"pid {first.process.pid}" in second.stderr
        assert f"HTTP port {first.port}" in second.stderr
        assert "Traceback" not in second.stderr
        # The first is untouched: same NATS server, still healthy, still applying events.
        assert (data_dir / "nats" / "nats-server.pid").read_text() == nats_pid
        post_directory(first.url)
        step = lifecycle("CLI-LOCK")[0]
        answer = httpx.post(f"{first.url}/events?wait=true", json=step, timeout=15)
        assert answer.status_code == 200, answer.text
        assert httpx.get(f"{first.url}/health").status_code == 200
    finally:
        assert first.terminate() == 0
