"""Conversions between stored rows and domain objects."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from workflow.model import CpdRequest

REQUEST_COLUMNS = (
    "request_id, state, staff_id, school_id, title, activity_type, provider, start_date,"
    " end_date, cost_gbp, version, last_seq, created_at, updated_at, details,"
    " estimated_cost_gbp, policy_id, policy_version, dissemination"
)


def request_from_row(row: Any) -> tuple[CpdRequest, int]:
    """The request, and the last history sequence number written for it."""
    request = CpdRequest(
        request_id=row[0],
        state=row[1],
        staff_id=row[2],
        school_id=row[3],
        title=row[4],
        activity_type=row[5],
        provider=row[6],
        start_date=date.fromisoformat(row[7]),
        end_date=date.fromisoformat(row[8]),
        cost_gbp=Decimal(row[9]),
        version=row[10],
        created_at=datetime.fromisoformat(row[12]),
        updated_at=datetime.fromisoformat(row[13]),
        details=json.loads(row[14]),
        estimated_cost_gbp=Decimal(row[15]) if row[15] is not None else None,
        policy_id=row[16],
        policy_version=int(row[17]),
        dissemination=row[18],
    )
    return request, int(row[11])


def request_to_row(request: CpdRequest, last_seq: int) -> tuple[Any, ...]:
    assert request.created_at is not None and request.updated_at is not None
    return (
        request.request_id,
        request.state,
        request.staff_id,
        request.school_id,
        request.title,
        request.activity_type,
        request.provider,
        request.start_date.isoformat(),
        request.end_date.isoformat(),
        str(request.cost_gbp),
        request.version,
        last_seq,
        request.created_at.isoformat(),
        request.updated_at.isoformat(),
        dumps(request.details),
        str(request.estimate),
        request.policy_id,
        request.policy_version,
        request.dissemination,
    )


def dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


def read_request(db: sqlite3.Connection, request_id: str) -> CpdRequest | None:
    """The request as committed so far on `db` (inside a transaction: as it stands in it)."""
    row = db.execute(
        f"SELECT {REQUEST_COLUMNS} FROM requests WHERE request_id = ?", (request_id,)
    ).fetchone()
    return request_from_row(row)[0] if row else None
