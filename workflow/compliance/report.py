"""A school's compliance list: for each person of the school and each statutory kind their
roles require under the school's policy set, where they stand today."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from workflow.compliance import qualifications
from workflow.compliance.validity import StatutoryStanding, status_on
from workflow.directory import members_of
from workflow.model import local_today
from workflow.policy import PolicySet


@dataclass(frozen=True)
class Compliance:
    school_id: str
    policy: PolicySet
    on: date  # today at the school, the day each status is judged by
    rows: list[StatutoryStanding]


def compliance_of(
    db: sqlite3.Connection, school_id: str, policy: PolicySet, now: datetime
) -> Compliance:
    """`policy`: the version of the school's set in force now."""
    today = local_today(policy, now)
    people = members_of(db, school_id, now)
    held = qualifications.last_valid_days(db, (p.staff_id for p in people))
    rows = []
    for person in people:
        kinds = sorted({k for role in person.roles for k in policy.statutory_training_for(role)})
        for kind in kinds:
            until = held.get((person.staff_id, kind))
            rows.append(
                StatutoryStanding(
                    person.staff_id, person.name, kind, status_on(today, until), until
                )
            )
    return Compliance(school_id, policy, today, rows)
