"""A private nats-server (with JetStream) owned and supervised by the service.

The server lives entirely inside ``data_dir / "nats"``; the pid file there is the
only way we recognise a server left behind by an earlier, killed run of the service.
Clients must give the user and password kept there (handlers/embedded_nats_credentials.py);
`client_url(data_dir)` is the address to connect to, credentials included.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import signal
import sys
import time
from pathlib import Path

from handlers._processes import (
    HOST,
    RESERVED_PORT,
    die_with,
    is_our_server,
    pick_free_port,
    pid_alive,
    port_free,
    server_in_pid_file,
    wait_dead,
)
from handlers.embedded_nats_credentials import (
    Credentials,
    client_url,
    credentials,
    load_or_create,
    make_private_dir,
    nats_dir,
    write_config,
)

__all__ = ["Credentials", "EmbeddedNats", "client_url", "credentials", "default_binary"]

logger = logging.getLogger("cpd.embedded_nats")

_STOP_GRACE = 5.0
_BACKOFF_START = 0.2
_BACKOFF_MAX = 5.0
# A server that stayed up this long did not crash-loop, so the next restart may be quick.
_STABLE_AFTER = 30.0


def default_binary() -> Path:
    # Not resolved: the wheel installs the binary next to the venv's python symlink.
    return Path(sys.executable).parent / "nats-server"


class EmbeddedNats:
    def __init__(
        self, data_dir: Path, *, binary: Path | None = None, ready_timeout: float = 10.0
    ) -> None:
        # Resolved so the pid-file path matched in /proc/<pid>/cmdline is canonical.
        self._dir = nats_dir(data_dir)
        self._pid_file = self._dir / "nats-server.pid"
        self._port_file = self._dir / "port"
        self._log_file = self._dir / "nats-server.log"
        self._store_dir = self._dir / "jetstream"
        self._config_file = self._dir / "nats-server.conf"
        self._credentials: Credentials | None = None
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
        """The address without credentials, fit to be shown (as /health does)."""
        return f"nats://{HOST}:{self.port}"

    @property
    def client_url(self) -> str:
        """The address to connect with, credentials included: never log or show it."""
        if self._credentials is None:
            raise RuntimeError("EmbeddedNats has not been started")
        return self._credentials.url(self.port)

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

    def process_up(self) -> tuple[bool, str]:
        """For /health/ready: is the server of our own pid file running, and what was found."""
        return server_in_pid_file(self._pid_file)

    async def start(self) -> str:
        """Start (or take over) the server; returns `client_url`."""
        # While the supervisor is restarting, the process is briefly dead; a second
        # launch here would race it and leave two servers on one data directory.
        running = self._proc is not None and self._proc.returncode is None
        if running or (self._supervisor is not None and not self._supervisor.done()):
            return self.client_url
        self._stopping = False
        make_private_dir(self._dir)
        self._credentials = load_or_create(self._dir)
        write_config(self._dir, self._credentials)
        # A leftover server, perhaps from a release that set no password, is replaced.
        await self._reap_leftover()
        self._port = self._choose_port()
        self._port_file.write_text(f"{self._port}\n")
        await self._launch()
        self._supervisor = asyncio.create_task(self._supervise(), name="embedded-nats-supervisor")
        return self.client_url

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
        if pid is not None and pid_alive(pid) and is_our_server(pid, self._pid_file):
            logger.warning("stopping leftover nats-server pid %d from an earlier run", pid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
            if not await wait_dead(pid, _STOP_GRACE):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                if not await wait_dead(pid, _STOP_GRACE):
                    raise RuntimeError(f"leftover nats-server pid {pid} would not die")
        self._pid_file.unlink(missing_ok=True)

    def _choose_port(self) -> int:
        try:
            previous = int(self._port_file.read_text().strip())
        except (OSError, ValueError):
            previous = None
        # Same port as last run lets clients with a remembered URL reconnect.
        usable = previous is not None and 0 < previous < 65536 and previous != RESERVED_PORT
        if usable and previous is not None and port_free(previous):
            return previous
        return pick_free_port()

    async def _launch(self) -> None:
        log_offset = self._log_file.stat().st_size if self._log_file.exists() else 0
        # stderr goes to the log too, so early failures (bad flags, bind errors) are visible.
        with self._log_file.open("ab") as log:
            self._proc = await asyncio.create_subprocess_exec(
                str(self._binary),
                *("-c", str(self._config_file)),
                *("-a", HOST, "-p", str(self.port)),
                *("-js", "-sd", str(self._store_dir)),
                *("-P", str(self._pid_file), "-l", str(self._log_file)),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                # Own session: a Ctrl-C in the terminal must not beat our orderly shutdown.
                start_new_session=True,
                preexec_fn=functools.partial(die_with, os.getpid()),
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
            f"nats-server on {HOST}:{self.port} not ready within {self._ready_timeout}s; "
            f"log tail:\n{self._log_tail(log_offset)}"
        )

    async def _probe(self) -> bool:
        try:
            async with asyncio.timeout(1.0):
                reader, writer = await asyncio.open_connection(HOST, self.port)
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
