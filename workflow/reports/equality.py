"""Equality of access: requests, approvals, spend and hours of each staff group, per school
and trust-wide, with small groups withheld (workflow.reports.suppression).

A request counts for a group of its school when its requester was a member of that group at
that school during the period; so a trust's row is the sum of its schools' rows, each
person counted once among its members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from workflow.reports.document import SUPPRESSED, Cell, Chart, Column, Report, Section, Table
from workflow.reports.request_facts import RequestFacts
from workflow.reports.session_facts import SessionFacts
from workflow.reports.staff_groups import GROUP_TITLES, Group, Members
from workflow.reports.suppression import THRESHOLD, withheld

HUNDREDTH = Decimal("0.01")
COLUMNS = (
    Column("group", "Group", "text"),
    Column("members", "Members"),
    Column("requests", "Requests"),
    Column("approved", "Approved"),
    Column("spend_gbp", "School spend", "GBP"),
    Column("hours", "CPD hours", "hours"),
    Column("spend_per_member_gbp", "Spend per member", "GBP"),
    Column("hours_per_member", "Hours per member", "hours"),
)
ABOUT = (
    "Members: everyone in the group during the period (a person may be in several groups)."
    " Requests: those whose activity starts in the period; approved: those that reached"
    " executive approval. School spend: the school's share from the budget ledger, what was"
    " spent, else what is still committed. CPD hours: completed requests that gave their"
    " hours, and in-house sessions attended.",
    f"A group of fewer than {THRESHOLD} people is shown as suppressed: neither its size nor"
    " its figures. Where the other rows or the trust's row would give a suppressed group's"
    " figures back by subtraction, those rows are suppressed as well.",
)


@dataclass(frozen=True)
class Unit:
    """A school, or a trust (its schools among those reported)."""

    key: str
    title: str
    schools: tuple[str, ...]
    is_trust: bool = False


def equality_report(
    units: Sequence[Unit],
    members: Members,
    requests: Sequence[RequestFacts],
    sessions: Sequence[SessionFacts],
    period: tuple[date, date],
    parameters: Mapping[str, str],
    generated_at: datetime,
) -> Report:
    people = {(unit.key, group): _people(unit, group, members) for unit in units for group in Group}
    trusts = {u.key: [s for s in u.schools] for u in units if u.is_trust}
    hidden = withheld(people, [u.key for u in units], trusts)
    at_school = _Activity.by_school(requests, sessions)
    sections = [Section("About these figures", notes=ABOUT)]
    for unit in units:
        activity = _Activity.of(unit, at_school)
        rows = tuple(
            _row(group, people[(unit.key, group)], members, activity)
            if (unit.key, group) not in hidden
            else _withheld_row(group)
            for group in Group
        )
        name = f"groups_{unit.key}"
        table = Table(name, f"{unit.title}: staff groups", COLUMNS, rows)
        shown = sum(1 for group in Group if (unit.key, group) not in hidden)
        # Bars to compare: none when fewer than two groups are shown.
        charts = (
            (
                Chart("Hours of CPD per member", name, "group", ("hours_per_member",)),
                Chart("School spend per member", name, "group", ("spend_per_member_gbp",)),
            )
            if shown >= 2
            else ()
        )
        sections.append(Section(unit.title, (table,), charts))
    return Report(
        kind="equality",
        title="Equality of access to CPD",
        parameters=dict(parameters),
        period_from=period[0],
        period_to=period[1],
        generated_at=generated_at,
        sections=tuple(sections),
    )


def _people(unit: Unit, group: Group, members: Members) -> frozenset[str]:
    return frozenset().union(*(members.get((s, group), frozenset()) for s in unit.schools))


@dataclass(frozen=True)
class _Activity:
    """A unit's requests and sessions (those of its schools)."""

    requests: list[RequestFacts]
    sessions: list[SessionFacts]

    @staticmethod
    def by_school(
        requests: Sequence[RequestFacts], sessions: Sequence[SessionFacts]
    ) -> dict[str, _Activity]:
        found: defaultdict[str, _Activity] = defaultdict(lambda: _Activity([], []))
        for request in requests:
            found[request.school_id].requests.append(request)
        for session in sessions:
            found[session.school_id].sessions.append(session)
        return dict(found)

    @staticmethod
    def of(unit: Unit, at_school: Mapping[str, _Activity]) -> _Activity:
        found = [at_school[s] for s in unit.schools if s in at_school]
        return _Activity(
            [r for a in found for r in a.requests], [s for a in found for s in a.sessions]
        )


def _row(
    group: Group, people: frozenset[str], members: Members, activity: _Activity
) -> tuple[Cell, ...]:
    def member(staff_id: str, school_id: str) -> bool:
        return staff_id in members.get((school_id, group), ())

    theirs = [r for r in activity.requests if member(r.staff_id, r.school_id)]
    spend = sum((r.school_spend for r in theirs), Decimal(0))
    hours = sum((r.hours for r in theirs if r.took_place and r.hours is not None), Decimal(0))
    hours += sum(
        (s.hours for s in activity.sessions for a in s.attendees if member(a, s.school_id)),
        Decimal(0),
    )
    size = len(people)
    return (
        GROUP_TITLES[group],
        size,
        len(theirs),
        sum(1 for r in theirs if r.approved),
        _hundredths(spend),
        _hundredths(hours),
        _hundredths(spend / size),
        _hundredths(hours / size),
    )


def _withheld_row(group: Group) -> tuple[Cell, ...]:
    return (GROUP_TITLES[group], *[SUPPRESSED] * (len(COLUMNS) - 1))


def _hundredths(amount: Decimal) -> Decimal:
    return amount.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
