"""The approval queues and request pages at trust scale: 2,000 staff and 20,000 requests in
20 schools (two trusts of ten), read over HTTP from `cpd serve` as deployed.

Set-up (timed, not the point): every event goes through the store's own path, as a posted
event would (`Store.apply_many`: parsed, role-checked against the directory, history,
inbox, outbox), on a fake clock walking 62 days up to today, so requests have waited
different numbers of school days: the directory (`school.upserted`, `staff.upserted`),
each school's SIP (`sip.updated`), then each request's submission and later steps on
their days (30% left waiting for the head teacher, 10% for the executive lead, the rest
rejected, withdrawn, booked or completed). No follow-ups or mail are planned (the store
alone, without the service's hooks), so starting the service fires nothing.

Timed: `cpd serve` in a subprocess on that data directory (embedded NATS, log level
WARNING); one client sends each endpoint's calls one after another (with a few warm-up
calls first) and prints p50, p95 and max per endpoint. The target is p95 under 100 ms.
Run: `python bench/queues.py [--calls 200] [--data-dir DIR]`.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lifecycles import machine, pct  # noqa: E402
from queues_data import Trust, request_events, staff_events  # noqa: E402

from handlers import cli_keys  # noqa: E402
from handlers.settings import Settings  # noqa: E402
from schemas import outbound_event, parse_inbound  # noqa: E402
from tests.blackbox.service import ServiceProcess, free_port  # noqa: E402
from workflow.clock import FakeClock  # noqa: E402
from workflow.store import Store  # noqa: E402

TARGET_P95_MS = 100.0
PathFor = Callable[[int, dict[str, Any] | None], str]  # (call number, last answer) -> path


@dataclass
class Endpoint:
    name: str
    path: PathFor
    as_person: bool = False  # with a key made --as a head teacher (read within reach)
    timings_ms: list[float] = field(default_factory=list)
    items: int = 0


def pages(school: Callable[[int], str], query: str) -> PathFor:
    """Page after page (`next_cursor`), then the first page of the next school's list."""

    def path(n: int, last: dict[str, Any] | None) -> str:
        if last and last.get("next_cursor"):
            return last["_path"].split("&cursor=")[0] + f"&cursor={last['next_cursor']}"
        return "/requests?limit=50" + query.format(school=school(n))

    return path


def endpoints(trust: Trust) -> list[Endpoint]:
    s, t, own = trust.school, trust.trust, trust.school(0)  # own: the head teacher's school
    return [
        Endpoint("head queue", lambda n, _: f"/queues/head?school_id={s(n)}"),
        Endpoint("head queue, as its head", lambda n, _: f"/queues/head?school_id={own}", True),
        Endpoint("executive queue (a trust)", lambda n, _: f"/queues/executive?trust_id={t(n)}"),
        # All 20 schools' queue (the bench's key is a system's), only its top 100 listed.
        Endpoint("executive queue, top 100", lambda n, _: "/queues/executive?limit=100"),
        Endpoint("GET /requests pages, a school", pages(s, "&school_id={school}")),
        Endpoint("GET /requests pages, waiting", pages(s, "&school_id={school}&state=requested")),
        Endpoint("GET /requests pages, all", pages(s, "")),
        Endpoint("GET /requests pages, as a head", pages(s, ""), True),
        # Once merged, one line each:
        Endpoint("budget view", lambda n, _: f"/budgets/{s(n)}?year=2026-27"),
        Endpoint("compliance list", lambda n, _: f"/compliance?school_id={s(n)}"),
    ]


async def build(database: Path, trust: Trust, today: datetime) -> Counter[str]:
    """Apply every event day by day on a fake clock; returns the requests by state."""
    first_day = today - timedelta(days=trust.days + 2)
    clock = FakeClock(first_day)
    store = await Store.open(database, clock, outbound_event)
    try:
        days: dict[int, list[dict[str, Any]]] = {-1: staff_events(trust)}
        for day, events in request_events(trust).items():
            days.setdefault(day, []).extend(events)
        for day in sorted(days):
            clock.set(first_day + timedelta(days=day + 1))
            events = [parse_inbound(body) for body in days[day]]
            for start in range(0, len(events), 500):
                outcomes, failure = await store.apply_many(events[start : start + 500])
                assert failure is None, failure
                refused = [o.status for o in outcomes if o.status.status != "applied"]
                assert not refused, refused[:3]
        rows = await store.on_reader(
            lambda db: db.execute("SELECT state, COUNT(*) FROM requests GROUP BY state").fetchall()
        )
    finally:
        await store.close()
    return Counter(dict(rows))


def make_key(database: Path, name: str, scopes: list[str], as_staff_id: str | None) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert cli_keys.create(database, name, scopes, as_staff_id, out, err) == 0, err.getvalue()
    return out.getvalue().strip()


async def measure(url: str, keys: dict[bool, str], timed: list[Endpoint], calls: int) -> bool:
    """Each endpoint's calls one after another (a few warm-up calls first); True if every
    answer was 200."""
    ok = True
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for endpoint in timed:
            headers = {"Authorization": f"Bearer {keys[endpoint.as_person]}"}
            last: dict[str, Any] | None = None
            for n in range(-10, calls):
                path = endpoint.path(n, last)
                began = time.perf_counter()
                answer = await client.get(path, headers=headers)
                elapsed = (time.perf_counter() - began) * 1000
                if answer.status_code != 200:
                    print(f"  {endpoint.name}: {path} answered {answer.status_code}: {answer.text}")
                    ok = False
                    break
                last = {**answer.json(), "_path": path}
                if n >= 0:
                    endpoint.timings_ms.append(elapsed)
                    # items: the queues, pages and compliance; ledger: a budget
                    listed = last.get("items", last.get("ledger", []))
                    endpoint.items += len(listed)
    return ok


def report(timed: list[Endpoint]) -> None:
    print(f"{'endpoint':36} {'calls':>5} {'items':>6} {'p50':>8} {'p95':>8} {'max':>8}")
    for e in timed:
        if not e.timings_ms:
            continue
        ms = sorted(e.timings_ms)
        p95 = pct(ms, 95)
        verdict = "" if p95 < TARGET_P95_MS else f"  over the {TARGET_P95_MS:.0f} ms target"
        print(
            f"{e.name:36} {len(ms):5} {e.items / len(ms):6.0f} {pct(ms, 50):6.1f}ms"
            f" {p95:6.1f}ms {ms[-1]:6.1f}ms{verdict}"
        )


async def bench(args: argparse.Namespace, data_dir: Path) -> int:
    trust = Trust(schools=args.schools, staff=args.staff, requests=args.requests)
    database = Settings(data_dir=data_dir).database_path
    today = datetime.combine(datetime.now(UTC).date(), clock_time(8), UTC)
    began = time.perf_counter()
    states = await build(database, trust, today)
    took = time.perf_counter() - began
    print(f"set-up:       {sum(states.values())} requests in {took:.1f} s; {dict(states)}")
    print(f"database:     {database.stat().st_size / 2**20:.0f} MiB")
    scopes = ["read:requests", "read:reports"]
    keys = {
        False: make_key(database, "bench-reader", scopes, None),
        True: make_key(database, "bench-head", scopes, trust.head(trust.school(0))),
    }
    service = ServiceProcess(data_dir, free_port(), {"CPD_LOG_LEVEL": "WARNING"})
    await service.start(within=60)
    try:
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (before timing)")
        timed = endpoints(trust)
        ok = await measure(service.url, keys, timed, args.calls)
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (after timing)")
    finally:
        await service.terminate(within=30)
    report(timed)
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200, help="timed calls per endpoint")
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--data-dir", type=Path, help="default: a fresh temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cpd-bench-queues-") as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        print("\n".join(machine(data_dir)))
        raise SystemExit(asyncio.run(bench(args, data_dir)))


if __name__ == "__main__":
    main()
