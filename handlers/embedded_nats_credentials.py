"""The embedded NATS server's user and password, made on its first start and kept with it.

They live in ``DATA_DIR/nats/credentials.json``; the server reads them from a config file
beside it, written at every start. Both files are created with mode 0600, never written
first and narrowed afterwards, so there is no moment when another user of the machine
could read them; a ``nats`` directory the service creates is 0700.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path

from handlers._processes import HOST

logger = logging.getLogger("cpd.embedded_nats")

CREDENTIALS_FILE = "credentials.json"
CONFIG_FILE = "nats-server.conf"
# Written unquoted into a URL and quoted into the server's config: nothing to escape.
_SAFE = re.compile(r"[A-Za-z0-9_.-]{1,200}")


class CredentialsError(ValueError):
    """The credentials file is there but unusable (a missing one is a FileNotFoundError)."""


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)

    def url(self, port: int) -> str:
        return f"nats://{self.user}:{self.password}@{HOST}:{port}"


def nats_dir(data_dir: Path) -> Path:
    return Path(data_dir).resolve() / "nats"


def credentials(data_dir: Path) -> Credentials:
    """The user and password a client needs to reach the embedded server of `data_dir`."""
    return _read(nats_dir(data_dir) / CREDENTIALS_FILE)


def client_url(data_dir: Path) -> str:
    """``nats://USER:PASSWORD@127.0.0.1:PORT``: the embedded server as a client reaches it,
    on the port it last listened on (``DATA_DIR/nats/port``)."""
    port = int((nats_dir(data_dir) / "port").read_text().strip())
    return credentials(data_dir).url(port)


def make_private_dir(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_dir():
        path.mkdir(mode=0o700, exist_ok=True)  # the mode is applied as it is created


def load_or_create(directory: Path) -> Credentials:
    """The server's credentials, generated the first time (a data directory from before
    credentials existed gets them at its next start)."""
    path = directory / CREDENTIALS_FILE
    if path.exists():
        _keep_private(path)
        return _read(path)
    made = Credentials(f"cpd-{secrets.token_hex(4)}", secrets.token_urlsafe(32))
    write_private(path, json.dumps({"user": made.user, "password": made.password}) + "\n")
    logger.info("generated the embedded NATS server's user and password in %s", path)
    return made


def write_config(directory: Path, creds: Credentials) -> Path:
    """The server's config: clients must give this user and password."""
    path = directory / CONFIG_FILE
    write_private(
        path,
        f"# Written by cpd-workflow at every start from {CREDENTIALS_FILE}; edits are lost.\n"
        "authorization {\n"
        f'  user: "{creds.user}"\n'
        f'  password: "{creds.password}"\n'
        "}\n",
    )
    return path


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text`, readable and writable by this user only."""
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)  # left by a crash mid-write
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _keep_private(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        # Restored from a backup or copied with a loose umask: narrow it again.
        logger.warning("%s was readable by others (mode %o); made it 0600", path, mode)
        path.chmod(0o600)


def _read(path: Path) -> Credentials:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        user, password = data["user"], data["password"]
    except FileNotFoundError:
        raise FileNotFoundError(
            errno.ENOENT, "no embedded NATS credentials yet (made at the first start)", str(path)
        ) from None
    except (ValueError, KeyError, TypeError) as error:
        raise CredentialsError(f"cannot read {path}: {error!r}") from None
    for value in (user, password):
        if not (isinstance(value, str) and _SAFE.fullmatch(value)):
            raise CredentialsError(
                f"{path}: user and password must be 1-200 letters, digits, '.', '_' or '-'; "
                "delete the file to have new ones made at the next start"
            )
    return Credentials(user, password)
