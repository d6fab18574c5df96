"""`cpd backup DEST`: a consistent copy of a data directory, taken while the service runs.

The database is copied with SQLite's online backup in one step from a read-only
connection: one snapshot, as of a commit, while the service goes on writing (WAL lets it).
Beside it go the secrets a restored service needs (backup_files.SECRETS), the files of
the configuration the settings name, and, on the embedded broker, the messages accepted
but not applied as of that snapshot (backup_inbound.py). Everything is written into a
hidden directory first and renamed to DEST at the end: a half-made backup never looks whole.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from handlers import backup_inbound
from handlers.backup_files import (
    CONFIG,
    DATA,
    DATABASE,
    INBOUND,
    SECRETS,
    BackupError,
    Configuration,
    Manifest,
    Unapplied,
    create_private,
    describe,
    make_private_dirs,
    write_manifest,
    write_private,
)
from handlers.data_dir_lock import DataDirectoryInUse, DataDirectoryLock
from handlers.settings import Settings
from workflow.store import Tracked
from workflow.store._tracking import read as read_tracking
from workflow.store.schema import refuse_newer, schema_of

# Settings that name configuration files or directories, copied under config/<setting>/.
# A setting that names another (a directory of per-school term dates) is one more name.
CONFIGURATION = ("policy_dir", "term_dates", "term_dates_dir", "follow_up_policy")
READER = "nats:CPD_INBOUND"  # the tracking record of the embedded stream


def take_backup(settings: Settings, dest: Path, now: datetime | None = None) -> Manifest:
    """Write the backup to `dest` (absent or empty); BackupError says why it could not."""
    source = settings.database_path
    if not source.is_file():
        raise BackupError(f"no database at {source}: nothing to back up (give --data-dir)")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} already exists and is not an empty directory")
    work = dest.parent / f".{dest.name}.partial-{secrets.token_hex(4)}"
    make_private_dirs(dest.parent)
    work.mkdir(mode=0o700)
    lock = DataDirectoryLock(settings.data_dir)
    try:
        with contextlib.suppress(DataDirectoryInUse):
            lock.acquire(None)  # no service: none may start until the copy is taken
        manifest = _take(settings, work, not lock.held, now or datetime.now(UTC))
        if dest.is_dir():
            dest.rmdir()  # empty, as checked
        work.rename(dest)
        return manifest
    finally:
        lock.release()
        shutil.rmtree(work, ignore_errors=True)


def _take(settings: Settings, work: Path, running: bool, now: datetime) -> Manifest:
    if settings.broker_url is None:
        schema, messages, unapplied = asyncio.run(_copy_embedded(settings, work, running))
    else:
        schema, _ = copy_database(settings.database_path, work / DATA / DATABASE)
        messages, unapplied = (
            [],
            Unapplied(
                broker="external",
                messages=0,
                complete=False,
                note="messages not yet applied stay with the broker at CPD_BROKER_URL",
            ),
        )
    write_private(work / INBOUND, "".join(m.line() + "\n" for m in messages).encode())
    for name in SECRETS:
        found = settings.data_dir / name
        if found.is_file():
            write_private(work / DATA / name, found.read_bytes())
    configuration = [_copy_configuration(settings, name, work) for name in CONFIGURATION]
    files = sorted(p for p in work.rglob("*") if p.is_file())
    manifest = Manifest(
        service_version=version("cpd-workflow"),
        schema_version=schema,
        taken_at=now.isoformat(),
        data_dir=str(settings.data_dir.resolve()),
        files=[describe(work, p) for p in files],
        configuration=[c for c in configuration if c is not None],
        unapplied=unapplied,
    )
    write_manifest(work, manifest)
    return manifest


async def _copy_embedded(
    settings: Settings, work: Path, running: bool
) -> tuple[int, list[backup_inbound.Message], Unapplied]:
    def copy() -> tuple[int, Tracked | None]:
        return copy_database(settings.database_path, work / DATA / DATABASE)

    async with backup_inbound.embedded_stream(settings.data_dir, running) as js:
        return await backup_inbound.copy_with_unapplied(js, copy, _live_position(settings))


def copy_database(source: Path, target: Path) -> tuple[int, Tracked | None]:
    """The online backup into `target` (made private first), checked whole; returns its
    schema and how far it had applied the embedded stream."""
    target.unlink(missing_ok=True)  # a retry's earlier copy
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)) as live:
        refuse_newer(schema_of(live))
        create_private(target)
        with closing(sqlite3.connect(target, isolation_level=None)) as copy:
            live.backup(copy)  # all pages in one step: one snapshot, the service writing on
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, nothing beside it
            checked = copy.execute("PRAGMA integrity_check").fetchall()
            if checked != [("ok",)]:
                raise BackupError(f"the copy of {source} failed its integrity check: {checked}")
            return schema_of(copy), _tracked(copy)


def _live_position(settings: Settings) -> Tracked | None:
    with closing(sqlite3.connect(f"file:{settings.database_path}?mode=ro", uri=True)) as live:
        return _tracked(live)


def _tracked(db: sqlite3.Connection) -> Tracked | None:
    try:
        return read_tracking(db, READER)
    except sqlite3.OperationalError:  # a schema from before tracking
        return None


def _copy_configuration(settings: Settings, name: str, work: Path) -> Configuration | None:
    named: Path | None = getattr(settings, name, None)
    if named is None:
        return None
    into, setting = work / CONFIG / name, f"CPD_{name.upper()}"
    if named.is_file():
        write_private(into / named.name, named.read_bytes())
        copied_to = into.relative_to(work).as_posix()
        return Configuration(
            setting=setting, was=str(named.resolve()), kind="file", copied_to=copied_to
        )
    if not named.is_dir():
        raise BackupError(f"{setting} names {named}, which does not exist")
    for path in sorted(p for p in named.rglob("*") if p.is_file()):
        write_private(into / path.relative_to(named), path.read_bytes())
    copied_to = into.relative_to(work).as_posix()
    return Configuration(
        setting=setting, was=str(named.resolve()), kind="directory", copied_to=copied_to
    )
