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
the inbox and outbox (nothing reads those here). The events themselves: audit_events.py.
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

from audit_events import Shape, day_events, first_events
from queues_data import Trust

from schemas import outbound_event, parse_inbound
from workflow.audit import CONTENT_COLUMNS
from workflow.clock import FakeClock
from workflow.store import Store, append_history, audit

__all__ = ["Built", "Shape", "build", "sample"]
WAITING = ("requested", "head_approved")
REMIND_EVERY_DAYS = 3


@dataclass(frozen=True)
class Built:
    entries: int
    requests: Counter[str]
    seconds: float
    first_day: date


async def build(database: Path, shape: Shape | None = None, today: date | None = None) -> Built:
    """Build the database (a new file); returns what it holds."""
    shape = shape or Shape()
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
