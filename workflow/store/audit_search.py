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
from workflow.audit.search import NEWEST, AuditSearch, Window, encode_cursor


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
    sql, args = _query(asked, reader, _seq_range(db, asked.window))
    rows = db.execute(sql, args).fetchall()
    entries = [dict(zip(COLUMNS, row, strict=True)) for row in rows[: asked.limit]]
    if len(rows) <= asked.limit:
        return AuditPage(entries, None)
    return AuditPage(entries, encode_cursor(asked.order, entries[-1]["seq"]))


def explain(db: sqlite3.Connection, asked: AuditSearch, reader: Reader | None = None) -> list[str]:
    """SQLite's plan for the search (for the benchmark and the tests of the indexes)."""
    sql, args = _query(asked, reader, _seq_range(db, asked.window))
    return [row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", args)]


def _seq_range(db: sqlite3.Connection, window: Window) -> tuple[int, int] | None:
    """The window as seq numbers, when times never went backwards along the chain (no
    entry in audit_time_steps): then its entries are one run of seqs, found at its two
    ends in the index on `at`. Otherwise None, and `at` alone is compared, entry by entry."""
    if window == Window() or db.execute("SELECT 1 FROM audit_time_steps LIMIT 1").fetchone():
        return None
    first = last = None
    if window.since is not None:
        first = db.execute(_FIRST_FROM, (window.since,)).fetchone()
    if window.before is not None:
        last = db.execute(_LAST_BEFORE, (window.before,)).fetchone()
    if window.until is not None:
        last = db.execute(_LAST_UNTIL, (window.until,)).fetchone()
    empty = (window.since is not None and first is None) or (
        (window.before or window.until) is not None and last is None
    )
    if empty:
        return 1, 0
    return (first[0] if first else 1), (last[0] if last else _LAST_SEQ)


_FIRST_FROM = "SELECT seq FROM audit WHERE at >= ? ORDER BY at, seq LIMIT 1"
_LAST_BEFORE = "SELECT seq FROM audit WHERE at < ? ORDER BY at DESC, seq DESC LIMIT 1"
_LAST_UNTIL = "SELECT seq FROM audit WHERE at <= ? ORDER BY at DESC, seq DESC LIMIT 1"
_LAST_SEQ = 2**63 - 1


def _query(
    asked: AuditSearch, reader: Reader | None, seqs: tuple[int, int] | None
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    for column, value in asked.exact.items():
        clauses.append(f"a.{column} = ?")
        args.append(value)
    if asked.exact.get("outcome", "applied") != "applied":
        clauses.append("a.outcome != 'applied'")  # the partial index of the rare outcomes
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
    if seqs is not None:
        clauses.append(f"{key} BETWEEN ? AND ?")
        args += list(seqs)
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
    me = reader.staff_id or ""
    named = "a.seq IN (SELECT seq FROM audit_people WHERE staff_id = ?)"
    clause = f"(a.school_id IN ({_marks(schools)}) OR a.staff_id IN ({_marks(people)}) OR {named})"
    if schools:
        return clause, [*schools, *people, me]
    # No whole school: only entries naming these people can be theirs, so those (a small
    # set, in seq order) are read instead of the whole chain. Every entry names its subject.
    them = sorted({*people, me})
    driver = f"a.seq IN (SELECT seq FROM audit_people WHERE staff_id IN ({_marks(them)}))"
    return f"{driver} AND {clause}", [*them, *people, me]


def _marks(values: list[str]) -> str:
    return ", ".join("?" * len(values))
