"""One service per data directory: an exclusive lock held for the life of the process.

`flock` is released by the kernel however the holder dies, so a killed service never
leaves a stale lock; the file's text only says who holds it, for the refusal message.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from pathlib import Path


class DataDirectoryInUse(RuntimeError):
    pass


class DataDirectoryLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "cpd-serve.lock"
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, port: int | None) -> None:
        """Take the lock or raise DataDirectoryInUse naming the process that has it."""
        if self._fd is not None:
            return
        # Private from the start: it holds personal data and the broker's credentials.
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited by children
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DataDirectoryInUse(self._refusal()) from None
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "port": port}).encode())
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            os.close(fd)

    def _refusal(self) -> str:
        try:
            holder = json.loads(self.path.read_text() or "{}")
        except (OSError, ValueError):
            holder = {}
        return (
            f"data directory {self.path.parent} is in use by another cpd serve"
            f" (pid {holder.get('pid', '?')}, HTTP port {holder.get('port', '?')});"
            " stop it first, or give this one another --data-dir"
        )
