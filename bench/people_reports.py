"""How long the people reports take for a large trust: equality (trust-wide), the provider
scorecard and a school's annual review over an academic year, and a person's portfolio.

Builds a data directory with `--schools` (20) schools of `--staff` (2,000) people between
them (every fifth part-time, every tenth an ECT), `--requests` (20,000) requests starting
across 2026-27 from 40 providers, every other one approved by the head teacher and the
executive lead (applied through the store, every step role-checked, the ledger written);
then makes each report `--rounds` (5) times on a read-only snapshot, as the routes and
`cpd report` do, rendered as an HTML page, and prints p50 and the slowest.
Run: `python bench/people_reports.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.compliance import event  # noqa: E402
from bench.reports import cpu  # noqa: E402
from handlers.reports.as_html import render_html  # noqa: E402
from handlers.reports.reading import read_snapshot  # noqa: E402
from schemas import outbound_event  # noqa: E402
from tests.directory_seed import SEED, SEEDED_AT, TRUST  # noqa: E402
from workflow.clock import SystemClock  # noqa: E402
from workflow.directory import rules  # noqa: E402
from workflow.directory import store as rows  # noqa: E402
from workflow.directory.records import School  # noqa: E402
from workflow.reports import Report  # noqa: E402
from workflow.reports.context import ReportCalendar, ReportContext  # noqa: E402
from workflow.reports.people_reports import (  # noqa: E402
    annual_review_of,
    equality_of,
    portfolio_of,
    providers_of,
)
from workflow.store import Store  # noqa: E402

YEAR_STARTS = date(2026, 9, 1)


def seed(db: Any, schools: int, staff: int) -> None:
    for s in range(schools):
        rows.save_school(db, School(f"S-{s:02d}", f"School {s}", SEEDED_AT, None, TRUST), SEED)
    for n in range(staff + 1):
        school = f"S-{n % schools:02d}"
        roles = (
            ["executive_lead"]
            if n == staff
            else ["head_teacher"]
            if n < schools
            else (["teacher"] if n % 3 else ["support"])
        )
        data = {
            "staff_id": f"P-{n:05d}",
            "name": f"Person {n}",
            "email": f"p{n}@trust.example",
            "school_id": school,
            "roles": roles,
            "contract": "part_time" if n % 5 == 0 else "full_time",
            "is_ect": n % 10 == 1,
            "started_on": "2019-09-01",
        }
        rows.save_staff(db, rules.upserted(None, data, SEEDED_AT), SEED)


def request_events(n: int, schools: int, staff: int) -> list[Any]:
    person = schools + n % (staff - schools)
    school = f"S-{person % schools:02d}"
    starts = (YEAR_STARTS + timedelta(days=n % 360)).isoformat()
    data = {
        "staff_id": f"P-{person:05d}",
        "school_id": school,
        "title": f"Course {n}",
        "activity_type": "course",
        "provider": f"Provider {n % 40}",
        "start_date": starts,
        "end_date": starts,
        "cost_gbp": "150.00",
        "hours": "6",
        "justification": "bench",
        "priorities": [],
    }
    subject = f"R-{n:06d}"
    found = [event("cpd.request.submitted", subject, data["staff_id"], data)]
    if n % 2:
        head = f"P-{person % schools:05d}"
        found.append(event("cpd.request.head_approved", subject, head, {}))
        found.append(event("cpd.request.executive_approved", subject, f"P-{staff:05d}", {}))
    return found


async def build(data_dir: Path, schools: int, staff: int, requests: int) -> None:
    store = await Store.open(data_dir / "cpd.sqlite3", SystemClock(), outbound_event)
    try:
        await store.transaction(lambda db: seed(db, schools, staff))
        events = [e for n in range(requests) for e in request_events(n, schools, staff)]
        for start in range(0, len(events), 500):
            outcomes, failure = await store.apply_many(events[start : start + 500])
            assert failure is None, failure
            assert all(o.status.status == "applied" for o in outcomes), outcomes[0].status
    finally:
        await store.close()


def timed(database: Path, rounds: int, make: Callable[..., Report | None], *args: Any) -> str:
    context = ReportContext(None, ReportCalendar(), datetime.now(UTC))  # type: ignore[arg-type]
    ms = []
    for _ in range(rounds):
        began = time.perf_counter()
        made = read_snapshot(database, make, context, *args)
        assert made is not None
        render_html(made)
        ms.append((time.perf_counter() - began) * 1000)
    return f"p50 {statistics.median(ms):.0f} ms, max {max(ms):.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cpd-bench-people-") as work:
        data_dir = Path(work)
        started = time.monotonic()
        asyncio.run(build(data_dir, args.schools, args.staff, args.requests))
        load = os.getloadavg()[0]
        print(f"built in {time.monotonic() - started:.1f} s; {cpu()}, load {load:.1f}")
        database = data_dir / "cpd.sqlite3"
        schools = [f"S-{s:02d}" for s in range(args.schools)]
        year = ("2026-09-01", "2027-08-31")
        for name, make, extra in (
            ("equality, trust-wide, a year", equality_of, (*year, schools)),
            ("providers, a year", providers_of, (*year, schools)),
            ("annual review, one school", annual_review_of, ("S-01", "2026-27")),
            ("portfolio, one person", portfolio_of, (f"P-{args.schools:05d}",)),
        ):
            print(f"{name}: {timed(database, args.rounds, make, *extra)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
