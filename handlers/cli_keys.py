"""`cpd keys create|list|revoke`: the API keys of the trust's client systems.

Works on the data directory's SQLite file directly, also while the service runs (WAL lets
both write); the service reads the key table on every request, so a key made or revoked
here counts at once. The serve lock is not taken: keys are not the service's to guard.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO, TypeVar

import click

from handlers.cli_shared import current_settings, data_dir_option, database_of, usable_data_dir
from handlers.settings import Settings
from schemas import INBOUND_DATA
from workflow.access import ACT_FOR_OTHERS, ADMIN, UnknownScope, key_hash, new_key, parse_scope
from workflow.access import valid_name as valid_key_name
from workflow.directory import acting_member
from workflow.store import api_keys
from workflow.store._migrations import migrate_connection

USAGE_ERROR, NOT_FOUND = 2, 1
T = TypeVar("T")


@click.group(help="API keys of client systems")
def keys() -> None:
    pass


@keys.command("create", help="make a key and print it (only this once)")
@click.option("--name", required=True, help="the client, e.g. staff-portal")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    help="post:PATTERN, read:requests, read:audit, read:reports, read:directory,"
    " read:metrics, act-for-others or admin; repeat for more",
)
@click.option("--as", "as_staff_id", help="the key acts only as this person")
@data_dir_option
def create_command(
    name: str, scopes: tuple[str, ...], as_staff_id: str | None, data_dir: Path | None
) -> None:
    database = _database_path(data_dir)
    click.get_current_context().exit(
        create(database, name, list(scopes), as_staff_id, sys.stdout, sys.stderr)
    )


@keys.command("list", help="every key: name, scopes, as, created, revoked")
@data_dir_option
def list_command(data_dir: Path | None) -> None:
    click.get_current_context().exit(listing(_database_path(data_dir), sys.stdout))


@keys.command("revoke", help="refuse a key from now on")
@click.argument("name")
@data_dir_option
def revoke_command(name: str, data_dir: Path | None) -> None:
    database = _database_path(data_dir)
    click.get_current_context().exit(revoke(database, name, sys.stdout, sys.stderr))


def _database_path(data_dir: Path | None) -> Path:
    settings = current_settings(data_dir=data_dir)
    usable_data_dir(settings)
    return database_of(settings)


def create(
    database: Path,
    name: str,
    scope_texts: list[str],
    as_staff_id: str | None,
    out: TextIO,
    err: TextIO,
) -> int:
    if not valid_key_name(name):
        print(
            f"cpd keys: invalid name '{name}': 1 to 64 letters, digits, '.', '_' or '-'",
            file=err,
        )
        return USAGE_ERROR
    try:
        scopes = sorted({parse_scope(text, INBOUND_DATA) for text in scope_texts})
    except UnknownScope as error:
        print(f"cpd keys: {error}", file=err)
        return USAGE_ERROR
    if as_staff_id is not None and {ADMIN, ACT_FOR_OTHERS} & set(scopes):
        print(
            "cpd keys: a key made --as a person acts only as them: it cannot also have"
            f" {ADMIN} or {ACT_FOR_OTHERS}",
            file=err,
        )
        return USAGE_ERROR
    key, now = new_key(), datetime.now(UTC)
    with _database(database) as db:
        try:
            hashed = key_hash(key)
            _in_transaction(db, lambda: api_keys.create(db, name, hashed, scopes, as_staff_id, now))
        except api_keys.KeyNameTaken:
            print(
                f"cpd keys: a key named '{name}' already exists (names are never reused, so"
                " history keeps meaning what it said): choose another name",
                file=err,
            )
            return USAGE_ERROR
        if as_staff_id is not None and acting_member(db, as_staff_id, now) is None:
            print(
                f"cpd keys: note: {as_staff_id} is not a current person of the directory;"
                " the key is refused until they are",
                file=err,
            )
    print(key, file=out)
    print(
        f"cpd keys: made key '{name}' ({' '.join(scopes)}). It is shown only once: store it"
        " now; the service keeps only its hash.",
        file=err,
    )
    return 0


def listing(database: Path, out: TextIO) -> int:
    with _database(database) as db:
        keys = api_keys.listing(db)
    if not keys:
        print("no keys: access is open unless the trust's sign-in is configured", file=out)
        return 0
    rows = [("name", "scopes", "as", "created", "revoked")]
    rows += [
        (k.name, " ".join(k.scopes), k.as_staff_id or "-", k.created_at, k.revoked_at or "-")
        for k in keys
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip(), file=out)
    return 0


def revoke(database: Path, name: str, out: TextIO, err: TextIO) -> int:
    now = datetime.now(UTC)
    with _database(database) as db:
        found = _in_transaction(db, lambda: api_keys.revoke(db, name, now))
        active = [k for k in api_keys.listing(db) if k.revoked_at is None]
    if found is None:
        print(f"cpd keys: no key named '{name}'", file=err)
        return NOT_FOUND
    print(f"revoked key '{name}' (at {found.revoked_at})", file=out)
    if not active:
        print(
            "cpd keys: no key is active now; the service stays closed (every request needing"
            " credentials is refused) until a key is made",
            file=out,
        )
    return 0


def access_configured(settings: Settings) -> bool:
    """Some key was made (revoked ones count) or the trust's sign-in is configured."""
    if settings.sign_in:
        return True
    if not settings.database_path.exists():
        return False
    with _database(settings.database_path) as db:
        return api_keys.any_keys(db)


@contextmanager
def _database(path: Path) -> Iterator[sqlite3.Connection]:
    """The service's database (WAL, as the service keeps it), made and migrated if the
    service has never run on it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        migrate_connection(db)
        yield db


def _in_transaction(db: sqlite3.Connection, work: Callable[[], T]) -> T:
    db.execute("BEGIN IMMEDIATE")
    try:
        result = work()
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return result
