"""The termly report's spending section: against the budget, by SIP priority, by activity."""

from __future__ import annotations

from workflow.reports import explained
from workflow.reports.document import Chart, Column, Section, Table, Unit
from workflow.reports.money_rows import NOTHING
from workflow.reports.school_figures import SchoolFigures

GBP: Unit = "GBP"


def money_section(f: SchoolFigures) -> Section:
    budget = Table(
        "budget",
        "Spending against the budget",
        (
            Column("financial_year", "Financial year", "text"),
            Column("budget_gbp", "Budget", GBP),
            Column("term_committed_gbp", "Committed this term", GBP),
            Column("term_spent_gbp", "Spent this term", GBP),
            Column("year_committed_gbp", "Committed in the year", GBP),
            Column("year_spent_gbp", "Spent in the year", GBP),
            Column("year_remaining_gbp", "Remaining in the year", GBP),
        ),
        tuple(
            (
                y.label,
                y.budget,
                f.money_by_year.get(y.label, NOTHING).committed,
                f.money_by_year.get(y.label, NOTHING).spent,
                y.committed,
                y.spent,
                y.remaining,
            )
            for y in f.years
        ),
    )
    return Section(
        "Spending",
        (budget, priority_table(f), activity_table(f)),
        (
            Chart(
                "The year's budget, committed and spent",
                "budget",
                "financial_year",
                ("budget_gbp", "year_committed_gbp", "year_spent_gbp"),
            ),
            Chart(
                "Spending by SIP priority",
                "spend_by_priority",
                "title",
                ("committed_gbp", "spent_gbp"),
            ),
            Chart(
                "Spending by activity type",
                "spend_by_activity",
                "title",
                ("committed_gbp", "spent_gbp"),
            ),
        ),
        explained.MONEY,
    )


def priority_table(f: SchoolFigures) -> Table:
    return Table(
        "spend_by_priority",
        "Spending by SIP priority",
        (
            Column("priority", "Priority", "text"),
            Column("title", "Title", "text"),
            Column("requests", "Requests"),
            Column("committed_gbp", "Committed", GBP),
            Column("spent_gbp", "Spent", GBP),
        ),
        tuple((p.key, p.title, p.requests, p.committed, p.spent) for p in f.by_priority),
    )


def activity_table(f: SchoolFigures) -> Table:
    return Table(
        "spend_by_activity",
        "Spending by activity type",
        (
            Column("activity_type", "Activity type", "text"),
            Column("title", "Activity", "text"),
            Column("requests", "Requests"),
            Column("committed_gbp", "Committed", GBP),
            Column("spent_gbp", "Spent", GBP),
        ),
        tuple((a.key, a.title, a.requests, a.committed, a.spent) for a in f.by_activity),
    )
