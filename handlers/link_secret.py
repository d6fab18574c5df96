"""The secret that signs the links in mail, kept in the data directory.

Made on first start and kept for good (a new one would turn every link already sent into
a dead one), readable by the service's user only.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

FILE_NAME = "link-secret"


def link_secret(data_dir: Path) -> str:
    path = data_dir / FILE_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        _create(path)
    if path.stat().st_mode & 0o077:  # copied in with looser permissions: tighten them
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


def _create(path: Path) -> None:
    """Whole or not at all: written aside, then linked into place unless another process
    got there first (then theirs stands)."""
    partial = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_urlsafe(32) + "\n")
        file.flush()
        os.fsync(file.fileno())
    try:
        with contextlib.suppress(FileExistsError):
            os.link(partial, path)
    finally:
        partial.unlink()
