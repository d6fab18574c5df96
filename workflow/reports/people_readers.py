"""What the portfolio, equality and annual-review reports read from the store: each function
runs on one connection (a read-only snapshot) and hands its report's pure function what it needs."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from workflow.compliance import agreed_for, of_person
from workflow.directory import SCHOOL_ZONE, School, staff_as_of
from workflow.directory.store import school_as_of, schools_as_of
from workflow.reports.equality import Unit
from workflow.reports.portfolio import PortfolioFacts
from workflow.reports.request_facts import RequestFacts, requests_of_person, requests_starting
from workflow.reports.session_facts import SessionFacts, sessions_attended_by, sessions_between
from workflow.reports.staff_groups import Members, members, versions_during


def portfolio_facts(db: sqlite3.Connection, staff_id: str, now: datetime) -> PortfolioFacts | None:
    """None: nobody of that id in the directory (a leaver's portfolio still reads)."""
    person = staff_as_of(db, staff_id, now)
    if person is None:
        return None
    school = school_as_of(db, person.school_id, now)
    return PortfolioFacts(
        person=person,
        school_name=school.name if school is not None else person.school_id,
        requests=requests_of_person(db, staff_id),
        sessions=sessions_attended_by(db, staff_id),
        qualifications=of_person(db, staff_id),
        agreed=agreed_for(db, staff_id),
        today=now.astimezone(SCHOOL_ZONE).date(),
    )


def trusts_of(schools: Mapping[str, School]) -> dict[str, list[str]]:
    """Each trust's key (`School.trust`) and its schools, by id."""
    found: defaultdict[str, list[str]] = defaultdict(list)
    for school in sorted(schools.values(), key=lambda s: s.school_id):
        found[school.trust].append(school.school_id)
    return dict(found)


@dataclass(frozen=True)
class EqualityFacts:
    units: Sequence[Unit]
    members: Members
    requests: Sequence[RequestFacts]
    sessions: Sequence[SessionFacts]


def equality_facts(
    db: sqlite3.Connection,
    first: date,
    last: date,
    school_ids: Collection[str],
    whole_trusts: bool,
    now: datetime,
) -> EqualityFacts:
    """`school_ids`: the schools reported; `whole_trusts`: each of their trusts reported as
    well (a trust of one school is not repeated as a trust)."""
    schools = schools_as_of(db, now)
    units = [Unit(s, _name(schools, s), (s,)) for s in sorted(school_ids)]
    trusts = trusts_of({s: schools[s] for s in school_ids if s in schools}) if whole_trusts else {}
    for key, members_of in sorted(trusts.items()):
        if len(members_of) > 1:
            title = f"Trust-wide ({_trust_name(key)})"
            units.append(Unit(f"trust_{key}", title, tuple(sorted(members_of)), is_trust=True))
    wanted = {s for u in units for s in u.schools}
    return EqualityFacts(
        units=units,
        members=members(versions_during(db, first, last)),
        requests=requests_starting(db, first, last, wanted),
        sessions=sessions_between(db, first, last, wanted),
    )


def school_year_facts(
    db: sqlite3.Connection, school_id: str, first: date, last: date
) -> tuple[list[RequestFacts], list[SessionFacts]]:
    return (
        requests_starting(db, first, last, [school_id]),
        sessions_between(db, first, last, [school_id]),
    )


def _name(schools: Mapping[str, School], school_id: str) -> str:
    school = schools.get(school_id)
    return school.name if school is not None else school_id


def _trust_name(key: str) -> str:
    return key.removeprefix("school:")
