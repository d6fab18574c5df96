"""The annual review of CPD undertaken (policy 003, "Assessing the impact of CPD
activities"): a school's CPD of one academic year, completed requests and in-house sessions,
with its benefits as recorded in evaluations and impact reviews.

A request is the year's when its activity starts in it and it took place (completed, then
evaluated and disseminated); a session when it was held in it. People are not named: each
person's own record is their portfolio.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from workflow.reports.document import Cell, Chart, Column, Report, Section, Table
from workflow.reports.request_facts import RequestFacts
from workflow.reports.session_facts import SessionFacts

HUNDREDTH = Decimal("0.01")
POLICY_WORDING = (
    "An annual review of CPD undertaken will take into account the benefits to: pupil and"
    " school attainment; improved teaching and learning; increased pupil understanding and"
    " enthusiasm; increased staff confidence; increased evidence of reflective practice;"
    " recruitment, retention and career progression/promotable staff.",
    "The benefits below are those recorded: each participant's evaluation (its rating and"
    " the impact on their practice) and the impact review that followed (its rating and"
    " summary).",
)
ACTIVITIES = (
    Column("start_date", "Starts", "date"),
    Column("title", "Activity", "text"),
    Column("activity_type", "Type", "text"),
    Column("provider", "Provider", "text"),
    Column("hours", "Hours", "hours"),
    Column("school_spend_gbp", "School spend", "GBP"),
    Column("rating", "Rating", "rating"),
    Column("impact_on_practice", "Impact on practice", "text"),
    Column("dissemination", "Dissemination", "text"),
    Column("impact_rating", "Impact rating", "rating"),
    Column("impact_summary", "Impact review", "text"),
)


def annual_review_report(
    school: tuple[str, str],
    year: tuple[str, date, date],
    requests: Sequence[RequestFacts],
    sessions: Sequence[SessionFacts],
    term_of: Callable[[date], str],
    terms: Sequence[str],
    generated_at: datetime,
) -> Report:
    """`school`: its id and name; `year`: its label (`2026-27`), first and last day."""
    done = [r for r in requests if r.took_place]
    undertaken = Section(
        "CPD undertaken",
        (_undertaken(done, sessions), _by_term(done, sessions, term_of, terms), _by_type(done)),
        (
            Chart("Hours of CPD by term", "by_term", "term", ("hours",)),
            Chart("Completed requests by activity type", "by_type", "activity_type", ("requests",)),
        ),
        (
            "Completed requests whose activity starts in the year, and in-house sessions held"
            " in it. Hours: what requests gave, and each session's hours for each attendee.",
        ),
    )
    benefits = Section(
        "Benefits recorded",
        (_benefits(done), _ratings(done)),
        (Chart("Ratings given", "ratings", "rating", ("evaluations", "impact_reviews")),),
        POLICY_WORDING,
    )
    activities = Table("activities", "Completed requests", ACTIVITIES, tuple(map(_activity, done)))
    return Report(
        kind="annual-review",
        title=f"Annual review of CPD undertaken, {year[0]}",
        parameters={"school_id": school[0], "year": year[0]},
        period_from=year[1],
        period_to=year[2],
        generated_at=generated_at,
        sections=(
            Section(school[1], notes=(f"{school[1]} ({school[0]}), academic year {year[0]}.",)),
            undertaken,
            benefits,
            Section("Activities and their benefits", (activities,)),
            Section("In-house sessions", (_sessions(sessions),)),
        ),
    )


def _undertaken(done: Sequence[RequestFacts], sessions: Sequence[SessionFacts]) -> Table:
    columns = (
        Column("kind", "CPD", "text"),
        Column("activities", "Activities"),
        Column("participants", "People taking part"),
        Column("hours", "Hours", "hours"),
        Column("school_spend_gbp", "School spend", "GBP"),
    )
    request_people = {r.staff_id for r in done}
    session_people = {a for s in sessions for a in s.attendees}
    spend = _hundredths(sum((r.school_spend for r in done), Decimal(0)))
    request_hours, session_hours = _request_hours(done), _session_hours(sessions)
    rows: tuple[tuple[Cell, ...], ...] = (
        ("Requests completed", len(done), len(request_people), request_hours, spend),
        ("In-house sessions", len(sessions), len(session_people), session_hours, None),
        (
            "All CPD",
            len(done) + len(sessions),
            len(request_people | session_people),
            request_hours + session_hours,
            spend,
        ),
    )
    return Table("undertaken", "CPD undertaken", columns, rows)


def _by_term(
    done: Sequence[RequestFacts],
    sessions: Sequence[SessionFacts],
    term_of: Callable[[date], str],
    terms: Sequence[str],
) -> Table:
    columns = (
        Column("term", "Term", "text"),
        Column("activities", "Activities"),
        Column("hours", "Hours", "hours"),
    )
    rows = []
    for term in terms:
        theirs = [r for r in done if term_of(r.start_date) == term]
        held = [s for s in sessions if term_of(s.date) == term]
        hours = _request_hours(theirs) + _session_hours(held)
        rows.append((term, len(theirs) + len(held), hours))
    return Table("by_term", "By term", columns, tuple(rows))


def _by_type(done: Sequence[RequestFacts]) -> Table:
    columns = (
        Column("activity_type", "Activity type", "text"),
        Column("requests", "Completed requests"),
        Column("hours", "Hours", "hours"),
        Column("school_spend_gbp", "School spend", "GBP"),
    )
    rows = []
    for kind in sorted({r.activity_type for r in done}):
        theirs = [r for r in done if r.activity_type == kind]
        spend = _hundredths(sum((r.school_spend for r in theirs), Decimal(0)))
        rows.append((kind.replace("_", " "), len(theirs), _request_hours(theirs), spend))
    return Table("by_type", "By activity type", columns, tuple(rows))


def _benefits(done: Sequence[RequestFacts]) -> Table:
    columns = (
        Column("evaluations", "Evaluations returned"),
        Column("average_rating", "Average rating (1-5)", "rating"),
        Column("recommend_share", "Would recommend the provider", "share"),
        Column("disseminated", "Disseminated"),
        Column("impact_reviews", "Impact reviews"),
        Column("average_impact_rating", "Average impact rating (1-5)", "rating"),
    )
    evaluations = [r.evaluation for r in done if r.evaluation is not None]
    reviews = [r.impact_review for r in done if r.impact_review is not None]
    recommend = sum(1 for e in evaluations if e.recommend_provider)
    row: tuple[Cell, ...] = (
        len(evaluations),
        _mean([e.rating for e in evaluations]),
        _hundredths(Decimal(recommend) / len(evaluations)) if evaluations else None,
        sum(1 for r in done if r.dissemination is not None),
        len(reviews),
        _mean([r.impact_rating for r in reviews]),
    )
    return Table("benefits", "Evaluations and impact reviews", columns, (row,))


def _ratings(done: Sequence[RequestFacts]) -> Table:
    columns = (
        Column("rating", "Rating", "text"),
        Column("evaluations", "Evaluations"),
        Column("impact_reviews", "Impact reviews"),
    )
    given = [r.evaluation.rating for r in done if r.evaluation is not None]
    reviewed = [r.impact_review.impact_rating for r in done if r.impact_review is not None]
    rows = tuple((str(n), given.count(n), reviewed.count(n)) for n in range(5, 0, -1))
    return Table("ratings", "Ratings given (5 highest)", columns, rows)


def _activity(r: RequestFacts) -> tuple[Cell, ...]:
    evaluation, review = r.evaluation, r.impact_review
    return (
        r.start_date,
        r.title,
        r.activity_type.replace("_", " "),
        r.provider,
        r.hours,
        r.school_spend,
        evaluation.rating if evaluation else None,
        evaluation.impact_on_practice if evaluation else None,
        dissemination_text(r),
        review.impact_rating if review else None,
        review.summary if review else None,
    )


def dissemination_text(r: RequestFacts) -> str:
    if r.dissemination is not None:
        d = r.dissemination
        return f"{d.method} with {d.audience}, {d.disseminated_on.isoformat()}"
    return {"waived": "waived", "not_required": "not required"}.get(
        r.dissemination_status, "not yet"
    )


def _sessions(sessions: Sequence[SessionFacts]) -> Table:
    columns = (
        Column("date", "Date", "date"),
        Column("title", "Session", "text"),
        Column("kind", "Kind", "text"),
        Column("hours", "Hours", "hours"),
        Column("attendees", "Attendees"),
        Column("person_hours", "Hours for all attendees", "hours"),
    )
    rows = tuple(
        (
            s.date,
            s.title,
            s.kind.replace("_", " "),
            s.hours,
            len(s.attendees),
            _hundredths(s.person_hours),
        )
        for s in sessions
    )
    return Table("sessions", "In-house sessions", columns, rows)


def _request_hours(done: Sequence[RequestFacts]) -> Decimal:
    return _hundredths(sum((r.hours for r in done if r.hours is not None), Decimal(0)))


def _session_hours(sessions: Sequence[SessionFacts]) -> Decimal:
    return _hundredths(sum((s.person_hours for s in sessions), Decimal(0)))


def _mean(values: Sequence[int]) -> Decimal | None:
    return _hundredths(Decimal(sum(values)) / len(values)) if values else None


def _hundredths(amount: Decimal) -> Decimal:
    return amount.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
