"""Reader: how each of a period's requests was decided, and when, from its history.

Approved means it reached `executive_approved` (also when the policy set passed that step
itself, as in a head-led school); rejected, by the head teacher (from `requested`) or the
executive lead (from `head_approved`). The first such step counts: a booking cancelled
returns a request to `executive_approved` without deciding it again.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from workflow.reports.periods import Period

Outcome = Literal["approved", "rejected_by_head", "rejected_by_executive"]


@dataclass(frozen=True)
class Decision:
    request_id: str
    outcome: Outcome
    submitted_at: datetime
    decided_at: datetime


def decisions_of(db: sqlite3.Connection, school_id: str, period: Period) -> dict[str, Decision]:
    rows = db.execute(
        "SELECT h.request_id, h.from_state, h.to_state, r.created_at, h.at"
        " FROM requests r JOIN history h ON h.request_id = r.request_id"
        " WHERE r.school_id = ? AND r.start_date BETWEEN ? AND ? AND h.outcome = 'applied'"
        " AND h.to_state IN ('executive_approved', 'rejected') ORDER BY h.request_id, h.seq",
        (school_id, period.first.isoformat(), period.last.isoformat()),
    ).fetchall()
    found: dict[str, Decision] = {}
    for request_id, from_state, to_state, submitted, decided in rows:
        if request_id in found:
            continue
        outcome: Outcome = "approved"
        if to_state == "rejected":
            outcome = "rejected_by_head" if from_state == "requested" else "rejected_by_executive"
        found[request_id] = Decision(
            request_id, outcome, datetime.fromisoformat(submitted), datetime.fromisoformat(decided)
        )
    return found
