"""The approval queues: the requests waiting at the head or the executive step, highest
priority first, then the longest waiting (in school days) first.

One synchronous read on the store's reader: the waiting requests and when each began to
wait (its history), the school's SIP, the requester's directory record, and the weights
of the policy-set version each request is governed by. Each school's calendar is passed in
as `school_days` (scheduler/ sits above workflow/).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from workflow.directory import store as directory_rows
from workflow.errors import DomainError
from workflow.policy import PolicySet, Rule
from workflow.priority import seams
from workflow.priority.score import Score, from_submission, score
from workflow.priority.sip import latest_sip
from workflow.states import State
from workflow.store.policies import Governance

# School days at the school after the first date, up to the second.
SchoolDays = Callable[[str, date, date], int]


class Step(StrEnum):
    HEAD = "head"
    EXECUTIVE = "executive"


WAITING_AT = {Step.HEAD: State.REQUESTED, Step.EXECUTIVE: State.HEAD_APPROVED}


@dataclass(frozen=True)
class QueueItem:
    request_id: str
    staff_id: str
    school_id: str
    title: str
    start_date: date
    cost_gbp: Decimal
    score: Score
    rule: str  # which policy set's weights made the score
    waiting_since: str  # when it reached this step
    days_waiting: int
    financial_year: str  # the year of the school's budget its money belongs to
    budget_remaining_gbp: Decimal | None


@dataclass(frozen=True)
class Queue:
    step: Step
    total: int  # waiting in all; `items` holds at most the limit asked for
    items: list[QueueItem]


# Waiting since its first applied history entry in the state it is in: a later step that
# leaves the state as it was (a waiver) or a refused attempt does not restart the wait.
# Whether the requester is an ECT: their directory record as of now (read here, in SQLite,
# as a whole trust's queue names hundreds of people).
_WAITING = """
SELECT r.request_id, r.staff_id, r.school_id, r.title, r.start_date,
       COALESCE(r.estimated_cost_gbp, r.cost_gbp), json_extract(r.details, '$.submitted'),
       r.policy_id, r.policy_version, r.created_at,
       (SELECT h.at FROM history h WHERE h.request_id = r.request_id
        AND h.to_state = r.state AND h.outcome = 'applied' ORDER BY h.seq LIMIT 1),
       (SELECT json_type(s.record, '$.is_ect') = 'true' FROM staff_versions s
        WHERE s.staff_id = r.staff_id AND s.valid_from <= ? ORDER BY s.version DESC LIMIT 1)
FROM requests r WHERE r.state = ?"""


def waiting_queue(
    db: sqlite3.Connection,
    step: Step,
    schools: Collection[str] | None,
    *,
    governance: Governance,
    school_days: SchoolDays,
    now: datetime,
    limit: int,
) -> Queue:
    """`schools`: the schools whose requests to list (None: every school)."""
    sql, args = _WAITING, [directory_rows.utc(now), WAITING_AT[step].value]
    if schools is not None:
        if not schools:
            return Queue(step, 0, [])
        sql += f" AND r.school_id IN ({', '.join('?' * len(schools))})"
        args += sorted(schools)
    reading = _Reading(db, governance, school_days, now)
    items = [reading.item(row) for row in db.execute(sql, args).fetchall()]
    items.sort(key=lambda i: (-i.score.total, -i.days_waiting, i.waiting_since, i.request_id))
    return Queue(step, len(items), items[:limit])


def school_budget(
    db: sqlite3.Connection, school_id: str, governance: Governance, now: datetime
) -> tuple[str, Decimal | None]:
    """The school's financial year today (by the policy set it follows now) and what is
    left of that year's budget (None: no budget set)."""
    try:
        policy = governance.for_new_request(db, school_id, now)
    except DomainError:  # a set no longer loaded: the shipped default's year
        policy = governance.library.default
    year = policy.financial_year_containing(_today(policy, now)).label
    return year, seams.remaining_budget(db, school_id, year)


class _Reading:
    """Caches what many waiting requests share: SIPs, policies, budgets, dates."""

    def __init__(
        self,
        db: sqlite3.Connection,
        governance: Governance,
        school_days: SchoolDays,
        now: datetime,
    ) -> None:
        self.db, self.governance, self.school_days, self.now = db, governance, school_days, now
        self.sips: dict[str, Mapping[str, str] | None] = {}
        self.budgets: dict[tuple[str, str], Decimal | None] = {}
        self.waits: dict[tuple[str, date, date], int] = {}
        self.policies: dict[tuple[str, int], tuple[PolicySet, date, str]] = {}
        self.years: dict[tuple[str, int, date], str] = {}

    def item(self, row: tuple[Any, ...]) -> QueueItem:
        request_id, staff_id, school_id, title, start, cost, submitted, *rest = row
        policy_id, version, created_at, since, is_ect = rest
        policy, today, rule = self._policy(policy_id, int(version))
        data = json.loads(submitted) if submitted else {}
        estimate = Decimal(cost)
        kind = data.get("statutory_kind")
        due = isinstance(kind, str) and seams.renewal_due(self.db, staff_id, kind, today)
        facts = from_submission(
            data, estimate, sip=self._sip(school_id), is_ect=bool(is_ect), renewal_due=due
        )
        waiting_since = since or created_at
        began = datetime.fromisoformat(waiting_since).astimezone(_zone(policy)).date()
        start_date = date.fromisoformat(start)
        year = self._year(policy, start_date)
        return QueueItem(
            request_id=request_id,
            staff_id=staff_id,
            school_id=school_id,
            title=title,
            start_date=start_date,
            cost_gbp=estimate,
            score=score(facts, policy.priority),
            rule=rule,
            waiting_since=waiting_since,
            days_waiting=self._waited(school_id, began, today),
            financial_year=year,
            budget_remaining_gbp=self._budget(school_id, year),
        )

    def _policy(self, policy_id: str, version: int) -> tuple[PolicySet, date, str]:
        """The version governing the request, today at its school, and the rule's citation."""
        key = (policy_id, version)
        if key not in self.policies:
            try:
                policy = self.governance.library.version(policy_id, version)
            except DomainError:  # not loaded now: weigh it by the shipped default
                policy = self.governance.library.default
            self.policies[key] = (policy, _today(policy, self.now), policy.cite(Rule.PRIORITY))
        return self.policies[key]

    def _sip(self, school_id: str) -> Mapping[str, str] | None:
        if school_id not in self.sips:
            self.sips[school_id] = latest_sip(self.db, school_id)
        return self.sips[school_id]

    def _waited(self, school_id: str, began: date, today: date) -> int:
        key = (school_id, began, today)
        if key not in self.waits:
            self.waits[key] = self.school_days(school_id, began, today)
        return self.waits[key]

    def _year(self, policy: PolicySet, day: date) -> str:
        key = (policy.id, policy.version, day)
        if key not in self.years:
            self.years[key] = policy.financial_year_containing(day).label
        return self.years[key]

    def _budget(self, school_id: str, year: str) -> Decimal | None:
        if (school_id, year) not in self.budgets:
            self.budgets[school_id, year] = seams.remaining_budget(self.db, school_id, year)
        return self.budgets[school_id, year]


def _today(policy: PolicySet, now: datetime) -> date:
    return now.astimezone(_zone(policy)).date()


def _zone(policy: PolicySet) -> ZoneInfo:
    return _zone_named(policy.follow_ups.timezone)


@cache
def _zone_named(name: str) -> ZoneInfo:
    return ZoneInfo(name)
