"""How fast the reports are made at trust scale: one school's termly report (target under
1 s) and the trust summary of 20 schools (under 3 s), each with a million audit entries.

The data: `--data-dir DIR` holding a built database (`cpd.sqlite3`), else one built now in
a temporary directory by bench/audit_data.py (the audit benchmark's builder: 20 schools,
2,000 staff, 120,000 requests over two years, a million audit entries). Building takes
minutes and is not timed.

Timed: what `cpd report` does (handlers/cli_report.py): the report made on a read-only
connection in one snapshot, then rendered as JSON, `--runs` times each (20), p50 and p95
printed; one HTML rendering too. Then the query plans of the reports' readers.
Run: `python bench/reports.py [--data-dir DIR] [--runs 20]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from handlers.reports import render_html, render_json  # noqa: E402
from handlers.reports.calendar import report_calendar  # noqa: E402
from handlers.reports.reading import read_snapshot  # noqa: E402
from scheduler.calendar import load_calendar  # noqa: E402
from workflow.directory import policy_id_of_school  # noqa: E402
from workflow.directory.store import schools_as_of  # noqa: E402
from workflow.policy import PolicyLibrary, default_policy_set  # noqa: E402
from workflow.reports import Report  # noqa: E402
from workflow.reports.context import ReportContext  # noqa: E402
from workflow.reports.termly import termly_report  # noqa: E402
from workflow.reports.trust import trust_report  # noqa: E402
from workflow.store.policies import Governance  # noqa: E402

TERMLY_TARGET_S, TRUST_TARGET_S = 1.0, 3.0
PLANS = {
    "requests of a period": "SELECT request_id FROM requests WHERE school_id = 'S-00'"
    " AND start_date BETWEEN '2025-09-01' AND '2025-12-31'",
    "decisions": "SELECT h.request_id FROM requests r JOIN history h ON h.request_id ="
    " r.request_id WHERE r.school_id = 'S-00' AND r.start_date BETWEEN '2025-09-01' AND"
    " '2025-12-31' AND h.outcome = 'applied' AND h.to_state IN ('executive_approved', 'rejected')",
    "holdings": "SELECT l.request_id FROM requests r JOIN budget_ledger l ON l.request_id ="
    " r.request_id WHERE r.school_id = 'S-00' AND r.start_date BETWEEN '2025-09-01' AND"
    " '2025-12-31' GROUP BY l.request_id",
}


def build(data_dir: Path) -> str:
    import audit_data

    built = asyncio.run(audit_data.build(data_dir / "cpd.sqlite3"))
    return f"bench/audit_data.py: {built.entries:,} audit entries"


def cpu() -> str:
    info = Path("/proc/cpuinfo")
    names = (
        [
            ln.split(":", 1)[1].strip()
            for ln in info.read_text().splitlines()
            if ln.startswith("model name")
        ]
        if info.exists()
        else []
    )
    return names[0] if names else platform.machine()


def timed(runs: int, make: Callable[[], Report]) -> tuple[list[float], Report]:
    seconds, made = [], make()  # one warm-up: the page cache, the first imports
    for _ in range(runs):
        started = time.perf_counter()
        made = make()
        render_json(made)
        seconds.append(time.perf_counter() - started)
    return sorted(seconds), made


def line(name: str, seconds: list[float], target: float) -> str:
    p50 = statistics.median(seconds)
    p95 = seconds[min(len(seconds) - 1, round(0.95 * len(seconds)) - 1)]
    verdict = "within" if p95 < target else "OVER"
    return (
        f"{name:<36} p50 {p50 * 1000:7.0f} ms  p95 {p95 * 1000:7.0f} ms  ({verdict} {target:.0f} s)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="a built data directory (cpd.sqlite3)")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cpd-bench-reports-") as scratch:
        data_dir = args.data_dir or Path(scratch)
        if args.data_dir is None:
            started = time.perf_counter()
            made = build(data_dir)
            print(f"built with {made} in {time.perf_counter() - started:.0f} s")
        return measure(data_dir / "cpd.sqlite3", args.runs)


def measure(database: Path, runs: int) -> int:
    now = datetime.now(UTC)
    context = ReportContext(
        Governance(PolicyLibrary(default=default_policy_set()), policy_id_of_school),
        report_calendar(load_calendar()),
        now,
    )
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        schools = sorted(schools_as_of(db, now))
        history = db.execute("SELECT COUNT(*) FROM history").fetchone()[0]
        requests = db.execute("SELECT COUNT(*) FROM requests").fetchone()[0]
    term = context.calendar.terms.term_of(date.today() - timedelta(days=120)).label
    first, last = date.today() - timedelta(days=365), date.today()
    print(
        f"{cpu()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f};"
        f" {len(schools)} schools, {requests:,} requests, {history:,} history rows"
    )
    termly_s, termly = timed(
        runs, lambda: read_snapshot(database, termly_report, context, schools[0], term)
    )
    trust_s, trust = timed(
        max(runs // 2, 5),
        lambda: read_snapshot(database, trust_report, context, schools, first, last),
    )
    started = time.perf_counter()
    page = render_html(trust)
    html_ms = (time.perf_counter() - started) * 1000
    in_term = termly.table("requests_by_state").rows[-1][-1]
    in_year = sum(int(str(r[-1])) for r in trust.table("requests_by_state").rows)
    print(line(f"termly {schools[0]} {term} ({in_term} requests)", termly_s, TERMLY_TARGET_S))
    print(line(f"trust, {len(schools)} schools, 365 days ({in_year})", trust_s, TRUST_TARGET_S))
    print(f"the trust summary's HTML page: {len(page) // 1024} KiB in {html_ms:.0f} ms")
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        for name, sql in PLANS.items():
            plan = [row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}")]
            print(f"plan, {name}: {'; '.join(plan)}")
    over = (
        statistics.median(termly_s) > TERMLY_TARGET_S or statistics.median(trust_s) > TRUST_TARGET_S
    )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
