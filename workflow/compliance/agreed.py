"""CPD agreed in appraisal (`appraisal.cpd_agreed`), and whether the school provided it.

An appraisal agrees CPD with a member of staff; policy 002 holds no teacher to account for
CPD the school did not provide. An item is provided once a request naming it
(`agreed_item_id`) is completed, or a session naming it is recorded. `subject` is the staff
id. Posted by their line manager, a head teacher or CPD lead of their school, or a trust
system (the appraisal system) whose key allows it; posting an item again replaces it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any

from schemas.compliance import CPD_AGREED
from workflow.compliance import rules
from workflow.compliance.errors import AgreedItemExists, UnknownAgreedItem
from workflow.directory import staff_as_of
from workflow.directory.rules import UnknownStaff, check_subject
from workflow.store.families import Family, FamilyEvent

BY_REQUEST, BY_SESSION = "request", "session"
_ITEM = "agreed_item_id, staff_id, appraisal_cycle, description, agreed_on, agreed_by"


def agree(e: FamilyEvent) -> None:
    data, item = e.data, e.data["agreed_item_id"]
    check_subject(e.event.subject, data["staff_id"], "staff_id")
    person = staff_as_of(e.db, data["staff_id"], e.now)
    if person is None:
        raise UnknownStaff(f"no member of staff '{data['staff_id']}' in the directory")
    managers = {person.line_manager_id} if person.line_manager_id else set()
    rules.check_actor(
        e.db,
        e.event.actor,
        e.now,
        school_id=person.school_id,
        doing=f"record CPD agreed in {person.staff_id}'s appraisal",
        rule="who_may.agree_cpd",
        people=managers,
    )
    owner = e.db.execute("SELECT staff_id FROM agreed_cpd WHERE agreed_item_id = ?", (item,))
    found = owner.fetchone()
    if found is not None and found[0] != person.staff_id:
        raise AgreedItemExists(f"agreed item '{item}' is {found[0]}'s, not {person.staff_id}'s")
    e.db.execute(
        f"INSERT INTO agreed_cpd ({_ITEM}, recorded_at, event_source, event_id, actor)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agreed_item_id) DO UPDATE SET"
        " appraisal_cycle = excluded.appraisal_cycle, description = excluded.description,"
        " agreed_on = excluded.agreed_on, agreed_by = excluded.agreed_by, recorded_at ="
        " excluded.recorded_at, event_source = excluded.event_source, event_id ="
        " excluded.event_id, actor = excluded.actor",
        (
            item,
            person.staff_id,
            data["appraisal_cycle"],
            data["description"],
            data["agreed_on"],
            data["agreed_by"],
            e.now.isoformat(),
            e.event.source,
            e.event.id,
            e.event.actor,
        ),
    )


def check_known(db: sqlite3.Connection, items: Sequence[str]) -> None:
    """A session may only provide items that were agreed (a typo would provide nothing)."""
    unknown = [
        i
        for i in items
        if db.execute("SELECT 1 FROM agreed_cpd WHERE agreed_item_id = ?", (i,)).fetchone() is None
    ]
    if unknown:
        raise UnknownAgreedItem(f"no CPD agreed in appraisal as: {', '.join(unknown)}")


def provided(db: sqlite3.Connection, item: str, by: str, source_id: str, on: date) -> None:
    db.execute(
        "INSERT INTO agreed_cpd_provided (agreed_item_id, provided_by, source_id, provided_on)"
        " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (item, by, source_id, on.isoformat()),
    )


def agreed_for(db: sqlite3.Connection, staff_id: str) -> list[dict[str, Any]]:
    """Every item agreed with a person, newest cycle first, each with what provided it."""
    rows = db.execute(
        f"SELECT {_ITEM} FROM agreed_cpd WHERE staff_id = ?"
        " ORDER BY appraisal_cycle DESC, agreed_on, agreed_item_id",
        (staff_id,),
    ).fetchall()
    items = []
    for item, staff, cycle, description, agreed_on, agreed_by in rows:
        by = db.execute(
            "SELECT provided_by, source_id, provided_on FROM agreed_cpd_provided"
            " WHERE agreed_item_id = ? ORDER BY provided_on, source_id",
            (item,),
        ).fetchall()
        items.append(
            {
                "agreed_item_id": item,
                "staff_id": staff,
                "appraisal_cycle": cycle,
                "description": description,
                "agreed_on": agreed_on,
                "agreed_by": agreed_by,
                "provided": bool(by),
                "provided_by": [{"kind": k, "id": i, "on": on} for k, i, on in by],
            }
        )
    return items


AGREED_CPD = Family("agreed_cpd", frozenset({CPD_AGREED}), agree)
