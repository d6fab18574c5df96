"""Searching the audit chain: `GET /audit` and `cpd audit search` (workflow/audit/search.py
says what may be asked).

Keyset pages on `seq`. Each filter has an index ending in seq (migration 16), so a page
is read in order and stops at its limit; `staff_id=` walks the person's entries in
`audit_people` (about them, acted by them, reminders to them) and reads each entry once.
A person's reach (the schools they read whole, the people whose requests they read, and
entries they are named in) is one more condition.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from workflow.audit.chain import COLUMNS
from workflow.audit.search import NEWEST, AuditSearch, encode_cursor


@dataclass(frozen=True)
class Reader:
    """Whose entries a person may read (None: a caller reading everything)."""

    staff_id: str | None
    schools: Collection[str]
    people: Collection[str]


@dataclass(frozen=True)
class AuditPage:
    entries: list[dict[str, Any]]
    next_cursor: str | None  # None: the last page


def search(db: sqlite3.Connection, asked: AuditSearch, reader: Reader | None = None) -> AuditPage:
    sql, args = _query(asked, reader)
    rows = db.execute(sql, args).fetchall()
    entries = [dict(zip(COLUMNS, row, strict=True)) for row in rows[: asked.limit]]
    if len(rows) <= asked.limit:
        return AuditPage(entries, None)
    return AuditPage(entries, encode_cursor(asked.order, entries[-1]["seq"]))


def explain(db: sqlite3.Connection, asked: AuditSearch, reader: Reader | None = None) -> list[str]:
    """SQLite's plan for the search (for the benchmark and the tests of the indexes)."""
    sql, args = _query(asked, reader)
    return [row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", args)]


def _query(asked: AuditSearch, reader: Reader | None) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    for column, value in asked.exact.items():
        clauses.append(f"a.{column} = ?")
        args.append(value)
    window = asked.window
    for op, bound in ((">=", window.since), ("<", window.before), ("<=", window.until)):
        if bound is not None:
            clauses.append(f"a.at {op} ?")
            args.append(bound)
    # Walk the person's own index in seq order (CROSS JOIN: SQLite keeps the order given).
    source, key = "audit a", "a.seq"
    if asked.staff_id is not None:
        source, key = "audit_people p CROSS JOIN audit a ON a.seq = p.seq", "p.seq"
        clauses.append("p.staff_id = ?")
        args.append(asked.staff_id)
    if asked.after is not None:
        clauses.append(f"{key} {'<' if asked.order == NEWEST else '>'} ?")
        args.append(asked.after)
    if reader is not None:
        clause, more = _within(reader)
        clauses.append(clause)
        args += more
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    columns = ", ".join(f"a.{c}" for c in COLUMNS)
    direction = "DESC" if asked.order == NEWEST else "ASC"
    sql = f"SELECT {columns} FROM {source}{where} ORDER BY {key} {direction} LIMIT ?"
    return sql, [*args, asked.limit + 1]


def _within(reader: Reader) -> tuple[str, list[Any]]:
    schools, people = sorted(reader.schools), sorted(reader.people)
    named = "a.seq IN (SELECT seq FROM audit_people WHERE staff_id = ?)"
    clause = (
        f"(a.school_id IN ({', '.join('?' * len(schools))})"
        f" OR a.staff_id IN ({', '.join('?' * len(people))}) OR {named})"
    )
    return clause, [*schools, *people, reader.staff_id or ""]
