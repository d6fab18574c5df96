"""The termly report for one school's governors: every figure of the term, section by
section, from the school's figures (school_figures.py)."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

from workflow.compliance.validity import Status
from workflow.reports import explained
from workflow.reports.context import ReportContext
from workflow.reports.document import Cell, Chart, Column, Report, Section, Table, Unit
from workflow.reports.periods import term
from workflow.reports.school_figures import SchoolFigures, school_figures
from workflow.reports.termly_practice import follow_through_section, hours_section
from workflow.reports.termly_spending import money_section

HOURS = Decimal("0.01")  # days and hours to 2 decimal places, as they are given
STATE_TITLES = {
    "requested": "Awaiting the head teacher",
    "head_approved": "Awaiting the executive lead",
    "executive_approved": "Approved, to be booked",
    "booked": "Booked",
    "completed": "Completed",
    "evaluated": "Evaluated",
    "disseminated": "Disseminated",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
    "not_attended": "Not attended",
}
GBP: Unit = "GBP"
STANDINGS = (Status.VALID, Status.EXPIRING, Status.EXPIRED, Status.MISSING)


def termly_report(
    db: sqlite3.Connection, context: ReportContext, school_id: str, term_label: str
) -> Report:
    """Raises periods.InvalidPeriod for a term that is not one."""
    period = term(term_label, context.calendar_for(db, school_id).terms)
    found = school_figures(db, context, school_id, period)
    season, year = period.label.split("-")[1], period.label.split("-")[0]
    return Report(
        kind="termly",
        title=f"CPD report for the governors: {found.name}, {season} term {year}",
        parameters={"school_id": school_id, "term": period.label},
        period_from=period.first,
        period_to=period.last,
        generated_at=context.now,
        sections=sections(found),
    )


def sections(f: SchoolFigures) -> tuple[Section, ...]:
    return (
        requests_section(f),
        decisions_section(f),
        money_section(f),
        cover_section(f),
        follow_through_section(f),
        statutory_section(f),
        agreed_section(f),
        hours_section(f),
    )


def requests_section(f: SchoolFigures) -> Section:
    table = Table(
        "requests_by_state",
        "Requests by state",
        (
            Column("state", "State", "text"),
            Column("title", "Meaning", "text"),
            Column("requests", "Requests"),
        ),
        (
            *((s, STATE_TITLES[s], n) for s, n in f.states.items()),
            ("total", "All requests", len(f.requests)),
        ),
    )
    chart = Chart("Requests by state", "requests_by_state", "title", ("requests",))
    return Section("Requests", (table,), (chart,), explained.REQUESTS)


def decisions_section(f: SchoolFigures) -> Section:
    d = f.decisions
    rows: list[tuple[Cell, ...]] = [
        ("approved", "Approved", d.approved.count, d.approved.median_school_days),
        (
            "rejected_by_head",
            "Rejected by the head teacher",
            d.rejected_by_head.count,
            d.rejected_by_head.median_school_days,
        ),
        (
            "rejected_by_executive",
            "Rejected by the executive lead",
            d.rejected_by_executive.count,
            d.rejected_by_executive.median_school_days,
        ),
        ("rejected", "Rejected at either stage", d.rejected.count, d.rejected.median_school_days),
        ("awaiting", "Awaiting a decision", d.awaiting, None),
    ]
    table = Table(
        "decisions",
        "Approvals and rejections",
        (
            Column("decision", "Decision", "text"),
            Column("title", "Meaning", "text"),
            Column("requests", "Requests"),
            Column("median_school_days", "Median school days to decision", "days"),
        ),
        tuple(rows),
    )
    return Section("Approvals and rejections", (table,), (), explained.DECISIONS)


def cover_section(f: SchoolFigures) -> Section:
    table = Table(
        "supply_cover",
        "Supply cover",
        (
            Column("training", "Training", "text"),
            Column("requests", "Requests with cover"),
            Column("days", "Days of cover", "days"),
            Column("cost_gbp", "Cost of cover", GBP),
        ),
        tuple(
            (name, c.requests, c.days.quantize(HOURS), c.cost.quantize(HOURS))
            for name, c in (
                ("Taken place", f.cover_taken),
                ("Approved, still to come", f.cover_to_come),
            )
        ),
    )
    return Section("Supply cover", (table,), (), explained.COVER)


def statutory_section(f: SchoolFigures) -> Section:
    table = Table(
        "statutory_training",
        "Statutory training",
        (
            Column("kind", "Training", "text"),
            *(Column(s.value, s.value.capitalize()) for s in STANDINGS),
        ),
        tuple((k.kind, *(k.counts[s] for s in STANDINGS)) for k in f.statutory),
    )
    return Section("Statutory compliance", (table,), (), explained.STATUTORY)


def agreed_section(f: SchoolFigures) -> Section:
    provided = sum(1 for a in f.agreed if a.provided)
    summary = Table(
        "agreed_cpd",
        "CPD agreed in appraisal",
        (
            Column("appraisal_cycle", "Appraisal cycle", "text"),
            Column("agreed", "Agreed"),
            Column("provided", "Provided"),
            Column("not_provided", "Not yet provided"),
        ),
        ((f.period.academic_year, len(f.agreed), provided, len(f.agreed) - provided),),
    )
    missing = Table(
        "agreed_cpd_not_provided",
        "Agreed CPD not yet provided",
        (
            Column("staff_id", "Member of staff", "text"),
            Column("agreed_item_id", "Item", "text"),
            Column("description", "Agreed CPD", "text"),
            Column("agreed_on", "Agreed on", "date"),
        ),
        tuple(
            (a.staff_id, a.agreed_item_id, a.description, a.agreed_on)
            for a in f.agreed
            if not a.provided
        ),
    )
    return Section("Agreed CPD not yet provided", (summary, missing), (), explained.AGREED)
