"""`cpd restore SRC --data-dir D [--force]`: a backup made a data directory again.

Checked before anything is written: the manifest, every file's SHA-256, a schema this
version knows. The data directory's lock (the one `cpd serve` holds) is taken for the
whole restore, so a running service refuses it, with no override, and none can start
meanwhile. The configuration files in the backup are not written anywhere: they are
listed, for the operator to put back where the settings name them.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from pathlib import Path

from handlers import backup_inbound
from handlers.backup_files import (
    DATA,
    INBOUND,
    BackupError,
    Manifest,
    read_jsonl,
    read_manifest,
    verify,
    write_private,
)
from handlers.data_dir_lock import DataDirectoryInUse, DataDirectoryLock
from workflow.store.schema import refuse_newer

# What `cpd serve` keeps in a data directory: all `--force` may remove. Anything else
# there means D is not a data directory, and nothing is touched.
_SERVICE_FILES = frozenset(
    {"cpd.sqlite3", "cpd.sqlite3-wal", "cpd.sqlite3-shm", "cpd.sqlite3-journal"}
    | {"link-secret", "nats", "mail", "cpd-serve.lock"}
)


class DataDirectoryNotEmpty(BackupError):
    pass


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    files: list[str]
    unapplied: int


def restore_backup(
    source: Path, data_dir: Path, *, force: bool = False, inbound_max_bytes: int = 1 << 30
) -> Restored:
    """Raises BackupError (damaged, newer, not empty), SchemaTooNew or DataDirectoryInUse,
    each before anything in `data_dir` is changed."""
    manifest = read_manifest(source)
    refuse_newer(manifest.schema_version)
    verify(source, manifest)
    lock = DataDirectoryLock(data_dir)
    try:
        lock.acquire(None)
    except DataDirectoryInUse as refusal:
        raise DataDirectoryInUse(f"{refusal} (it holds {lock.path})") from None
    try:
        _clear(data_dir, lock.path.name, force)
        files = [f.path for f in manifest.files if f.path.startswith(f"{DATA}/")]
        for path in files:
            write_private(data_dir / path.removeprefix(f"{DATA}/"), (source / path).read_bytes())
        messages = [backup_inbound.Message.from_line(m) for m in read_jsonl(source / INBOUND)]
        if messages:
            asyncio.run(backup_inbound.put_back(data_dir, messages, inbound_max_bytes))
        return Restored(manifest, files, len(messages))
    finally:
        lock.release()


def _clear(data_dir: Path, lock_name: str, force: bool) -> None:
    present = sorted(p for p in data_dir.iterdir() if p.name != lock_name)
    if not present:
        return
    names = ", ".join(p.name for p in present[:5]) + (", ..." if len(present) > 5 else "")
    if not force:
        raise DataDirectoryNotEmpty(
            f"{data_dir} is not empty ({names}): give --force to replace what is in it"
        )
    foreign = [p.name for p in present if p.name not in _SERVICE_FILES]
    if foreign:
        raise DataDirectoryNotEmpty(
            f"{data_dir} holds files that are not a data directory's ({', '.join(foreign)}):"
            " nothing was removed; restore into a data directory or an empty one"
        )
    for path in present:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
