"""The termly report's sections on what became of the training (evaluated, disseminated,
its impact reviewed) and on CPD time (INSET days, in-house sessions, hours)."""

from __future__ import annotations

from decimal import Decimal

from schemas.compliance import SessionKind
from workflow.reports import explained
from workflow.reports.document import Chart, Column, Section, Table
from workflow.reports.school_figures import SchoolFigures

HOURS = Decimal("0.01")


def follow_through_section(f: SchoolFigures) -> Section:
    t = f.follow
    status = (Column("status", "Status", "text"), Column("requests", "Requests"))
    tables = (
        Table(
            "evaluations",
            "Evaluations",
            status,
            (("returned", t.evaluations_returned), ("outstanding", t.evaluations_outstanding)),
        ),
        Table(
            "dissemination",
            "Dissemination",
            status,
            (
                ("done", t.disseminated),
                ("waived", t.dissemination_waived),
                ("outstanding", t.dissemination_outstanding),
                ("not required", t.dissemination_not_required),
            ),
        ),
        Table(
            "impact_reviews",
            "Impact reviews",
            status,
            (("done", t.reviews_done), ("due", t.reviews_due)),
        ),
        Table(
            "ratings",
            "Average ratings (1 to 5)",
            (
                Column("measure", "Measure", "text"),
                Column("average", "Average", "rating"),
                Column("rated", "Rated"),
            ),
            (
                ("Participants' rating of the training", t.average_rating, t.evaluations_returned),
                ("Impact on practice (impact reviews)", t.average_impact, t.reviews_done),
            ),
        ),
    )
    chart = Chart("Dissemination", "dissemination", "status", ("requests",))
    return Section(
        "Evaluation, dissemination and impact", tables, (chart,), explained.FOLLOW_THROUGH
    )


def hours_section(f: SchoolFigures) -> Section:
    kinds = [(k.value, [s for s in f.sessions if s.kind == k.value]) for k in SessionKind]
    sessions = Table(
        "sessions_by_kind",
        "In-house sessions",
        (
            Column("kind", "Kind", "text"),
            Column("sessions", "Sessions"),
            Column("hours", "Hours", "hours"),
            Column("attendances", "Attendances"),
            Column("person_hours", "Person-hours", "hours"),
        ),
        tuple(
            (
                kind,
                len(held),
                _hours(sum((s.hours for s in held), Decimal(0))),
                sum(s.attendees for s in held),
                _hours(sum((s.hours * s.attendees for s in held), Decimal(0))),
            )
            for kind, held in kinds
        ),
    )
    in_house = sum((s.hours * s.attendees for s in f.sessions), Decimal(0))
    hours = Table(
        "cpd_hours",
        "CPD hours",
        (Column("source", "From", "text"), Column("hours", "Hours", "hours")),
        (
            ("In-house sessions (person-hours)", _hours(in_house)),
            ("Requests that took place", _hours(f.request_hours)),
            ("Total", _hours(in_house + f.request_hours)),
        ),
    )
    inset = Table(
        "inset_days",
        "INSET days",
        (Column("date", "INSET day", "date"),),
        tuple((d,) for d in f.inset_days),
    )
    chart = Chart("Person-hours of in-house CPD", "sessions_by_kind", "kind", ("person_hours",))
    return Section("INSET and in-house CPD", (sessions, hours, inset), (chart,), explained.HOURS)


def _hours(value: Decimal) -> Decimal:
    return value.quantize(HOURS)
