"""A private nats-server (with JetStream) owned and supervised by the service.

The server lives entirely inside ``data_dir / "nats"``; the pid file there is the
only way we recognise a server left behind by an earlier, killed run of the service.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import functools
import logging
import os
import signal
import socket
import sys
import time
from pathlib import Path

logger = logging.getLogger("cpd.embedded_nats")

_HOST = "127.0.0.1"
# The machine's own NATS listens here; colliding with it would be silent and confusing.
_RESERVED_PORT = 4222
_STOP_GRACE = 5.0
_BACKOFF_START = 0.2
_BACKOFF_MAX = 5.0
# A server that stayed up this long did not crash-loop, so the next restart may be quick.
_STABLE_AFTER = 30.0


_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def _die_with(parent: int) -> None:
    """Runs in the forked child before exec: the kernel sends the server SIGTERM when the
    service dies, however it dies (SIGKILL included), so no server outlives it."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the service died before the line above took effect
        os._exit(1)


def default_binary() -> Path:
    # Not resolved: the wheel installs the binary next to the venv's python symlink.
    return Path(sys.executable).parent / "nats-server"


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # nats-server (Go) sets SO_REUSEADDR, so TIME_WAIT remnants of our own killed
        # server must not make us abandon the port clients already know.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((_HOST, port))
        except OSError:
            return False
    return True


def _pick_free_port() -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((_HOST, 0))
            port: int = sock.getsockname()[1]
        if port != _RESERVED_PORT:
            return port


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0) but is dead; our init may never reap orphans.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] not in ("Z", "X")


def _is_our_server(pid: int, pid_file: Path) -> bool:
    # Pids get reused: only a process started with *this* pid file is ours to kill.
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return os.fsencode(pid_file) in args


async def _wait_dead(pid: int, grace: float) -> bool:
    deadline = time.monotonic() + grace
    while _pid_alive(pid):
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.05)
    return True


class EmbeddedNats:
    def __init__(
        self, data_dir: Path, *, binary: Path | None = None, ready_timeout: float = 10.0
    ) -> None:
        # Resolved so the pid-file path matched in /proc/<pid>/cmdline is canonical.
        self._dir = Path(data_dir).resolve() / "nats"
        self._pid_file = self._dir / "nats-server.pid"
        self._port_file = self._dir / "port"
        self._log_file = self._dir / "nats-server.log"
        self._store_dir = self._dir / "jetstream"
        self._binary = binary if binary is not None else default_binary()
        self._ready_timeout = ready_timeout
        self._port: int | None = None
        self._proc: asyncio.subprocess.Process | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._stopping = False
        self._healthy = False
        self._last_exit_code: int | None = None
        self.restarts = 0

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("EmbeddedNats has not been started")
        return self._port

    @property
    def url(self) -> str:
        return f"nats://{_HOST}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def healthy(self) -> bool:
        return self._healthy and self._proc is not None and self._proc.returncode is None

    def status(self) -> dict[str, object]:
        return {
            "embedded": True,
            "url": self.url if self._port is not None else None,
            "pid": self.pid,
            "healthy": self.healthy,
            "restarts": self.restarts,
            "last_exit_code": self._last_exit_code,
        }

    async def start(self) -> str:
        # While the supervisor is restarting, the process is briefly dead; a second
        # launch here would race it and leave two servers on one data directory.
        running = self._proc is not None and self._proc.returncode is None
        if running or (self._supervisor is not None and not self._supervisor.done()):
            return self.url
        self._stopping = False
        self._dir.mkdir(parents=True, exist_ok=True)
        await self._reap_leftover()
        self._port = self._choose_port()
        self._port_file.write_text(f"{self._port}\n")
        await self._launch()
        self._supervisor = asyncio.create_task(self._supervise(), name="embedded-nats-supervisor")
        return self.url

    async def stop(self) -> None:
        self._stopping = True
        self._healthy = False
        task, self._supervisor = self._supervisor, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        proc = self._proc
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), _STOP_GRACE)
            except TimeoutError:
                logger.warning("nats-server pid %d ignored SIGTERM; killing it", proc.pid)
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
                await proc.wait()
        if proc is not None:
            self._last_exit_code = proc.returncode
            # Only our own pid: a newer service instance may already own this file.
            if self._read_pid() == proc.pid:
                self._pid_file.unlink(missing_ok=True)

    def _read_pid(self) -> int | None:
        try:
            return int(self._pid_file.read_text().strip())
        except (OSError, ValueError):
            return None

    async def _reap_leftover(self) -> None:
        pid = self._read_pid()
        if pid is not None and _pid_alive(pid) and _is_our_server(pid, self._pid_file):
            logger.warning("stopping leftover nats-server pid %d from an earlier run", pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            if not await _wait_dead(pid, _STOP_GRACE):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                if not await _wait_dead(pid, _STOP_GRACE):
                    raise RuntimeError(f"leftover nats-server pid {pid} would not die")
        self._pid_file.unlink(missing_ok=True)

    def _choose_port(self) -> int:
        try:
            previous = int(self._port_file.read_text().strip())
        except (OSError, ValueError):
            previous = None
        # Same port as last run lets clients with a remembered URL reconnect.
        usable = previous is not None and 0 < previous < 65536 and previous != _RESERVED_PORT
        if usable and previous is not None and _port_free(previous):
            return previous
        return _pick_free_port()

    async def _launch(self) -> None:
        log_offset = self._log_file.stat().st_size if self._log_file.exists() else 0
        # stderr goes to the log too, so early failures (bad flags, bind errors) are visible.
        with self._log_file.open("ab") as log:
            self._proc = await asyncio.create_subprocess_exec(
                str(self._binary),
                *("-a", _HOST, "-p", str(self.port)),
                *("-js", "-sd", str(self._store_dir)),
                *("-P", str(self._pid_file), "-l", str(self._log_file)),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                # Own session: a Ctrl-C in the terminal must not beat our orderly shutdown.
                start_new_session=True,
                preexec_fn=functools.partial(_die_with, os.getpid()),
            )
        try:
            await self._wait_ready(self._proc, log_offset)
        except BaseException:
            if self._proc.returncode is None:
                self._proc.kill()
                await self._proc.wait()
            raise
        self._healthy = True

    async def _wait_ready(self, proc: asyncio.subprocess.Process, log_offset: int) -> None:
        deadline = time.monotonic() + self._ready_timeout
        while time.monotonic() < deadline:
            if proc.returncode is not None:
                raise RuntimeError(
                    f"nats-server exited with code {proc.returncode} before becoming ready; "
                    f"log tail:\n{self._log_tail(log_offset)}"
                )
            if await self._probe():
                return
            await asyncio.sleep(0.05)
        raise RuntimeError(
            f"nats-server on {_HOST}:{self.port} not ready within {self._ready_timeout}s; "
            f"log tail:\n{self._log_tail(log_offset)}"
        )

    async def _probe(self) -> bool:
        try:
            async with asyncio.timeout(1.0):
                reader, writer = await asyncio.open_connection(_HOST, self.port)
                try:
                    line = await reader.readline()
                finally:
                    writer.close()
                    with contextlib.suppress(OSError):
                        await writer.wait_closed()
        except (OSError, TimeoutError):
            return False
        return line.startswith(b"INFO")

    def _log_tail(self, offset: int, lines: int = 20) -> str:
        try:
            with self._log_file.open("rb") as f:
                f.seek(offset)
                text = f.read().decode(errors="replace")
        except OSError:
            return "<no log>"
        return "\n".join(text.splitlines()[-lines:]) or "<empty>"

    async def _supervise(self) -> None:
        backoff = _BACKOFF_START
        while not self._stopping and self._proc is not None:
            started = time.monotonic()
            code = await self._proc.wait()
            if self._stopping:
                return
            self._healthy = False
            self._last_exit_code = code
            if time.monotonic() - started > _STABLE_AFTER:
                backoff = _BACKOFF_START
            logger.warning(
                "nats-server pid %d exited with code %s; restarting", self._proc.pid, code
            )
            while not self._stopping:
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, _BACKOFF_MAX)
                try:
                    await self._launch()
                except (OSError, RuntimeError) as exc:
                    logger.warning("restarting nats-server failed: %s", exc)
                    continue
                self.restarts += 1
                logger.info("nats-server restarted as pid %d on %s", self._proc.pid, self.url)
                break
