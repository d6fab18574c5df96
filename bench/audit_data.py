"""A trust's two academic years, to a million audit entries: for bench/audit.py, and for any
benchmark that needs a realistic, large database (the reports').

20 schools in two trusts and about 2,000 staff (bench/queues_data.py's people and SIPs),
budgets for every financial year, a safeguarding qualification for each person, an
in-house session at each school every fortnight (a safeguarding INSET each September), and
20,000 requests over the 730 days up to today, through realistic fates: a quarter refused,
withdrawn, not attended or cancelled, the rest approved, booked, completed, evaluated and
disseminated, each step days after the one before (steps that would fall after today are
not taken, so recent requests are still on their way). Requests waiting for an approval
are reminded every third day, as the follow-ups would.

All of that goes through the store's own write path, day by day on a fake clock
(`Store.apply_many`: parsed, role-checked, history, budget ledger, inbox, outbox). Then,
to reach a million entries in minutes, each day's request entries (history and budget
movements) are copied `copies` times through the chain's own append function, as the
requests of other teachers of the same school (ids `R-00042.1`...), with their `requests`
and `budget_ledger` rows, in the same day, so the chain stays in time order. Copies skip
the inbox and outbox (nothing reads those here).
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from queues_data import SOURCE, Trust, staff_events

from schemas import outbound_event, parse_inbound
from workflow.audit import CONTENT_COLUMNS
from workflow.clock import FakeClock
from workflow.store import Store, append_history, audit

WAITING = ("requested", "head_approved")
REMIND_EVERY_DAYS = 3


@dataclass(frozen=True)
class Shape:
    schools: int = 20
    staff: int = 2000
    requests: int = 20000  # through the store's write path; copies add the rest
    copies: int = 5
    days: int = 730

    @property
    def trust(self) -> Trust:
        return Trust(self.schools, self.staff, self.requests, self.days)


@dataclass(frozen=True)
class Built:
    entries: int
    requests: Counter[str]
    seconds: float
    first_day: date


def _event(kind: str, subject: str, actor: str, data: dict[str, Any], n: object) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": f"audit-{kind}-{n}",
        "source": SOURCE,
        "type": kind,
        "subject": subject,
        "actor": actor,
        "data": data,
    }


def teacher(trust: Trust, school: int, n: int) -> str:
    return f"T-{trust.school(school)}-{n % trust.teachers(school):03d}"


def first_events(shape: Shape, first: date) -> list[dict[str, Any]]:
    """The directory, SIPs, a budget for each financial year, and qualifications."""
    trust, events = shape.trust, staff_events(shape.trust)
    for s in range(shape.schools):
        school_id = trust.school(s)
        for year in range(first.year - 1, first.year + shape.days // 365 + 1):
            label = f"{year}-{(year + 1) % 100:02d}"
            budget = {"school_id": school_id, "financial_year": label, "amount_gbp": "5000000"}
            ident = label + school_id
            events.append(_event("budget.set", school_id, "finance-system", budget, ident))
        for t in range(trust.teachers(s)):
            staff_id = teacher(trust, s, t)
            achieved = first - timedelta(days=1 + (t * 37) % 700)
            held = {"staff_id": staff_id, "kind": "safeguarding", "achieved_on": str(achieved)}
            events.append(_event("qualification.recorded", staff_id, "records", held, staff_id))
    return events


def day_events(shape: Shape, first: date, seed: int = 2026) -> dict[int, list[dict[str, Any]]]:
    """Each day's requests and sessions (day 0 is `first`), in the order they happen."""
    rng, trust = random.Random(seed), shape.trust
    days: dict[int, list[dict[str, Any]]] = {}
    for i in range(shape.requests):
        s = i % shape.schools
        day = i * shape.days // shape.requests
        for when, body in _request(rng, trust, i, s, day, first):
            if when < shape.days:
                days.setdefault(when, []).append(body)
    for day in range(0, shape.days, 14):
        for s in range(shape.schools):
            days.setdefault(day, []).append(_session(rng, trust, s, first + timedelta(days=day)))
    return days


def _request(
    rng: random.Random, trust: Trust, i: int, s: int, day: int, first: date
) -> list[tuple[int, dict[str, Any]]]:
    school_id, fate = trust.school(s), (i // trust.schools) % 20
    staff_id, request_id = teacher(trust, s, i // trust.schools), f"R-{i:05d}"
    trust_id = f"TR-{trust.trust_of(s)}"
    head, executive, office = trust.head(school_id), f"EXEC-{trust_id}", f"OFFICE-{trust_id}"
    # Most approvals come in two days; one in four waits nine (and is reminded meanwhile).
    head_on = 9 if rng.random() < 0.25 else 2
    exec_on = head_on + (9 if rng.random() < 0.25 else 2)
    starts = first + timedelta(days=day + exec_on + 6)  # booked two days before it starts
    cost = rng.randrange(0, 90) * 10
    submitted = {
        "staff_id": staff_id,
        "school_id": school_id,
        "title": rng.choice(["Phonics leadership", "Maths mastery", "Behaviour", "SEND update"]),
        "activity_type": rng.choice(["course", "conference", "online", "qualification"]),
        "provider": "Teaching Hub",
        "start_date": starts.isoformat(),
        "end_date": starts.isoformat(),
        "cost_gbp": f"{cost}.00",
        "justification": "Improvement priority",
        "priorities": rng.sample(["SIP-1", "SIP-2", "SIP-3", "SIP-4"], rng.randrange(0, 3)),
    }

    def step(kind: str, after: int, actor: str, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return day + after, _event(f"cpd.request.{kind}", request_id, actor, data, i)

    begun = exec_on + 6 + 1  # the day after it starts
    on = (starts + timedelta(days=1)).isoformat()
    steps = [step("submitted", 0, staff_id, submitted)]
    if fate == 0:
        return [*steps, step("head_rejected", head_on, head, {"reason": "Not this term"})]
    if fate == 1:
        return [*steps, step("withdrawn", 1, staff_id, {"reason": "Changed plans"})]
    if fate == 5:  # a teacher trying to approve their own request: refused, and recorded
        attempt = _event("cpd.request.head_approved", request_id, staff_id, {}, f"attempt-{i}")
        steps.append((day + 1, attempt))
    steps.append(step("head_approved", head_on, head, {"comment": "Agreed"}))
    if fate == 2:
        refusal = {"reason": "Trust budget"}
        return [*steps, step("executive_rejected", exec_on, executive, refusal)]
    confirmed = f"{max(0, cost + rng.choice([-20, 0, 0, 15]))}.00"
    booking = {"booking_reference": f"BK-{i}", "confirmed_cost_gbp": confirmed}
    steps += [
        step("executive_approved", exec_on, executive, {}),
        step("booked", exec_on + 4, office, booking),
    ]
    if fate == 3:
        cancelled = {"reason": "Provider cancelled"}
        return [*steps, step("booking_cancelled", exec_on + 5, office, cancelled)]
    if fate == 4:
        missed = {"reason": "Ill on the day", "cost_incurred_gbp": confirmed}
        return [*steps, step("not_attended", begun, staff_id, missed)]
    evaluated = {"rating": 4, "impact_on_practice": "Used in class", "recommend_provider": True}
    shared = {"method": "Staff meeting", "disseminated_on": "", "audience": "Department"}
    steps += [
        step("completed", begun, staff_id, {"completed_on": on}),
        step("evaluated", begun + 3, staff_id, evaluated),
        step("disseminated", begun + 9, staff_id, shared),
    ]
    shared["disseminated_on"] = (first + timedelta(days=day + begun + 9)).isoformat()
    return steps


def _session(rng: random.Random, trust: Trust, s: int, on: date) -> dict[str, Any]:
    school_id = trust.school(s)
    everyone = [teacher(trust, s, t) for t in range(trust.teachers(s))]
    inset = on.month == 9 and on.day <= 14
    some = rng.sample(everyone, min(len(everyone), rng.randrange(8, 40)))
    data: dict[str, Any] = {
        "session_id": f"SES-{school_id}-{on.isoformat()}",
        "school_id": school_id,
        "title": "Safeguarding" if inset else rng.choice(["Reading", "Behaviour", "Feedback"]),
        "date": on.isoformat(),
        "hours": "3" if inset else "1",
        "kind": "inset" if inset else "staff_meeting",
        "attendees": everyone if inset else some,
        "led_by": f"CPDL-{school_id}",
    }
    if inset:
        data["statutory_kind"] = "safeguarding"
    session_id = data["session_id"]
    return _event("cpd.session.recorded", session_id, f"CPDL-{school_id}", data, session_id)


async def build(database: Path, shape: Shape = Shape(), today: date | None = None) -> Built:
    """Build the database (a new file); returns what it holds."""
    began = time.perf_counter()
    last = today or datetime.now(UTC).date()
    first = last - timedelta(days=shape.days)
    moment = datetime.combine(first, datetime.min.time(), UTC) + timedelta(hours=8)
    clock = FakeClock(moment - timedelta(days=1))
    store = await Store.open(database, clock, outbound_event)
    # Not the service: nothing to lose in a power cut, so no fsync at each commit.
    await store.on_writer(lambda db: db.execute("PRAGMA synchronous = OFF"))
    try:
        await _apply(store, first_events(shape, first))
        for day, events in sorted(day_events(shape, first).items()):
            clock.set(moment + timedelta(days=day))
            mark = await store.on_reader(_marks)
            await _apply(store, events)
            await store.transaction(lambda db, d=day: _remind(db, clock.now(), d))
            await store.transaction(lambda db, m=mark: _copy(db, m, shape))
        states = await store.on_reader(_states)
        entries = (await store.on_reader(audit.head)).seq
    finally:
        await store.close()
    return Built(entries, states, time.perf_counter() - began, first)


async def _apply(store: Store, bodies: list[dict[str, Any]]) -> None:
    events = [parse_inbound(body) for body in bodies]
    for start in range(0, len(events), 500):
        outcomes, failure = await store.apply_many(events[start : start + 500])
        assert failure is None, failure
        refused = [o.status for o in outcomes if o.status.status != "applied"]
        unexpected = [status for status in refused if "-attempt-" not in status.event_id]
        assert not unexpected, unexpected[:3]


def _marks(db: sqlite3.Connection) -> tuple[int, int]:
    """Where the chain and the ledger stood before a day's events."""
    entry = db.execute("SELECT COALESCE(MAX(seq), 0) FROM audit").fetchone()[0]
    ledger = db.execute("SELECT COALESCE(MAX(seq), 0) FROM budget_ledger").fetchone()[0]
    return int(entry), int(ledger)


def _states(db: sqlite3.Connection) -> Counter[str]:
    return Counter(dict(db.execute("SELECT state, COUNT(*) FROM requests GROUP BY state")))


def _remind(db: sqlite3.Connection, now: datetime, day: int) -> None:
    """An approval reminder to the head teacher (or the executive lead) of each request
    waiting since a multiple of three days, written as the follow-ups write theirs."""
    waiting = db.execute(
        "SELECT request_id, state, last_seq, school_id, updated_at FROM requests"
        f" WHERE state IN {WAITING} AND request_id NOT LIKE '%.%'"
    ).fetchall()
    for request_id, state, last_seq, school_id, updated_at in waiting:
        waited = (now - datetime.fromisoformat(updated_at)).days
        if waited == 0 or waited % REMIND_EVERY_DAYS:
            continue
        to = f"HEAD-{school_id}" if state == "requested" else "EXEC-TR-0"
        recipient = {"staff_id": to, "name": to.title(), "email": f"{to.lower()}@bench.example"}
        recipient |= {"role": "approver", "unassigned_role": None}
        data = {
            "kind": "approval_wait",
            "attempt": waited // REMIND_EVERY_DAYS,
            "recipients": [recipient],
        }
        seq = last_seq + 1
        db.execute("UPDATE requests SET last_seq = ? WHERE request_id = ?", (seq, request_id))
        append_history(
            db, request_id=request_id, seq=seq, at=now,
            event_id=f"reminder-{request_id}-{day}", event_source="cpd-workflow/scheduler",
            event_type="cpd.reminder.due", actor="cpd-workflow", from_state=state,
            to_state=state, data=data, outcome="reminder",
        )  # fmt: skip


def _copy(db: sqlite3.Connection, mark: tuple[int, int], shape: Shape) -> None:
    """The day's request entries, requests and ledger rows again, as other teachers'."""
    names = CONTENT_COLUMNS
    rows = db.execute(
        f"SELECT {', '.join(names)} FROM audit WHERE seq > ? AND request_id IS NOT NULL"
        " AND kind IN ('request', 'budgets') ORDER BY seq",
        (mark[0],),
    ).fetchall()
    touched = sorted({row[names.index("request_id")] for row in rows})
    for k in range(1, shape.copies + 1):
        for row in rows:
            entry = dict(zip(names, row, strict=True))
            staff_id = entry["staff_id"]
            twin = _twin(shape.trust, staff_id, k)
            audit.append(
                db,
                **{n: entry[n] for n in _KEPT},
                event_id=f"{entry['event_id']}.{k}",
                actor=twin if entry["actor"] == staff_id else entry["actor"],
                request_id=f"{entry['request_id']}.{k}",
                staff_id=twin,
                data=_swap(entry["data"], staff_id, twin),
            )
        for request_id in touched:
            _copy_request(db, request_id, k, shape)
        db.execute(
            "INSERT INTO budget_ledger (school_id, financial_year, kind, request_id,"
            " amount_pence, at, cause, actor, categories) SELECT school_id, financial_year,"
            " kind, request_id || '.' || ?, amount_pence, at, cause, actor, categories"
            " FROM budget_ledger WHERE seq > ? AND request_id IS NOT NULL",
            (k, mark[1]),
        )


_KEPT = ("at", "kind", "event_type", "event_source", "on_behalf_of", "client", "request_seq",
         "school_id", "from_state", "to_state", "outcome", "reason")  # fmt: skip


def _copy_request(db: sqlite3.Connection, request_id: str, k: int, shape: Shape) -> None:
    cursor = db.execute("SELECT * FROM requests WHERE request_id = ?", (request_id,))
    names = [c[0] for c in cursor.description]
    row = dict(zip(names, cursor.fetchone(), strict=True))
    twin = _twin(shape.trust, row["staff_id"], k)
    row.update(
        request_id=f"{request_id}.{k}",
        staff_id=twin,
        details=_swap(row["details"], row["staff_id"], twin),
    )
    db.execute(
        f"INSERT OR REPLACE INTO requests ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )


def _twin(trust: Trust, staff_id: str, k: int) -> str:
    """Another teacher of the same school: T-S-03-012 -> T-S-03-(012 + 37k)."""
    _, _, school, n = staff_id.split("-")
    s = int(school)
    return f"T-S-{school}-{(int(n) + 37 * k) % trust.teachers(s):03d}"


def _swap(text: str, old: str, new: str) -> str:
    """The JSON text with the person's id replaced wherever it is a whole value."""
    return text.replace(f'"{old}"', f'"{new}"')


def sample(database: Path, count: int, seed: int = 7) -> Iterator[str]:
    """Request ids to read back, real and copied alike."""
    with sqlite3.connect(database) as db:
        ids = [r[0] for r in db.execute("SELECT request_id FROM requests")]
    rng = random.Random(seed)
    yield from (rng.choice(ids) for _ in range(count))
