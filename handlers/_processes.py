"""Processes and ports on this machine, as the embedded NATS server needs them.

Pure OS plumbing kept apart from the supervisor's logic in handlers/embedded_nats.py.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import signal
import socket
import time
from pathlib import Path

HOST = "127.0.0.1"
# The machine's own NATS listens here; colliding with it would be silent and confusing.
RESERVED_PORT = 4222

_PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)


def die_with(parent: int) -> None:
    """Runs in the forked child before exec: the kernel sends the server SIGTERM when the
    service dies, however it dies (SIGKILL included), so no server outlives it."""
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the service died before the line above took effect
        os._exit(1)


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # nats-server (Go) sets SO_REUSEADDR, so TIME_WAIT remnants of our own killed
        # server must not make us abandon the port clients already know.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def pick_free_port() -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((HOST, 0))
            port: int = sock.getsockname()[1]
        if port != RESERVED_PORT:
            return port


def pid_alive(pid: int) -> bool:
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


def is_our_server(pid: int, pid_file: Path) -> bool:
    # Pids get reused: only a process started with *this* pid file is ours to kill.
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return os.fsencode(pid_file) in args


async def wait_dead(pid: int, grace: float) -> bool:
    deadline = time.monotonic() + grace
    while pid_alive(pid):
        if time.monotonic() >= deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def server_in_pid_file(pid_file: Path) -> tuple[bool, str]:
    """Whether the server the pid file names is running, and what was found: by the pid
    file alone (never by port or process name, which another program may share)."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return False, f"no readable pid file at {pid_file}"
    if not pid_alive(pid):
        return False, f"pid {pid} (from {pid_file.name}) is not running"
    if not is_our_server(pid, pid_file):
        return False, f"pid {pid} is running but was not started with {pid_file.name}"
    return True, f"pid {pid} running"
