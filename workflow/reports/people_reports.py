"""The portfolio, equality, provider and annual-review reports, each made in one read of the
database (the routes' and `cpd report`'s one way to make them): parse the period, read,
compute. Each raises periods.InvalidPeriod for a period that is not one."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from datetime import date, timedelta

from workflow.directory import school_as_of
from workflow.reports.annual_review import annual_review_report
from workflow.reports.context import ReportContext
from workflow.reports.document import Report
from workflow.reports.equality import equality_report
from workflow.reports.people_readers import equality_facts, portfolio_facts, school_year_facts
from workflow.reports.periods import Period, TermDates, academic_year, date_range
from workflow.reports.portfolio import portfolio_report
from workflow.reports.providers import providers_report
from workflow.reports.request_facts import requests_starting


def portfolio_of(db: sqlite3.Connection, context: ReportContext, staff_id: str) -> Report | None:
    """None: nobody of that id in the directory."""
    facts = portfolio_facts(db, staff_id, context.now)
    return portfolio_report(facts, context.now) if facts is not None else None


def equality_of(
    db: sqlite3.Connection,
    context: ReportContext,
    first: date | str,
    last: date | str,
    schools: Collection[str],
    school_id: str | None = None,
) -> Report:
    """`school_id`: that school alone; none: `schools`, and their trusts as a whole."""
    period = date_range(first, last)
    chosen = [school_id] if school_id is not None else list(schools)
    found = equality_facts(db, period.first, period.last, chosen, school_id is None, context.now)
    asked = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    if school_id is not None:
        asked["school_id"] = school_id
    return equality_report(
        found.units,
        found.members,
        found.requests,
        found.sessions,
        (period.first, period.last),
        asked,
        context.now,
    )


def providers_of(
    db: sqlite3.Connection,
    context: ReportContext,
    first: date | str,
    last: date | str,
    schools: Collection[str],
) -> Report:
    period = date_range(first, last)
    terms = context.calendar.terms
    return providers_report(
        requests_starting(db, period.first, period.last, schools),
        [t.label for t in terms_touching(period, terms)],
        lambda day: terms.term_of(day).label,
        (period.first, period.last),
        {"from": period.first.isoformat(), "to": period.last.isoformat()},
        context.now,
    )


def annual_review_of(
    db: sqlite3.Connection, context: ReportContext, school_id: str, year: str
) -> Report | None:
    """None: no school of that id in the directory."""
    period = academic_year(year)
    school = school_as_of(db, school_id, context.now)
    if school is None:
        return None
    requests, sessions = school_year_facts(db, school_id, period.first, period.last)
    terms = context.calendar.terms
    return annual_review_report(
        (school_id, school.name),
        (period.label, period.first, period.last),
        requests,
        sessions,
        lambda day: terms.term_of(day).label,
        [t.label for t in terms_touching(period, terms)],
        context.now,
    )


def terms_touching(period: Period, terms: TermDates) -> list[Period]:
    """Every term with a day in `period`, in order."""
    found = [terms.term_of(period.first)]
    while found[-1].last < period.last:
        found.append(terms.term_of(found[-1].last + timedelta(days=1)))
    return found
