"""Pages of requests, newest first: `GET /requests?school_id=&state=&staff_id=&cursor=`.

Keyset pagination on (created_at, request_id), which every filter's index ends with
(migration 12), so a page costs the same however deep it is and a request submitted
meanwhile never shifts the pages after it. The cursor is the last row's key, opaque to
clients (base64 of JSON): they hand back what they were given.
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from workflow.errors import DomainError

_NAMES = (
    "request_id",
    "state",
    "staff_id",
    "school_id",
    "title",
    "activity_type",
    "start_date",
    "end_date",
    "cost_gbp",
    "estimated_cost_gbp",
    "created_at",
    "updated_at",
)
_COLUMNS = ", ".join(_NAMES).replace("estimated_cost_gbp", "COALESCE(estimated_cost_gbp, cost_gbp)")


class InvalidCursor(DomainError):
    code = "invalid_cursor"


@dataclass(frozen=True)
class Filters:
    school_id: str | None = None
    state: str | None = None
    staff_id: str | None = None


@dataclass(frozen=True)
class Within:
    """What a person may read (None for both: everything): requests of these schools, and
    these people's own requests (theirs and their direct reports')."""

    schools: Collection[str] | None = None
    people: Collection[str] | None = None


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None  # None: this was the last page


def request_page(
    db: sqlite3.Connection, filters: Filters, within: Within, limit: int, cursor: str | None
) -> Page:
    clauses, args = _filtered(filters, within)
    if cursor is not None:
        clauses.append("(created_at, request_id) < (?, ?)")
        args += list(decode_cursor(cursor))
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM requests{where} ORDER BY created_at DESC, request_id DESC LIMIT ?",
        [*args, limit + 1],
    ).fetchall()
    items = [dict(zip(_NAMES, row, strict=True)) for row in rows[:limit]]
    if len(rows) <= limit or not items:
        return Page(items, None)
    return Page(items, encode_cursor(items[-1]["created_at"], items[-1]["request_id"]))


def _filtered(filters: Filters, within: Within) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    for column in ("school_id", "state", "staff_id"):
        value = getattr(filters, column)
        if value is not None:
            clauses.append(f"{column} = ?")
            args.append(value)
    if within.schools is not None or within.people is not None:
        schools, people = sorted(within.schools or ()), sorted(within.people or ())
        clauses.append(
            f"(school_id IN ({', '.join('?' * len(schools))})"
            f" OR staff_id IN ({', '.join('?' * len(people))}))"
        )
        args += [*schools, *people]
    return clauses, args


def encode_cursor(created_at: str, request_id: str) -> str:
    raw = json.dumps([created_at, request_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(raw)
    except (binascii.Error, ValueError):
        key = None
    if not (isinstance(key, list) and len(key) == 2 and all(isinstance(k, str) for k in key)):
        raise InvalidCursor("cursor is not one this service gave: start again without it")
    return key[0], key[1]
