"""Which schema a database file is at, and refusing one newer than this code knows.

A release only ever migrates forward: a file written by a newer release may hold tables and
rules this one would misread, so it is refused, never opened, and never "migrated" back.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from workflow.errors import DomainError


class SchemaTooNew(DomainError):
    code = "schema_too_new"

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"this database is at schema {found}, newer than this version of cpd-workflow"
            f" knows ({known}): upgrade cpd-workflow or restore a backup"
        )
        self.found = found
        self.known = known


def known_schema() -> int:
    """The schema this code migrates a database to."""
    from workflow.store._migrations import MIGRATIONS  # the migrations import this module

    return len(MIGRATIONS)


def refuse_newer(found: int) -> None:
    """Raise SchemaTooNew when `found` (a file's `user_version`) is past what we know."""
    if found > known_schema():
        raise SchemaTooNew(found, known_schema())


def schema_of(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def check_file(path: Path) -> int:
    """The schema of the database at `path` (read only, nothing created), or SchemaTooNew."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)) as db:
        found = schema_of(db)
    refuse_newer(found)
    return found


def refusal(path: Path) -> str | None:
    """Why this code must not open the database at `path`, in one line; None when it may
    (or there is no file yet). For commands that check before they start anything."""
    if not path.is_file():
        return None
    try:
        check_file(path)
    except SchemaTooNew as error:
        return f"{path}: {error}"
    return None
