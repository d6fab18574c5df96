"""A person's professional development portfolio (policy 003: staff "maintain an appropriate
professional development portfolio"): every request and in-house session with its dates,
hours, provider, cost, evaluation, dissemination and impact review; the statutory training
they hold and when it expires; the CPD agreed in their appraisals and whether it was
provided; their hours, year by year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from workflow.compliance import Qualification
from workflow.compliance.validity import status_on
from workflow.directory import StaffMember
from workflow.reports.annual_review import dissemination_text
from workflow.reports.document import Cell, Chart, Column, Report, Section, Table
from workflow.reports.request_facts import RequestFacts
from workflow.reports.session_facts import SessionFacts

_ZERO = Decimal(0)
_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class PortfolioFacts:
    person: StaffMember
    school_name: str
    requests: Sequence[RequestFacts]
    sessions: Sequence[SessionFacts]
    qualifications: Sequence[Qualification]
    agreed: Sequence[Mapping[str, Any]]  # workflow.compliance.agreed_for's items
    today: date  # at the school: each qualification's status is judged by it


def academic_year_of(day: date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def portfolio_report(facts: PortfolioFacts, generated_at: datetime) -> Report:
    person = facts.person
    return Report(
        kind="portfolio",
        title=f"Professional development portfolio: {person.name}",
        parameters={"staff_id": person.staff_id},
        period_from=None,
        period_to=None,
        generated_at=generated_at,
        sections=(
            Section(person.name, (_person(facts),)),
            Section(
                "CPD hours by academic year",
                (_hours(facts),),
                (Chart("CPD hours by year", "hours", "year", ("request_hours", "session_hours")),),
                (
                    "Requests count in the year their activity starts, once completed, with the"
                    " hours they gave; sessions in the year they were held.",
                ),
            ),
            Section("Requests", (_requests(facts.requests), _outcomes(facts.requests))),
            Section("In-house sessions", (_sessions(facts.sessions),)),
            Section("Statutory training held", (_qualifications(facts),)),
            Section("CPD agreed in appraisal", (_agreed(facts.agreed),)),
        ),
    )


def _person(facts: PortfolioFacts) -> Table:
    p = facts.person
    columns = (
        Column("staff_id", "Staff id", "text"),
        Column("school", "School", "text"),
        Column("roles", "Roles", "text"),
        Column("contract", "Contract", "text"),
        Column("ect", "Early career teacher", "text"),
        Column("started_on", "Started", "date"),
        Column("left_on", "Left", "date"),
    )
    row: tuple[Cell, ...] = (
        p.staff_id,
        f"{facts.school_name} ({p.school_id})",
        ", ".join(sorted(r.replace("_", " ") for r in p.roles)),
        p.contract.replace("_", "-"),
        "yes" if p.is_ect else "no",
        p.started_on,
        p.left_on,
    )
    return Table("person", "Record", columns, (row,))


def _hours(facts: PortfolioFacts) -> Table:
    columns = (
        Column("year", "Academic year", "text"),
        Column("completed_requests", "Completed requests"),
        Column("request_hours", "Request hours", "hours"),
        Column("sessions", "Sessions"),
        Column("session_hours", "Session hours", "hours"),
        Column("total_hours", "Total hours", "hours"),
    )
    done = [r for r in facts.requests if r.took_place]
    years = sorted(
        {academic_year_of(r.start_date) for r in done}
        | {academic_year_of(s.date) for s in facts.sessions}
    )
    rows = []
    for year in years:
        theirs = [r for r in done if academic_year_of(r.start_date) == year]
        held = [s for s in facts.sessions if academic_year_of(s.date) == year]
        request_hours = _hundredths(sum((r.hours for r in theirs if r.hours), start=_ZERO))
        session_hours = _hundredths(sum((s.hours for s in held), start=_ZERO))
        total = request_hours + session_hours
        rows.append((year, len(theirs), request_hours, len(held), session_hours, total))
    return Table("hours", "Hours", columns, tuple(rows))


def _requests(requests: Sequence[RequestFacts]) -> Table:
    columns = (
        Column("request_id", "Request", "text"),
        Column("title", "Activity", "text"),
        Column("activity_type", "Type", "text"),
        Column("provider", "Provider", "text"),
        Column("start_date", "Starts", "date"),
        Column("end_date", "Ends", "date"),
        Column("state", "Stage", "text"),
        Column("hours", "Hours", "hours"),
        Column("cost_gbp", "Cost", "GBP"),
    )
    rows = tuple(
        (
            r.request_id,
            r.title,
            r.activity_type.replace("_", " "),
            r.provider,
            r.start_date,
            r.end_date,
            r.state.replace("_", " "),
            r.hours,
            r.cost_gbp,
        )
        for r in requests
    )
    return Table("requests", "Requests", columns, rows)


def _outcomes(requests: Sequence[RequestFacts]) -> Table:
    """What came of each request that took place (a table of its own, to fit A4)."""
    columns = (
        Column("request_id", "Request", "text"),
        Column("rating", "Rating", "rating"),
        Column("recommend_provider", "Recommends provider", "text"),
        Column("impact_on_practice", "Impact on practice", "text"),
        Column("dissemination", "Dissemination", "text"),
        Column("impact_rating", "Impact rating", "rating"),
        Column("impact_summary", "Impact review", "text"),
    )
    rows = []
    for r in requests:
        if not r.took_place:
            continue
        e, review = r.evaluation, r.impact_review
        rows.append(
            (
                r.request_id,
                e.rating if e else None,
                ("yes" if e.recommend_provider else "no") if e else None,
                e.impact_on_practice if e else None,
                dissemination_text(r),
                review.impact_rating if review else None,
                review.summary if review else None,
            )
        )
    return Table("outcomes", "Evaluation, dissemination and impact", columns, tuple(rows))


def _sessions(sessions: Sequence[SessionFacts]) -> Table:
    columns = (
        Column("session_id", "Session", "text"),
        Column("date", "Date", "date"),
        Column("title", "Title", "text"),
        Column("kind", "Kind", "text"),
        Column("hours", "Hours", "hours"),
        Column("led_by", "Led by", "text"),
        Column("school_id", "School", "text"),
    )
    rows = tuple(
        (s.session_id, s.date, s.title, s.kind.replace("_", " "), s.hours, s.led_by, s.school_id)
        for s in sessions
    )
    return Table("sessions", "Sessions attended", columns, rows)


def _qualifications(facts: PortfolioFacts) -> Table:
    columns = (
        Column("kind", "Training", "text"),
        Column("achieved_on", "Achieved", "date"),
        Column("valid_until", "Valid until", "date"),
        Column("status", "Today", "text"),
        Column("source", "Recorded from", "text"),
        Column("awarding_body", "Awarded by", "text"),
    )
    rows = tuple(
        (
            q.kind.replace("_", " "),
            q.achieved_on,
            q.valid_until,
            status_on(facts.today, q.valid_until).value,
            f"{q.source} {q.source_id}" if q.source != "recorded" else "recorded",
            q.awarding_body,
        )
        for q in facts.qualifications
    )
    return Table("qualifications", "Qualifications", columns, rows)


def _agreed(items: Sequence[Mapping[str, Any]]) -> Table:
    columns = (
        Column("agreed_item_id", "Item", "text"),
        Column("appraisal_cycle", "Appraisal cycle", "text"),
        Column("description", "Agreed CPD", "text"),
        Column("agreed_on", "Agreed", "date"),
        Column("agreed_by", "Agreed by", "text"),
        Column("provided", "Provided", "text"),
        Column("provided_by", "Provided by", "text"),
    )
    rows = tuple(
        (
            item["agreed_item_id"],
            item["appraisal_cycle"],
            item["description"],
            date.fromisoformat(item["agreed_on"]),
            item["agreed_by"],
            "yes" if item["provided"] else "no",
            "; ".join(f"{p['kind']} {p['id']} on {p['on']}" for p in item["provided_by"]) or None,
        )
        for item in items
    )
    return Table("agreed_cpd", "Agreed CPD", columns, rows)


def _hundredths(amount: Decimal) -> Decimal:
    return amount.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP)
