"""A trust's two years for bench/reports.py, when bench/audit_data.py (the audit's builder,
which makes a million audit entries) is not in this tree.

20 schools in two trusts and about 2,000 staff (bench/queues_data.py's people and SIPs),
a budget for every financial year, 30,000 requests over the 730 days up to today through
full lives (a fifth refused, withdrawn or not attended; the rest booked, completed,
evaluated, disseminated or waived, impact reviewed; a third with supply cover, half with
hours), and an in-house session at each school every fortnight (each September's an INSET
day with safeguarding). Every event goes through the store's own write path
(`Store.apply_many`: parsed, role-checked, history, budget ledger, qualifications, agreed
CPD), day by day on a fake clock. Then the history is padded with reminder entries (as
the follow-ups write them) up to `history_rows`, so the reports read among a million.
"""

from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from queues_data import SOURCE, Trust, staff_events

from schemas import outbound_event, parse_inbound
from workflow.clock import FakeClock
from workflow.directory import policy_id_of_school
from workflow.store import Store

PROVIDERS = ["Teaching Hub", "Maths Hub", "Reading Hub", "SEND Online", "Red Cross", "NPQ Co"]
KINDS = ["course", "conference", "online", "visit", "in_school", "coaching", "qualification"]
SESSION_KINDS = ["staff_meeting", "coaching", "training", "network"]


@dataclass(frozen=True)
class Shape:
    schools: int = 20
    staff: int = 2000
    requests: int = 30000
    days: int = 730
    history_rows: int = 1_000_000

    @property
    def trust(self) -> Trust:
        return Trust(self.schools, self.staff, self.requests, self.days)


def _event(kind: str, subject: str, actor: str, data: dict[str, Any], n: object) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"rep-{kind}-{n}",
        "source": SOURCE,
        "type": kind,
        "subject": subject,
        "actor": actor,
        "data": data,
    }


def budgets(trust: Trust, first: date, today: date) -> list[dict[str, Any]]:
    years = range(first.year - 1, today.year + 1)
    return [
        _event(
            "budget.set",
            trust.school(s),
            "finance-system",
            {
                "school_id": trust.school(s),
                "financial_year": f"{y}-{(y + 1) % 100:02d}",
                "amount_gbp": "400000.00",
            },
            f"{s}-{y}",
        )
        for s in range(trust.schools)
        for y in years
    ]


def request_days(shape: Shape, first: date, seed: int = 11) -> dict[int, list[dict[str, Any]]]:
    """Each day's request events, day 0 being `first`; steps after the last day not taken."""
    trust, rng = shape.trust, random.Random(seed)
    days: dict[int, list[dict[str, Any]]] = {}
    for i in range(shape.requests):
        s = i % trust.schools
        school_id, trust_id = trust.school(s), f"TR-{trust.trust_of(s)}"
        staff = f"T-{school_id}-{(i // trust.schools) % trust.teachers(s):03d}"
        day = i * shape.days // shape.requests
        starts = first + timedelta(days=day + 12)
        for when, kind, actor, data in _life(rng, i, trust, school_id, trust_id, staff, starts):
            if day + when <= shape.days:
                days.setdefault(day + when, []).append(_event(kind, f"R-{i:05d}", actor, data, i))
    return days


def _life(
    rng: random.Random,
    i: int,
    trust: Trust,
    school_id: str,
    trust_id: str,
    staff: str,
    starts: date,
) -> list[tuple[int, str, str, dict[str, Any]]]:
    head, executive, office = trust.head(school_id), f"EXEC-{trust_id}", f"OFFICE-{trust_id}"
    submitted: dict[str, Any] = {
        "staff_id": staff,
        "school_id": school_id,
        "title": "Bench training",
        "activity_type": rng.choice(KINDS),
        "provider": rng.choice(PROVIDERS),
        "start_date": starts.isoformat(),
        "end_date": starts.isoformat(),
        "cost_gbp": f"{rng.randrange(0, 60) * 10}.00",
        "justification": "Improvement priority",
        "priorities": rng.sample(["SIP-1", "SIP-2", "SIP-3", "SIP-4"], rng.randrange(0, 3)),
    }
    if i % 3 == 0:
        submitted |= {"cover_days": "1", "cover_cost_gbp": "160.00"}
    if i % 2 == 0:
        submitted["hours"] = "6"
    fate = (i // trust.schools) % 20
    steps = [(0, "cpd.request.submitted", staff, submitted)]
    if fate < 2:
        return steps
    if fate == 2:
        return [*steps, (2, "cpd.request.head_rejected", head, {"reason": "Not now"})]
    steps.append((2, "cpd.request.head_approved", head, {}))
    if fate == 3:
        return [*steps, (4, "cpd.request.executive_rejected", executive, {"reason": "Budget"})]
    if fate == 4:
        return [*steps, (3, "cpd.request.withdrawn", staff, {"reason": "Changed plans"})]
    steps += [
        (4, "cpd.request.executive_approved", executive, {}),
        (6, "cpd.request.booked", office, {"booking_reference": f"BK-{i}"}),
    ]
    if fate == 5:
        return [
            *steps,
            (
                13,
                "cpd.request.not_attended",
                office,
                {"reason": "Ill", "cost_incurred_gbp": submitted["cost_gbp"]},
            ),
        ]
    steps.append((13, "cpd.request.completed", staff, {"completed_on": starts.isoformat()}))
    if fate < 8:
        return steps
    steps.append(
        (
            15,
            "cpd.request.evaluated",
            staff,
            {
                "rating": rng.randrange(1, 6),
                "impact_on_practice": "Changed practice",
                "recommend_provider": rng.random() < 0.7,
            },
        )
    )
    if fate == 8:
        steps.append((16, "cpd.request.dissemination_waived", head, {"reason": "Shared already"}))
    elif fate > 9:
        steps.append(
            (
                25,
                "cpd.request.disseminated",
                staff,
                {
                    "method": "staff meeting",
                    "disseminated_on": (starts + timedelta(days=12)).isoformat(),
                    "audience": "colleagues",
                },
            )
        )
    if fate > 12:
        steps.append(
            (
                60,
                "cpd.request.impact_reviewed",
                head,
                {
                    "reviewed_on": (starts + timedelta(days=47)).isoformat(),
                    "impact_rating": rng.randrange(1, 6),
                    "summary": "Seen in lessons",
                },
            )
        )
    return steps


def session_days(shape: Shape, first: date) -> dict[int, list[dict[str, Any]]]:
    trust, days = shape.trust, {}
    for day in range(0, shape.days, 14):
        on = first + timedelta(days=day)
        for s in range(trust.schools):
            school_id = trust.school(s)
            inset = on.month == 9 and on.day <= 14
            people = [f"T-{school_id}-{t:03d}" for t in range(0, trust.teachers(s), 9)]
            data: dict[str, Any] = {
                "session_id": f"SES-{school_id}-{day}",
                "school_id": school_id,
                "title": "Training",
                "date": on.isoformat(),
                "hours": "6" if inset else "1.5",
                "kind": "inset" if inset else SESSION_KINDS[day // 14 % 4],
                "attendees": people,
                "led_by": f"CPDL-{school_id}",
            }
            if inset:
                data["statutory_kind"] = "safeguarding"
            days.setdefault(day, []).append(
                _event("cpd.session.recorded", data["session_id"], f"CPDL-{school_id}", data, day)
            )
    return days


async def build(database: Path, shape: Shape = Shape(), today: date | None = None) -> int:
    """Builds the database; returns its history rows."""
    today = today or date.today()
    first = today - timedelta(days=shape.days)
    clock = FakeClock(datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC))
    store = await Store.open(
        database, clock, outbound_event, policy_id_for_school=policy_id_of_school
    )
    try:
        await _apply(store, staff_events(shape.trust) + budgets(shape.trust, first, today))
        requests, sessions = request_days(shape, first), session_days(shape, first)
        for day in range(shape.days + 1):
            clock.set(
                datetime.combine(first + timedelta(days=day), datetime.min.time(), UTC)
                + timedelta(hours=17)
            )
            await _apply(store, sessions.get(day, []) + requests.get(day, []))
    finally:
        await store.close()
    return pad_history(database, shape.history_rows)


async def _apply(store: Store, bodies: list[dict[str, Any]]) -> None:
    for start in range(0, len(bodies), 500):
        outcomes, failure = await store.apply_many(
            [parse_inbound(b) for b in bodies[start : start + 500]]
        )
        if failure is not None:
            raise failure
        refused = [o.status for o in outcomes if o.status.status != "applied"]
        assert not refused, refused[:3]


def pad_history(database: Path, target: int) -> int:
    """Reminder entries (outcome `reminder`, as fired follow-ups write them) spread over the
    requests, after each one's own entries, until the history holds `target` rows."""
    db = sqlite3.connect(database)
    try:
        have = db.execute("SELECT COUNT(*) FROM history").fetchone()[0]
        ids = [r[0] for r in db.execute("SELECT request_id FROM requests ORDER BY request_id")]
        if have >= target or not ids:
            return int(have)
        each = -(-(target - have) // len(ids))
        with db:
            db.execute(
                "INSERT INTO history (request_id, seq, at, event_id, event_source, event_type,"
                " actor, from_state, to_state, data, outcome, reason)"
                " SELECT r.request_id, r.last_seq + n.k, r.updated_at, 'reminder-' || r.request_id"
                " || '-' || n.k, 'urn:cpd-workflow:follow-ups', 'cpd.reminder.due', 'cpd-workflow',"
                " r.state, r.state, '{\"kind\": \"approval_pending\"}', 'reminder', 'reminder'"
                " FROM requests r, (WITH RECURSIVE c(k) AS (SELECT 1 UNION ALL SELECT k + 1"
                " FROM c WHERE k < ?) SELECT k FROM c) n",
                (each,),
            )
            db.execute("UPDATE requests SET last_seq = last_seq + ?", (each,))
        return int(db.execute("SELECT COUNT(*) FROM history").fetchone()[0])
    finally:
        db.close()
