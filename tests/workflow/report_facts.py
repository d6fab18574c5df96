"""Request and session facts as the reports' readers would hand them over, for tests of the
pure figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from workflow.reports.request_facts import Evaluation, ImpactReview, RequestFacts
from workflow.reports.session_facts import SessionFacts


def term_of(day: date) -> str:
    """Terms as the reports name them (without the Easter holiday's exact end)."""
    if day.month >= 9:
        return f"{day.year}-autumn"
    return f"{day.year}-spring" if day.month <= 4 else f"{day.year}-summer"


def request(
    request_id: str,
    *,
    staff_id: str = "t1",
    school_id: str = "A",
    provider: str | None = "Reading Hub",
    state: str = "completed",
    start: str = "2026-10-05",
    cost: str = "100.00",
    spend: str = "0",
    hours: str | None = None,
    approved: bool | None = None,
    rating: int | None = None,
    recommend: bool = True,
    impact: int | None = None,
    activity_type: str = "course",
) -> RequestFacts:
    took_place = state in {"completed", "evaluated", "disseminated"}
    return RequestFacts(
        request_id=request_id,
        staff_id=staff_id,
        school_id=school_id,
        title=f"Course {request_id}",
        activity_type=activity_type,
        provider=provider,
        start_date=date.fromisoformat(start),
        end_date=date.fromisoformat(start),
        state=state,
        cost_gbp=Decimal(cost),
        hours=Decimal(hours) if hours is not None else None,
        approved=took_place or state == "booked" if approved is None else approved,
        school_spend=Decimal(spend),
        completed_on=date.fromisoformat(start) if took_place else None,
        evaluation=Evaluation(rating, f"Practice {request_id}", recommend) if rating else None,
        impact_review=(
            ImpactReview(date(2027, 7, 1), impact, f"Review {request_id}") if impact else None
        ),
    )


def session(
    session_id: str, attendees: tuple[str, ...], *, hours: str = "2", day: str = "2026-10-12"
) -> SessionFacts:
    return SessionFacts(
        session_id,
        "A",
        f"Session {session_id}",
        date.fromisoformat(day),
        Decimal(hours),
        "inset",
        "lead",
        None,
        attendees,
    )
