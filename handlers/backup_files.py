"""What a backup directory holds and how its files are written: `manifest.json` and
private files (0600, in 0700 directories), each with its SHA-256.

    manifest.json            what follows, the schema, the service's version, when
    data/cpd.sqlite3         the database: one self-contained file (no WAL beside it)
    data/link-secret         signs form links: links in mail already sent keep working
    data/nats/credentials.json   the embedded NATS user and password (clients keep theirs)
    inbound.jsonl            messages accepted into the embedded stream, not yet applied
    config/<setting>/...     the policy directory, term dates... as the settings named them
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

MANIFEST = "manifest.json"
DATA = "data"
DATABASE = "cpd.sqlite3"
INBOUND = "inbound.jsonl"
CONFIG = "config"
# Secrets of the data directory a restored service needs to go on as before.
SECRETS = ("link-secret", "nats/credentials.json")


class BackupError(RuntimeError):
    """The backup cannot be taken, read or restored; the message says why, in one line."""


class BackupFile(BaseModel):
    path: str = Field(description="relative to the backup directory, with /")
    sha256: str
    bytes: int


class Configuration(BaseModel):
    setting: str = Field(description="the CPD_ variable that named it")
    was: str = Field(description="where it was when the backup was taken")
    kind: Literal["file", "directory"]
    copied_to: str = Field(description="relative to the backup directory")


class Unapplied(BaseModel):
    """Events accepted (acknowledged to their sender) but not yet applied at the copy."""

    broker: Literal["embedded", "external"]
    messages: int
    complete: bool
    note: str


class Manifest(BaseModel):
    format: Literal[1] = 1
    service_version: str
    schema_version: int
    taken_at: str
    data_dir: str
    files: list[BackupFile]
    configuration: list[Configuration]
    unapplied: Unapplied


def make_private_dirs(path: Path) -> None:
    """`path` and any missing parents, each made 0700 as it is created."""
    if not path.is_dir():
        make_private_dirs(path.parent)
        path.mkdir(mode=0o700, exist_ok=True)


def create_private(path: Path) -> None:
    """An empty file readable by this user only, from the moment it exists."""
    make_private_dirs(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))


def write_private(path: Path, data: bytes) -> None:
    create_private(path)
    with path.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def describe(root: Path, path: Path) -> BackupFile:
    with path.open("rb") as file:
        digest = hashlib.file_digest(file, "sha256").hexdigest()
    return BackupFile(
        path=path.relative_to(root).as_posix(), sha256=digest, bytes=path.stat().st_size
    )


def write_manifest(root: Path, manifest: Manifest) -> None:
    write_private(root / MANIFEST, (manifest.model_dump_json(indent=2) + "\n").encode())


def read_manifest(root: Path) -> Manifest:
    try:
        return Manifest.model_validate_json((root / MANIFEST).read_bytes())
    except FileNotFoundError:
        raise BackupError(f"{root} is not a cpd backup: it has no {MANIFEST}") from None
    except (OSError, ValidationError) as error:
        first = error.errors()[0]["msg"] if isinstance(error, ValidationError) else error
        raise BackupError(f"{root / MANIFEST} cannot be read: {first}") from None


def verify(root: Path, manifest: Manifest) -> None:
    """Every file the manifest lists is there, inside the backup, as it was written."""
    for listed in manifest.files:
        path = (root / listed.path).resolve()
        if not path.is_relative_to(root.resolve()):
            raise BackupError(f"{MANIFEST} names {listed.path!r}, outside the backup")
        if not path.is_file():
            raise BackupError(f"{listed.path} is missing from the backup {root}")
        if describe(root.resolve(), path).sha256 != listed.sha256:
            raise BackupError(
                f"{listed.path} in {root} is not the file backed up (its SHA-256 differs):"
                " the backup is damaged"
            )


def read_jsonl(path: Path) -> list[dict[str, object]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
