"""Policy-set versions as they were first loaded, kept beside the requests they govern."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from workflow.policy.defaults import DEFAULT_POLICY_ID
from workflow.policy.policy_set import PolicySet
from workflow.policy.sections import FROM_STORE


def remembered(db: sqlite3.Connection) -> list[PolicySet]:
    rows = db.execute("SELECT rules FROM policy_versions ORDER BY policy_id, version")
    return [
        PolicySet.model_validate_json(rules, context={FROM_STORE: True})
        for (rules,) in rows.fetchall()
    ]


def keep(db: sqlite3.Connection, sets: Iterable[PolicySet], now: datetime) -> None:
    """Keep every version not kept yet; a kept one is never overwritten."""
    db.executemany(
        "INSERT INTO policy_versions (policy_id, version, rules, loaded_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        [
            (s.id, s.version, s.model_dump_json(), now.isoformat())
            for s in sets
            if s.id != DEFAULT_POLICY_ID  # code, shaped by CPD_FOLLOW_UP_POLICY: read afresh
        ],
    )
