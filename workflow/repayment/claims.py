"""Repayment claims as stored (table `repayment_claims`): written, decided and listed.

Plain sqlite3 on the caller's connection: the writer inside an event's transaction, or
the reader for the HTTP list.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

OPEN = "open"
CONFIRMED = "confirmed"
WAIVED = "waived"
STATUSES = (OPEN, CONFIRMED, WAIVED)

_COLUMNS = (
    "claim_id, request_id, staff_id, school_id, cost_gbp, school_share_gbp, amount_gbp,"
    " months_counted, months, training_ended_on, resigned_on, policy_id, policy_version,"
    " reason, terms, status, created_at, cause_source, cause_id, decided_at, decided_by,"
    " decision_note, decision_source, decision_id"
)


@dataclass(frozen=True)
class Claim:
    claim_id: str
    request_id: str
    staff_id: str
    school_id: str
    cost_gbp: str
    school_share_gbp: str
    amount_gbp: str
    months_counted: int
    months: int
    training_ended_on: str
    resigned_on: str
    policy_id: str
    policy_version: int
    reason: str  # the rule, its version, and how it was applied
    terms: dict[str, Any] | None  # terms agreed at approval; None: the policy's scale
    status: str
    created_at: str
    cause_source: str  # the staff.left it came from
    cause_id: str
    decided_at: str | None = None
    decided_by: str | None = None
    decision_note: str | None = None  # the waiver's reason, or a confirmation's comment
    decision_source: str | None = None
    decision_id: str | None = None

    def to_row(self) -> tuple[Any, ...]:
        values = [getattr(self, name.strip()) for name in _COLUMNS.split(",")]
        values[14] = json.dumps(self.terms) if self.terms is not None else None
        return tuple(values)

    @classmethod
    def from_row(cls, row: Iterable[Any]) -> Claim:
        values = list(row)
        values[14] = json.loads(values[14]) if values[14] is not None else None
        return cls(*values)


def insert(db: sqlite3.Connection, claim: Claim) -> bool:
    """Record a new claim; False when its request already has one (it is never claimed
    twice, even when HR corrects the resignation)."""
    placeholders = ", ".join("?" * len(_COLUMNS.split(",")))
    cursor = db.execute(
        f"INSERT INTO repayment_claims ({_COLUMNS}) VALUES ({placeholders}) ON CONFLICT DO NOTHING",
        claim.to_row(),
    )
    return cursor.rowcount == 1


def read(db: sqlite3.Connection, claim_id: str) -> Claim | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM repayment_claims WHERE claim_id = ?", (claim_id,)
    ).fetchone()
    return Claim.from_row(row) if row else None


def decide(
    db: sqlite3.Connection,
    claim_id: str,
    status: str,
    *,
    by: str,
    note: str | None,
    event: tuple[str, str],
    at: datetime,
) -> None:
    """Confirm or waive an open claim (the caller has checked it is open)."""
    db.execute(
        "UPDATE repayment_claims SET status = ?, decided_at = ?, decided_by = ?,"
        " decision_note = ?, decision_source = ?, decision_id = ?"
        " WHERE claim_id = ? AND status = 'open'",
        (status, at.isoformat(), by, note, *event, claim_id),
    )


def listed(
    db: sqlite3.Connection,
    *,
    school_id: str | None = None,
    status: str | None = None,
    schools: frozenset[str] | None = None,
    staff_id: str | None = None,
    limit: int = 500,
) -> list[Claim]:
    """Claims, newest first. `schools` / `staff_id` limit them to a person's reach: claims
    of those schools, or on that person (None: no limit)."""
    where, params = [], []
    if school_id is not None:
        where.append("school_id = ?")
        params.append(school_id)
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if schools is not None:
        reach = [f"school_id IN ({', '.join('?' * len(schools))})"] if schools else []
        if staff_id is not None:
            reach.append("staff_id = ?")
        where.append(f"({' OR '.join(reach) or '0'})")
        params.extend(sorted(schools))
        if staff_id is not None:
            params.append(staff_id)
    sql = f"SELECT {_COLUMNS} FROM repayment_claims"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY created_at DESC, claim_id LIMIT ?"
    return [Claim.from_row(r) for r in db.execute(sql, (*params, limit)).fetchall()]
