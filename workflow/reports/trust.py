"""The trust summary for trustees over any period: the termly report's figures for every
school side by side (a row per school), with spending per member of staff."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from workflow.reports import explained
from workflow.reports.context import ReportContext
from workflow.reports.document import Chart, Column, Report, Section, Table, Unit
from workflow.reports.periods import date_range
from workflow.reports.school_figures import SchoolFigures, school_figures
from workflow.reports.termly import STANDINGS, STATE_TITLES
from workflow.reports.trust_practice import follow_through_section, hours_section

GBP: Unit = "GBP"
SCHOOL = (Column("school_id", "School", "text"), Column("name", "Name", "text"))


def trust_report(
    db: sqlite3.Connection,
    context: ReportContext,
    school_ids: Sequence[str],
    first: date | str,
    last: date | str,
) -> Report:
    """Raises periods.InvalidPeriod for a period that is not one."""
    period = date_range(first, last)
    found = sorted(
        (school_figures(db, context, s, period) for s in school_ids),
        key=lambda f: (f.name, f.school_id),
    )
    return Report(
        kind="trust",
        title=f"CPD summary for the trustees: {_day(period.first)} to {_day(period.last)}",
        parameters={"from": period.first.isoformat(), "to": period.last.isoformat()},
        period_from=period.first,
        period_to=period.last,
        generated_at=context.now,
        sections=(
            requests_section(found),
            decisions_section(found),
            money_section(found),
            cover_section(found),
            follow_through_section(found),
            statutory_section(found),
            hours_section(found),
        ),
    )


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def requests_section(schools: list[SchoolFigures]) -> Section:
    states = list(STATE_TITLES)
    table = Table(
        "requests_by_state",
        "Requests by state",
        (
            *SCHOOL,
            Column("trust", "Trust", "text"),
            Column("staff", "Staff"),
            *(Column(s, STATE_TITLES[s]) for s in states),
            Column("total", "All requests"),
        ),
        tuple(
            (f.school_id, f.name, f.trust, f.staff, *(f.states[s] for s in states), len(f.requests))
            for f in schools
        ),
    )
    chart = Chart("Requests by school", "requests_by_state", "name", ("total",))
    return Section("Requests", (table,), (chart,), explained.REQUESTS + explained.STAFF[:1])


def decisions_section(schools: list[SchoolFigures]) -> Section:
    table = Table(
        "decisions",
        "Approvals and rejections",
        (
            *SCHOOL,
            Column("approved", "Approved"),
            Column("approved_median_school_days", "Median school days to approval", "days"),
            Column("rejected_by_head", "Rejected by the head teacher"),
            Column("rejected_by_executive", "Rejected by the executive lead"),
            Column("rejected", "Rejected at either stage"),
            Column("rejected_median_school_days", "Median school days to rejection", "days"),
            Column("awaiting", "Awaiting a decision"),
        ),
        tuple(
            (
                f.school_id,
                f.name,
                f.decisions.approved.count,
                f.decisions.approved.median_school_days,
                f.decisions.rejected_by_head.count,
                f.decisions.rejected_by_executive.count,
                f.decisions.rejected.count,
                f.decisions.rejected.median_school_days,
                f.decisions.awaiting,
            )
            for f in schools
        ),
    )
    return Section("Approvals and rejections", (table,), (), explained.DECISIONS)


def money_section(schools: list[SchoolFigures]) -> Section:
    spending = Table(
        "spending",
        "Spending against the budget, and per member of staff",
        (
            *SCHOOL,
            Column("financial_years", "Financial years", "text"),
            Column("budget_gbp", "Budget", GBP),
            Column("years_committed_gbp", "Committed in the years", GBP),
            Column("years_spent_gbp", "Spent in the years", GBP),
            Column("years_remaining_gbp", "Remaining in the years", GBP),
            Column("committed_gbp", "Committed in the period", GBP),
            Column("spent_gbp", "Spent in the period", GBP),
            Column("staff", "Staff"),
            Column("spent_per_staff_gbp", "Spent per member of staff", GBP),
        ),
        tuple(
            (
                f.school_id,
                f.name,
                ", ".join(y.label for y in f.years),
                f.budget,
                sum((y.committed for y in f.years), Decimal("0.00")),
                sum((y.spent for y in f.years), Decimal("0.00")),
                _remaining(f),
                f.money.committed,
                f.money.spent,
                f.staff,
                f.spent_per_staff,
            )
            for f in schools
        ),
    )
    line = (
        Column("requests", "Requests"),
        Column("committed_gbp", "Committed", GBP),
        Column("spent_gbp", "Spent", GBP),
    )
    priorities = Table(
        "spend_by_priority",
        "Spending by SIP priority",
        (
            SCHOOL[0],
            Column("priority", "Priority", "text"),
            Column("title", "Title", "text"),
            *line,
        ),
        tuple(
            (f.school_id, p.key, p.title, p.requests, p.committed, p.spent)
            for f in schools
            for p in f.by_priority
        ),
    )
    activities = Table(
        "spend_by_activity",
        "Spending by activity type",
        (SCHOOL[0], Column("activity_type", "Activity type", "text"), *line),
        tuple(
            (f.school_id, a.key, a.requests, a.committed, a.spent)
            for f in schools
            for a in f.by_activity
        ),
    )
    charts = (
        Chart(
            "Committed and spent in the period", "spending", "name", ("committed_gbp", "spent_gbp")
        ),
        Chart("Spent per member of staff", "spending", "name", ("spent_per_staff_gbp",)),
    )
    return Section(
        "Spending", (spending, priorities, activities), charts, explained.MONEY + explained.STAFF
    )


def _remaining(f: SchoolFigures) -> Decimal | None:
    left = [y.remaining for y in f.years if y.remaining is not None]
    return sum(left, Decimal("0.00")) if left else None


def cover_section(schools: list[SchoolFigures]) -> Section:
    table = Table(
        "supply_cover",
        "Supply cover",
        (
            *SCHOOL,
            Column("taken_requests", "Taken place: requests"),
            Column("taken_days", "Taken place: days", "days"),
            Column("taken_cost_gbp", "Taken place: cost", GBP),
            Column("to_come_requests", "To come: requests"),
            Column("to_come_days", "To come: days", "days"),
            Column("to_come_cost_gbp", "To come: cost", GBP),
        ),
        tuple(
            (
                f.school_id,
                f.name,
                f.cover_taken.requests,
                _2dp(f.cover_taken.days),
                _2dp(f.cover_taken.cost),
                f.cover_to_come.requests,
                _2dp(f.cover_to_come.days),
                _2dp(f.cover_to_come.cost),
            )
            for f in schools
        ),
    )
    return Section("Supply cover", (table,), (), explained.COVER)


def statutory_section(schools: list[SchoolFigures]) -> Section:
    table = Table(
        "statutory_training",
        "Statutory training",
        (
            *SCHOOL,
            Column("kind", "Training", "text"),
            *(Column(s.value, s.value.capitalize()) for s in STANDINGS),
        ),
        tuple(
            (f.school_id, f.name, k.kind, *(k.counts[s] for s in STANDINGS))
            for f in schools
            for k in f.statutory
        ),
    )
    return Section("Statutory compliance", (table,), (), explained.STATUTORY)


def _2dp(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))
