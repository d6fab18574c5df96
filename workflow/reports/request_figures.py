"""Pure figures from a period's requests: how many in each state, how they were decided
and how fast, supply cover, and how far the training was followed through (evaluated,
disseminated, its impact reviewed)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from workflow.reports.decision_rows import Decision
from workflow.reports.measures import average, median_days
from workflow.reports.request_rows import TO_COME, RequestRow
from workflow.states import State

STATES = tuple(s.value for s in State)  # in the order the policies walk them
AWAITING = frozenset({"requested", "head_approved"})


def states_of(rows: Sequence[RequestRow]) -> dict[str, int]:
    counted = Counter(r.state for r in rows)
    return {state: counted.get(state, 0) for state in STATES}


@dataclass(frozen=True)
class Decided:
    count: int
    median_school_days: Decimal | None  # from submission to the deciding step


@dataclass(frozen=True)
class DecisionFigures:
    approved: Decided
    rejected_by_head: Decided
    rejected_by_executive: Decided
    rejected: Decided  # at either stage
    awaiting: int  # submitted, neither decided nor withdrawn yet


def decision_figures(
    rows: Sequence[RequestRow],
    decisions: Mapping[str, Decision],
    school_days_between: Callable[[date, date], int],
    local_date: Callable[[datetime], date],
) -> DecisionFigures:
    days: dict[str, list[int]] = {}
    counted: dict[tuple[date, date], int] = {}  # many requests share their two days
    for row in rows:
        found = decisions.get(row.request_id)
        if found is not None:
            span = (local_date(found.submitted_at), local_date(found.decided_at))
            if span not in counted:
                counted[span] = school_days_between(*span)
            days.setdefault(found.outcome, []).append(counted[span])
    rejected = days.get("rejected_by_head", []) + days.get("rejected_by_executive", [])
    return DecisionFigures(
        approved=_decided(days.get("approved", [])),
        rejected_by_head=_decided(days.get("rejected_by_head", [])),
        rejected_by_executive=_decided(days.get("rejected_by_executive", [])),
        rejected=_decided(rejected),
        awaiting=sum(1 for r in rows if r.request_id not in decisions and r.state in AWAITING),
    )


def _decided(days: list[int]) -> Decided:
    return Decided(len(days), median_days(days))


@dataclass(frozen=True)
class Cover:
    requests: int  # with supply cover
    days: Decimal
    cost: Decimal  # the cover's whole cost, whoever funds it


def cover_of(rows: Sequence[RequestRow]) -> tuple[Cover, Cover]:
    """(cover for training that took place, cover for approved training still to come)."""
    return _cover([r for r in rows if r.took_place]), _cover(
        [r for r in rows if r.state in TO_COME]
    )


def _cover(rows: list[RequestRow]) -> Cover:
    covered = [r for r in rows if r.cover_days or r.cover_cost]
    return Cover(
        len(covered),
        sum((r.cover_days for r in covered), Decimal(0)),
        sum((r.cover_cost for r in covered), Decimal("0.00")),
    )


@dataclass(frozen=True)
class FollowThrough:
    took_place: int  # completed, evaluated or disseminated
    evaluations_returned: int
    evaluations_outstanding: int
    average_rating: Decimal | None
    disseminated: int
    dissemination_waived: int
    dissemination_outstanding: int  # required, not yet done
    dissemination_not_required: int
    reviews_done: int  # impact reviews, of evaluated training
    reviews_due: int
    average_impact: Decimal | None


def follow_through(rows: Sequence[RequestRow]) -> FollowThrough:
    happened = [r for r in rows if r.took_place]
    evaluated = [r for r in happened if r.evaluated]
    reviewed = [r for r in evaluated if r.impact_rating is not None]
    required = [r for r in happened if r.dissemination == "required"]
    done = [r for r in required if r.state == State.DISSEMINATED]
    return FollowThrough(
        took_place=len(happened),
        evaluations_returned=len(evaluated),
        evaluations_outstanding=len(happened) - len(evaluated),
        average_rating=average(r.rating for r in evaluated if r.rating is not None),
        disseminated=len(done),
        dissemination_waived=sum(1 for r in happened if r.dissemination == "waived"),
        dissemination_outstanding=len(required) - len(done),
        dissemination_not_required=sum(1 for r in happened if r.dissemination == "not_required"),
        reviews_done=len(reviewed),
        reviews_due=len(evaluated) - len(reviewed),
        average_impact=average(r.impact_rating for r in reviewed if r.impact_rating is not None),
    )


def hours_of(rows: Sequence[RequestRow]) -> Decimal:
    """CPD hours of the training that took place (requests that gave `hours`)."""
    return sum((r.hours for r in rows if r.took_place and r.hours is not None), Decimal(0))
