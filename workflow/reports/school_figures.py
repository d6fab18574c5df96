"""Every figure of one school over one period, read and computed once: the termly report
lays them out for a school's governors, the trust summary side by side for trustees."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from workflow.budgets.view import school_policy
from workflow.directory import members_of, school_as_of
from workflow.priority.sip import latest_sip
from workflow.reports import money_figures, request_figures
from workflow.reports.context import ReportContext
from workflow.reports.decision_rows import decisions_of
from workflow.reports.measures import per_head
from workflow.reports.money_figures import SpendLine
from workflow.reports.money_rows import Holding, YearMoney, holdings_of, years_touched
from workflow.reports.obligation_rows import (
    AgreedItem,
    KindStanding,
    SessionRow,
    agreed_items,
    judged_at,
    sessions_in,
    statutory_standing,
)
from workflow.reports.periods import Period
from workflow.reports.request_figures import Cover, DecisionFigures, FollowThrough
from workflow.reports.request_rows import RequestRow, requests_starting
from workflow.reports.staff_rows import staff_count


@dataclass(frozen=True)
class SchoolFigures:
    school_id: str
    name: str
    trust: str
    period: Period
    requests: list[RequestRow]  # those whose activity starts in the period
    states: dict[str, int]
    decisions: DecisionFigures
    years: list[YearMoney]  # the financial years the period touches
    money: Holding  # what the period's requests hold
    money_by_year: dict[str, Holding]  # the same, by the financial year each belongs to
    by_priority: list[SpendLine]
    by_activity: list[SpendLine]
    cover_taken: Cover
    cover_to_come: Cover
    follow: FollowThrough
    statutory: list[KindStanding]
    agreed: list[AgreedItem]
    sessions: list[SessionRow]
    request_hours: Decimal
    inset_days: list[date]
    staff: int

    @property
    def spent_per_staff(self) -> Decimal | None:
        return per_head(self.money.spent, self.staff)

    @property
    def budget(self) -> Decimal | None:
        """The budgets of the years the period touches, added up (None: none set)."""
        set_ = [y.budget for y in self.years if y.budget is not None]
        return sum(set_, Decimal("0.00")) if set_ else None


def school_figures(
    db: sqlite3.Connection, context: ReportContext, school_id: str, period: Period
) -> SchoolFigures:
    governance, now = context.governance, context.now
    school = school_as_of(db, school_id, now)
    policy = school_policy(db, governance, school_id, now)
    zone = ZoneInfo(policy.follow_ups.timezone)
    rows = requests_starting(db, school_id, period)
    holdings = holdings_of(db, school_id, period)
    at = judged_at(governance, period, now)
    people = members_of(db, school_id, at)
    taken, to_come = request_figures.cover_of(rows)

    def local_date(moment: datetime) -> date:
        return moment.astimezone(zone).date()

    return SchoolFigures(
        school_id=school_id,
        name=school.name if school is not None else school_id,
        trust=school.trust if school is not None else f"school:{school_id}",
        period=period,
        requests=rows,
        states=request_figures.states_of(rows),
        decisions=request_figures.decision_figures(
            rows,
            decisions_of(db, school_id, period),
            context.calendar_for(db, school_id).school_days_between,
            local_date,
        ),
        years=years_touched(db, governance, school_id, period, now),
        money=money_figures.period_holding(rows, holdings),
        money_by_year=money_figures.by_year(rows, holdings, policy.financial_year_containing),
        by_priority=money_figures.by_priority(rows, holdings, latest_sip(db, school_id)),
        by_activity=money_figures.by_activity(rows, holdings),
        cover_taken=taken,
        cover_to_come=to_come,
        follow=request_figures.follow_through(rows),
        statutory=statutory_standing(db, governance, school_id, at, people),
        agreed=agreed_items(db, period, people),
        sessions=sessions_in(db, school_id, period),
        request_hours=request_figures.hours_of(rows),
        inset_days=context.calendar_for(db, school_id).inset_days_in(period),
        staff=staff_count(db, school_id, period),
    )
