"""How fast `GET /compliance?school_id=` answers for a large trust.

Builds a data directory with `--schools` (20) schools of `--staff` (2,000) people between
them, `--requests` (20,000) submitted requests (applied through the store, every one
role-checked) and a safeguarding qualification for about three people in four, some
expired, some expiring; then runs `cpd serve` on it (embedded NATS, a free port) and asks
each school's compliance list `--rounds` (10) times in turn, one request at a time, and
prints p50, p95 and the slowest. Run: `python bench/compliance.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.directory_import import free_port, serve  # noqa: E402
from schemas import outbound_event, parse_inbound  # noqa: E402
from tests.directory_seed import Person, seed_store  # noqa: E402
from workflow.clock import SystemClock  # noqa: E402
from workflow.store import Store  # noqa: E402

TODAY = datetime.now(UTC).date()


def people(schools: int, staff: int) -> list[Person]:
    found = []
    for n in range(staff):
        school = f"S-{n % schools:02d}"
        roles = ("head_teacher",) if n < schools else ("teacher",) if n % 3 else ("support",)
        found.append(Person(f"P-{n:05d}", school, roles))
    return found


def event(event_type: str, subject: str, actor: str, data: dict[str, Any]) -> Any:
    return parse_inbound(
        {
            "specversion": "1.0",
            "id": f"bench-{event_type}-{subject}",
            "source": "urn:bench",
            "type": event_type,
            "subject": subject,
            "actor": actor,
            "data": data,
        }
    )


def submission(n: int, person: Person) -> Any:
    data = {
        "staff_id": person.staff_id,
        "school_id": person.school_id,
        "title": f"Course {n}",
        "activity_type": "course",
        "start_date": (TODAY + timedelta(days=30)).isoformat(),
        "end_date": (TODAY + timedelta(days=30)).isoformat(),
        "cost_gbp": "150.00",
        "justification": "bench",
        "priorities": [],
    }
    return event("cpd.request.submitted", f"R-{n:06d}", person.staff_id, data)


def qualification(person: Person, n: int) -> Any:
    achieved: date = TODAY - timedelta(days=(n * 37) % 500)  # some expired, some expiring
    data = {
        "staff_id": person.staff_id,
        "kind": "safeguarding",
        "achieved_on": achieved.isoformat(),
    }
    return event("qualification.recorded", person.staff_id, "training-records", data)


async def build(data_dir: Path, schools: int, staff: int, requests: int) -> None:
    store = await Store.open(data_dir / "cpd.sqlite3", SystemClock(), outbound_event)
    try:
        everyone = people(schools, staff)
        await seed_store(store, [f"S-{s:02d}" for s in range(schools)], everyone)
        events = [submission(n, everyone[n % staff]) for n in range(requests)]
        events += [qualification(p, n) for n, p in enumerate(everyone) if n % 4]
        for start in range(0, len(events), 500):
            outcomes, failure = await store.apply_many(events[start : start + 500])
            assert failure is None and all(o.status.status == "applied" for o in outcomes)
    finally:
        await store.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cpd-bench-compliance-") as work:
        data_dir = Path(work) / "data"
        data_dir.mkdir()
        started = time.monotonic()
        asyncio.run(build(data_dir, args.schools, args.staff, args.requests))
        machine = platform.processor() or platform.machine()
        print(f"built in {time.monotonic() - started:.1f} s on {machine}")
        port = free_port()
        process = serve(data_dir, port, Path(work) / "serve.log")
        try:
            timings, rows = [], 0
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                for _ in range(args.rounds):
                    for school in range(args.schools):
                        began = time.perf_counter()
                        answer = client.get("/compliance", params={"school_id": f"S-{school:02d}"})
                        timings.append(time.perf_counter() - began)
                        assert answer.status_code == 200, answer.text
                        rows = max(rows, len(answer.json()["items"]))
        finally:
            process.terminate()
            process.wait(timeout=30)
    ms = sorted(t * 1000 for t in timings)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    print(
        f"GET /compliance?school_id=: {len(ms)} calls, up to {rows} rows each:"
        f" p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"
    )
    return 0 if p95 < 100 else 1


if __name__ == "__main__":
    raise SystemExit(main())
