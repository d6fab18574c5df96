"""The `api_keys` table: each client's key hash, scopes and the person it acts as.

Plain sqlite3 functions: the service reads on its reader, `cpd keys` writes from its own
connection while the service runs (WAL lets both at once).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime


class KeyNameTaken(ValueError):
    pass


@dataclass(frozen=True)
class KeyRecord:
    name: str
    scopes: tuple[str, ...]
    as_staff_id: str | None
    created_at: str
    revoked_at: str | None = None


_COLUMNS = "name, scopes, as_staff_id, created_at, revoked_at"


def create(
    db: sqlite3.Connection,
    name: str,
    key_hash: str,
    scopes: list[str],
    as_staff_id: str | None,
    now: datetime,
) -> KeyRecord:
    """Inside the caller's transaction. A name is never reused, even once revoked."""
    record = KeyRecord(name, tuple(scopes), as_staff_id, now.isoformat())
    try:
        db.execute(
            "INSERT INTO api_keys (name, key_hash, scopes, as_staff_id, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (name, key_hash, json.dumps(scopes), as_staff_id, record.created_at),
        )
    except sqlite3.IntegrityError as error:
        raise KeyNameTaken(name) from error
    return record


def revoke(db: sqlite3.Connection, name: str, now: datetime) -> KeyRecord | None:
    """The key as it now stands (revoked at its first revocation), or None if unknown."""
    db.execute(
        "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
        (now.isoformat(), name),
    )
    row = db.execute(f"SELECT {_COLUMNS} FROM api_keys WHERE name = ?", (name,)).fetchone()
    return _record(row) if row else None


def listing(db: sqlite3.Connection) -> list[KeyRecord]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM api_keys ORDER BY name").fetchall()
    return [_record(row) for row in rows]


def lookup(db: sqlite3.Connection, key_hash: str | None) -> tuple[bool, KeyRecord | None]:
    """Whether any key was ever made (revoked ones count: revoking the last key must not
    open the service), and the key with this hash, revoked or not."""
    if key_hash is not None:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM api_keys WHERE key_hash = ?", (key_hash,)
        ).fetchone()
        if row is not None:
            return True, _record(row)
    return db.execute("SELECT EXISTS (SELECT 1 FROM api_keys)").fetchone()[0] == 1, None


def any_keys(db: sqlite3.Connection) -> bool:
    return lookup(db, None)[0]


def _record(row: tuple[str, str, str | None, str, str | None]) -> KeyRecord:
    return KeyRecord(row[0], tuple(json.loads(row[1])), row[2], row[3], row[4])
