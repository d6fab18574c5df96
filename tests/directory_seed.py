"""A staff directory for tests that are about something else: the people their events name.

Written straight into the store's directory tables, as the HR system's events would leave
them, from a moment long before any test's clock, so every test's actors are known and
hold their roles whatever time the test runs at. Tests about the directory itself post
its events instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from workflow.directory import rules
from workflow.directory import store as rows
from workflow.directory.records import School
from workflow.store import Store

SEEDED_AT = datetime(2020, 1, 1, tzinfo=UTC)
SEED = rows.Cause("urn:test:directory-seed", "seed", "hr-sync")
TRUST = "trust-test"


@dataclass(frozen=True)
class Person:
    staff_id: str
    school_id: str
    roles: tuple[str, ...] = ("teacher",)
    line_manager_id: str | None = None
    extra_school_ids: tuple[str, ...] = ()


def seed(db: sqlite3.Connection, schools: Iterable[str], people: Iterable[Person]) -> None:
    """Every school in one trust (so trust-wide roles reach them all), then the people."""
    for school_id in schools:
        if rows.school_as_of(db, school_id, SEEDED_AT) is None:
            school = School(school_id, school_id.title(), SEEDED_AT, None, TRUST)
            rows.save_school(db, school, SEED)
    for person in people:
        if rows.latest_staff(db, person.staff_id) is not None:
            continue
        data = {
            "staff_id": person.staff_id,
            "name": person.staff_id.replace("-", " ").title(),
            "email": f"{person.staff_id.lower()}@trust.example",
            "school_id": person.school_id,
            "roles": list(person.roles),
            "line_manager_id": person.line_manager_id,
            "extra_school_ids": list(person.extra_school_ids),
            "contract": "full_time",
            "started_on": "2019-09-01",
        }
        rows.save_staff(db, rules.upserted(None, data, SEEDED_AT), SEED)


async def seed_store(store: Store, schools: Iterable[str], people: Iterable[Person]) -> None:
    school_list, person_list = list(schools), list(people)
    await store.transaction(lambda db: seed(db, school_list, person_list))
