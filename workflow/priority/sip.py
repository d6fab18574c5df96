"""`sip.updated`: a school's School Improvement Plan priorities, kept per school.

Each update is a new version of the school's SIP (the latest wins; earlier ones stay, so
what a past queue was judged by can be read back). Who may post it: a head teacher or CPD
lead of the school, or a system (an actor the directory does not know: the HTTP edge
already lets only keys allowed `post:sip.*` post it, and a person only as themselves).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

from schemas.sip import SIP_UPDATED
from workflow.authorisation.rules import NotAuthorised, UnknownActor
from workflow.directory import queries
from workflow.directory import store as directory_rows
from workflow.directory.rules import check_subject
from workflow.errors import DomainError
from workflow.policy.vocabulary import Role
from workflow.store._events import SERVICE_ACTORS
from workflow.store.families import Family, FamilyEvent

# Who may set a school's SIP, besides a system.
SIP_ROLES = frozenset({Role.HEAD_TEACHER, Role.CPD_LEAD})


class UnknownSchool(DomainError):
    code = "unknown_school"


def apply_sip_updated(e: FamilyEvent) -> None:
    school_id = str(e.data["school_id"])
    check_subject(e.event.subject, school_id, "school_id")
    if directory_rows.school_as_of(e.db, school_id, e.now) is None:
        raise UnknownSchool(f"school '{school_id}' is not in the staff directory")
    _check_poster(e, school_id)
    priorities = [{"code": p["code"], "title": p["title"]} for p in e.data["priorities"]]
    version = e.db.execute(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM sip_versions WHERE school_id = ?",
        (school_id,),
    ).fetchone()[0]
    e.db.execute(
        "INSERT INTO sip_versions (school_id, version, priorities, updated_at, event_source,"
        " event_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            school_id,
            version,
            json.dumps(priorities),
            directory_rows.utc(e.now),
            e.event.source,
            e.event.id,
            e.event.actor,
        ),
    )


def _check_poster(e: FamilyEvent, school_id: str) -> None:
    actor = str(e.event.actor)
    if actor in SERVICE_ACTORS:
        raise UnknownActor(f"'{actor}' is the service's own name: an event cannot act as it")
    if directory_rows.staff_as_of(e.db, actor, e.now) is None:
        return  # not a person of the directory: a system, which the HTTP edge let post it
    if queries.acting_member(e.db, actor, e.now) is None:
        raise UnknownActor(f"'{actor}' has left and can no longer act")
    if not SIP_ROLES & queries.roles_for_school(e.db, actor, school_id, e.now):
        raise NotAuthorised(
            f"'{actor}' may not update the SIP of {school_id}: it needs a head teacher or"
            " CPD lead of the school, or a system (rule who_may.update_sip)"
        )


def latest_sip(db: sqlite3.Connection, school_id: str) -> Mapping[str, str] | None:
    """The school's SIP priorities as code -> title; None when none was ever posted."""
    row = db.execute(
        "SELECT priorities FROM sip_versions WHERE school_id = ? ORDER BY version DESC LIMIT 1",
        (school_id,),
    ).fetchone()
    if row is None:
        return None
    return {p["code"]: p["title"] for p in json.loads(row[0])}


FAMILY = Family("sip", frozenset({SIP_UPDATED}), apply_sip_updated)
