"""The directory's rows: versioned staff and school records, and delegations.

Plain sqlite3 functions that run inside the caller's transaction (the writer) or on the
reader; `at` is always an aware datetime, stored in UTC in a fixed format so that text
order is time order.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime

from workflow.directory.records import Delegation, School, StaffMember

_STAFF_AS_OF = (
    "SELECT record, valid_from FROM staff_versions WHERE staff_id = ? AND valid_from <= ?"
    " ORDER BY version DESC LIMIT 1"
)
_SCHOOL_AS_OF = (
    "SELECT record, valid_from FROM school_versions WHERE school_id = ? AND valid_from <= ?"
    " ORDER BY version DESC LIMIT 1"
)
_LATEST = "SELECT record, valid_from FROM {table} WHERE {key} = ? ORDER BY version DESC LIMIT 1"


@dataclass(frozen=True)
class Cause:
    """The HR event a row came from, kept beside it for the audit."""

    source: str
    event_id: str
    actor: str


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def save_staff(db: sqlite3.Connection, member: StaffMember, cause: Cause) -> int:
    """Add `member` as the newest version of their record; returns its version number."""
    version = _next_version(db, "staff_versions", "staff_id", member.staff_id)
    db.execute(
        "INSERT INTO staff_versions (staff_id, version, valid_from, school_id, roles, record,"
        " event_source, event_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            member.staff_id,
            version,
            utc(member.valid_from),
            member.school_id,
            _roles_text(member),
            json.dumps(member.to_record()),
            cause.source,
            cause.event_id,
            cause.actor,
        ),
    )
    return version


def save_school(db: sqlite3.Connection, school: School, cause: Cause) -> int:
    version = _next_version(db, "school_versions", "school_id", school.school_id)
    db.execute(
        "INSERT INTO school_versions (school_id, version, valid_from, record, event_source,"
        " event_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            school.school_id,
            version,
            utc(school.valid_from),
            json.dumps(school.to_record()),
            cause.source,
            cause.event_id,
            cause.actor,
        ),
    )
    return version


def staff_as_of(db: sqlite3.Connection, staff_id: str, at: datetime) -> StaffMember | None:
    """Who this person was, with which roles, at `at` (None: not yet in the directory).
    A leaver's record still answers, with `left_on`; `can_act_at` says if they could act."""
    row = db.execute(_STAFF_AS_OF, (staff_id, utc(at))).fetchone()
    return _member(row) if row else None


def school_as_of(db: sqlite3.Connection, school_id: str, at: datetime) -> School | None:
    row = db.execute(_SCHOOL_AS_OF, (school_id, utc(at))).fetchone()
    return _school(row) if row else None


def latest_staff(db: sqlite3.Connection, staff_id: str) -> StaffMember | None:
    """The newest version, whatever the clock says (the one an upsert replaces)."""
    sql = _LATEST.format(table="staff_versions", key="staff_id")
    row = db.execute(sql, (staff_id,)).fetchone()
    return _member(row) if row else None


def staff_versions(db: sqlite3.Connection, staff_id: str) -> list[StaffMember]:
    rows = db.execute(
        "SELECT record, valid_from FROM staff_versions WHERE staff_id = ? ORDER BY version",
        (staff_id,),
    ).fetchall()
    return [_member(row) for row in rows]


def schools_as_of(db: sqlite3.Connection, at: datetime) -> dict[str, School]:
    """Every school known at `at`, by id."""
    rows = db.execute(
        "SELECT record, valid_from FROM school_versions v WHERE valid_from <= ?1 AND version ="
        " (SELECT MAX(version) FROM school_versions w WHERE w.school_id = v.school_id"
        " AND w.valid_from <= ?1)",
        (utc(at),),
    ).fetchall()
    return {school.school_id: school for school in map(_school, rows)}


def staff_with_role_as_of(
    db: sqlite3.Connection, role: str, at: datetime, school_id: str | None = None
) -> list[StaffMember]:
    """Everyone whose record at `at` lists `role` (leavers included; callers filter); with
    `school_id`, only those whose record names that school (their own or an extra one)."""
    sql = (
        "SELECT record, valid_from FROM staff_versions v WHERE valid_from <= ?1"
        " AND roles LIKE ?2 AND version = (SELECT MAX(version) FROM staff_versions w"
        " WHERE w.staff_id = v.staff_id AND w.valid_from <= ?1)"
    )
    args = [utc(at), f"%;{role};%"]
    if school_id is not None:
        # A cheap superset (the school's id anywhere in the record); callers check exactly.
        sql += " AND (school_id = ?3 OR instr(record, ?4) > 0)"
        args += [school_id, json.dumps(school_id)]
    rows = db.execute(sql + " ORDER BY staff_id", args).fetchall()
    return [_member(row) for row in rows]


def staff_of_school_as_of(
    db: sqlite3.Connection, school_id: str, at: datetime
) -> list[StaffMember]:
    """Everyone whose record at `at` has `school_id` as their own school (leavers included;
    callers filter), by staff id."""
    rows = db.execute(
        "SELECT record, valid_from FROM staff_versions v WHERE school_id = ?2 AND valid_from <= ?1"
        " AND version = (SELECT MAX(version) FROM staff_versions w WHERE w.staff_id = v.staff_id"
        " AND w.valid_from <= ?1) ORDER BY staff_id",
        (utc(at), school_id),
    ).fetchall()
    return [_member(row) for row in rows]


def staff_ids_by_email(db: sqlite3.Connection, email: str) -> list[str]:
    """Everyone any of whose records has this e-mail, ignoring case (staff_by_email index)."""
    rows = db.execute(
        "SELECT DISTINCT staff_id FROM staff_versions"
        " WHERE lower(json_extract(record, '$.email')) = lower(?) ORDER BY staff_id",
        (email,),
    ).fetchall()
    return [row[0] for row in rows]


def staff_ids_managed_by(db: sqlite3.Connection, staff_id: str) -> list[str]:
    """Everyone any of whose records names `staff_id` as line manager (index
    staff_by_line_manager); callers check the record as of their moment."""
    rows = db.execute(
        "SELECT DISTINCT staff_id FROM staff_versions"
        " WHERE json_extract(record, '$.line_manager_id') = ? ORDER BY staff_id",
        (staff_id,),
    ).fetchall()
    return [row[0] for row in rows]


def save_delegation(db: sqlite3.Connection, delegation: Delegation, cause: Cause) -> None:
    db.execute(
        "INSERT INTO delegations (from_staff_id, to_staff_id, step, starts, ends, granted_at,"
        " event_source, event_id, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            delegation.from_staff_id,
            delegation.to_staff_id,
            delegation.step,
            delegation.starts.isoformat(),
            delegation.ends.isoformat(),
            utc(delegation.granted_at),
            cause.source,
            cause.event_id,
            cause.actor,
        ),
    )


def revoke_delegations(
    db: sqlite3.Connection, from_staff_id: str, to_staff_id: str, step: str | None, at: datetime
) -> int:
    """End early every delegation from one person to another (for one step, or all)."""
    sql = (
        "UPDATE delegations SET revoked_at = ? WHERE from_staff_id = ? AND to_staff_id = ?"
        " AND revoked_at IS NULL"
    )
    args: list[str] = [utc(at), from_staff_id, to_staff_id]
    if step is not None:
        sql, args = sql + " AND step = ?", [*args, step]
    return db.execute(sql, args).rowcount


def delegations_for_step(
    db: sqlite3.Connection, step: str, on: date, *, to_staff_id: str | None = None
) -> list[Delegation]:
    """Delegations of `step` whose window includes the school date `on` (revoked or not)."""
    sql = (
        "SELECT from_staff_id, to_staff_id, step, starts, ends, granted_at, revoked_at,"
        " event_source, event_id FROM delegations WHERE step = ? AND starts <= ? AND ends >= ?"
    )
    args = [step, on.isoformat(), on.isoformat()]
    if to_staff_id is not None:
        sql, args = sql + " AND to_staff_id = ?", [*args, to_staff_id]
    rows = db.execute(sql + " ORDER BY id", args).fetchall()
    return [
        Delegation(
            from_staff_id=r[0],
            to_staff_id=r[1],
            step=r[2],
            starts=date.fromisoformat(r[3]),
            ends=date.fromisoformat(r[4]),
            granted_at=datetime.fromisoformat(r[5]),
            revoked_at=datetime.fromisoformat(r[6]) if r[6] else None,
            event_source=r[7],
            event_id=r[8],
        )
        for r in rows
    ]


def _next_version(db: sqlite3.Connection, table: str, key: str, value: str) -> int:
    row = db.execute(f"SELECT MAX(version) FROM {table} WHERE {key} = ?", (value,)).fetchone()
    return int(row[0] or 0) + 1


def _roles_text(member: StaffMember) -> str:
    # ';teacher;cpd_lead;' so that LIKE '%;cpd_lead;%' finds a role without parsing JSON.
    return ";" + ";".join(sorted(member.roles)) + ";"


def _member(row: tuple[str, str]) -> StaffMember:
    return StaffMember.from_record(json.loads(row[0]), datetime.fromisoformat(row[1]))


def _school(row: tuple[str, str]) -> School:
    record = json.loads(row[0])
    return School(
        school_id=record["school_id"],
        name=record["name"],
        valid_from=datetime.fromisoformat(row[1]),
        policy_id=record.get("policy_id"),
        trust_id=record.get("trust_id"),
        nation=record.get("nation"),
        term_dates=record.get("term_dates"),
    )
