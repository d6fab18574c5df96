"""The trust summary's sections on what became of the training, agreed CPD, and CPD time."""

from __future__ import annotations

from decimal import Decimal

from workflow.reports import explained
from workflow.reports.document import Chart, Column, Section, Table
from workflow.reports.school_figures import SchoolFigures

SCHOOL = (Column("school_id", "School", "text"), Column("name", "Name", "text"))
HOURS = Decimal("0.01")


def follow_through_section(schools: list[SchoolFigures]) -> Section:
    evaluations = Table(
        "evaluations",
        "Evaluations and impact reviews",
        (
            *SCHOOL,
            Column("took_place", "Took place"),
            Column("returned", "Evaluations returned"),
            Column("outstanding", "Evaluations outstanding"),
            Column("average_rating", "Average rating", "rating"),
            Column("reviews_done", "Impact reviews done"),
            Column("reviews_due", "Impact reviews due"),
            Column("average_impact", "Average impact", "rating"),
        ),
        tuple(
            (
                f.school_id,
                f.name,
                f.follow.took_place,
                f.follow.evaluations_returned,
                f.follow.evaluations_outstanding,
                f.follow.average_rating,
                f.follow.reviews_done,
                f.follow.reviews_due,
                f.follow.average_impact,
            )
            for f in schools
        ),
    )
    dissemination = Table(
        "dissemination",
        "Dissemination",
        (
            *SCHOOL,
            Column("done", "Done"),
            Column("waived", "Waived"),
            Column("outstanding", "Outstanding"),
            Column("not_required", "Not required"),
        ),
        tuple(
            (
                f.school_id,
                f.name,
                f.follow.disseminated,
                f.follow.dissemination_waived,
                f.follow.dissemination_outstanding,
                f.follow.dissemination_not_required,
            )
            for f in schools
        ),
    )
    agreed = Table(
        "agreed_cpd",
        "CPD agreed in appraisal",
        (
            *SCHOOL,
            Column("appraisal_cycle", "Appraisal cycle", "text"),
            Column("agreed", "Agreed"),
            Column("provided", "Provided"),
            Column("not_provided", "Not yet provided"),
        ),
        tuple(
            (
                f.school_id,
                f.name,
                f.period.academic_year,
                len(f.agreed),
                sum(a.provided for a in f.agreed),
                sum(not a.provided for a in f.agreed),
            )
            for f in schools
        ),
    )
    chart = Chart("Average ratings", "evaluations", "name", ("average_rating", "average_impact"))
    return Section(
        "Evaluation, dissemination, impact and agreed CPD",
        (evaluations, dissemination, agreed),
        (chart,),
        explained.FOLLOW_THROUGH + explained.AGREED,
    )


def hours_section(schools: list[SchoolFigures]) -> Section:
    rows = []
    for f in schools:
        in_house = sum((s.hours * s.attendees for s in f.sessions), Decimal(0))
        rows.append(
            (
                f.school_id,
                f.name,
                len(f.inset_days),
                len(f.sessions),
                in_house.quantize(HOURS),
                f.request_hours.quantize(HOURS),
                (in_house + f.request_hours).quantize(HOURS),
            )
        )
    table = Table(
        "cpd_hours",
        "INSET and in-house CPD",
        (
            *SCHOOL,
            Column("inset_days", "INSET days"),
            Column("sessions", "In-house sessions"),
            Column("session_person_hours", "Sessions' person-hours", "hours"),
            Column("request_hours", "Requests' hours", "hours"),
            Column("total_hours", "Total hours", "hours"),
        ),
        tuple(rows),
    )
    chart = Chart("CPD hours", "cpd_hours", "name", ("total_hours",))
    return Section("INSET and in-house CPD", (table,), (chart,), explained.HOURS)
