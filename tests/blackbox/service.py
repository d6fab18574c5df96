"""`cpd serve` as a real subprocess that tests can SIGKILL, SIGTERM and start again."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path

import httpx

from handlers.embedded_nats import client_url

CPD = [sys.executable, "-m", "handlers.cli"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ServiceDied(AssertionError):
    """The service would not come up (or went away) when the harness needed it."""


class ServiceProcess:
    """One service on one data directory and HTTP port, across as many restarts as needed.

    Everything it prints (stdout and stderr, all runs) goes to one log file next to the data
    directory, with a marker line per start, so a failure message can quote its tail.
    """

    def __init__(self, data_dir: Path, port: int, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.extra_env = env or {}  # CPD_* settings; the caller's own CPD_* are never inherited
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = data_dir.parent / f"{data_dir.name}-serve.log"
        self.starts = 0
        self._process: asyncio.subprocess.Process | None = None

    @property
    def nats_pid_file(self) -> Path:
        return self.data_dir / "nats" / "nats-server.pid"

    @property
    def nats_port_file(self) -> Path:
        return self.data_dir / "nats" / "port"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    async def spawn(self) -> None:
        """Start the process without waiting for it to be ready (a kill may come first)."""
        assert not self.running, "the service is already running"
        self.starts += 1
        env = {k: v for k, v in os.environ.items() if not k.startswith("CPD_")}
        env.update(self.extra_env)
        with self.log_path.open("ab") as log:
            marker = f"\n===== harness: start #{self.starts} at {time.time():.3f} =====\n"
            log.write(marker.encode())
            log.flush()
            self._process = await asyncio.create_subprocess_exec(
                *CPD,
                *("serve", "--data-dir", str(self.data_dir), "--port", str(self.port)),
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )

    async def start(self, within: float = 30.0) -> float:
        """Start and wait for `GET /health` to answer 200; returns the seconds it took."""
        began = time.monotonic()
        await self.spawn()
        await self.wait_healthy(within)
        return time.monotonic() - began

    async def wait_healthy(self, within: float = 30.0) -> None:
        deadline = time.monotonic() + within
        async with httpx.AsyncClient(base_url=self.url, timeout=2) as client:
            while time.monotonic() < deadline:
                if not self.running:
                    raise ServiceDied(f"cpd serve exited before it was healthy\n{self.log_tail()}")
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/health")).status_code == 200:
                        return
                await asyncio.sleep(0.05)  # nothing to await: the service only answers polls
        raise ServiceDied(f"cpd serve not healthy within {within:.0f}s\n{self.log_tail()}")

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs at all, as when the machine or OOM killer ends it."""
        process = self._require_running()
        process.kill()
        await process.wait()

    async def terminate(self, within: float) -> tuple[int | None, float]:
        """SIGTERM; returns (exit code or None if still running after `within`, seconds)."""
        process = self._require_running()
        began = time.monotonic()
        process.send_signal(signal.SIGTERM)
        try:
            code: int | None = await asyncio.wait_for(process.wait(), within)
        except TimeoutError:
            code = None
        return code, time.monotonic() - began

    async def wait_for_new_nats_server(self, replacing: int, within: float = 30.0) -> None:
        """Wait for the service's supervisor to start a nats-server in place of `replacing`."""
        deadline = time.monotonic() + within
        while self.nats_pid() in (replacing, None):
            if time.monotonic() > deadline:
                raise ServiceDied(f"no new nats-server within {within:.0f}s\n{self.log_tail()}")
            await asyncio.sleep(0.05)  # the pid file is all there is to watch

    def nats_pid(self) -> int | None:
        try:
            return int(self.nats_pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    def log_tail(self, lines: int = 30) -> str:
        """The last warnings, errors and harness markers: access and debug lines say little."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "<no service log>"
        telling = [
            line
            for line in text.splitlines()
            if line.strip()
            and not line.startswith("INFO:")
            and " INFO " not in line
            and " DEBUG " not in line
        ]
        tail = "\n".join(telling[-lines:])
        return f"--- last {lines} telling lines of {self.log_path} ---\n{tail}"

    async def clean_up(self) -> None:
        """Leave no process behind, whatever state the test ended in."""
        if self.running:
            await self.kill()
        pid = self.nats_pid()
        if pid is not None and _started_with(pid, self.nats_pid_file):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def _require_running(self) -> asyncio.subprocess.Process:
        assert self._process is not None and self._process.returncode is None, "not running"
        return self._process


def nats_url(port_file: Path) -> str:
    """The embedded server's address, as a client finds it: the port from DATA_DIR/nats/port
    and the user and password the service keeps beside it."""
    return client_url(port_file.parent.parent)


def _started_with(pid: int, pid_file: Path) -> bool:
    # Pids are reused: only a nats-server started with this very pid file is ours to kill.
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return os.fsencode(pid_file) in args or os.fsencode(pid_file.resolve()) in args
