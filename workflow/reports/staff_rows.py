"""Reader: how many staff a school had during a period, for spend per member of staff.

Counted: everyone whose directory record made the school their own school on some day of
the period (a record holds from when HR posted it until the next), who had started by its
last day and not left before its first, and who holds a role other than governor, chair of
governors or trustee (people who govern are not staff). A leaver during the period counts;
so does someone who moved school during it, at both schools.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from workflow.reports.periods import Period

NOT_STAFF = frozenset({"governor", "chair_of_governors", "trustee"})


def staff_count(db: sqlite3.Connection, school_id: str, period: Period) -> int:
    rows = db.execute(
        "SELECT staff_id, school_id, valid_from, until, record FROM ("
        " SELECT staff_id, school_id, valid_from, record, LEAD(valid_from)"
        " OVER (PARTITION BY staff_id ORDER BY version) AS until FROM staff_versions"
        " WHERE staff_id IN (SELECT staff_id FROM staff_versions WHERE school_id = ?))"
        " WHERE school_id = ? AND valid_from < ? AND (until IS NULL OR until >= ?)",
        (
            school_id,
            school_id,
            (period.last + timedelta(days=1)).isoformat(),
            period.first.isoformat(),
        ),
    ).fetchall()
    counted = set()
    first, last = period.first.isoformat(), period.last.isoformat()
    for staff_id, _, _, _, record_text in rows:
        record = json.loads(record_text)
        if set(record.get("roles", ())) <= NOT_STAFF:
            continue
        if (record.get("started_on") or first) > last:
            continue
        if (record.get("left_on") or last) < first:
            continue
        counted.add(staff_id)
    return len(counted)
