"""The audit chain at a million entries: a request's history, pages of GET /audit, and
`cpd audit verify` over the whole chain.

Set-up (timed, not the point): bench/audit_data.py builds a trust's two years (20
schools, about 2,000 staff, 20,000 requests through the store's write path, copied five
times through the chain's own append function) to about a million entries. With
`--data-dir` pointing at a directory already built, it is used as it is.

Timed: `cpd serve` in a subprocess on that data directory; one client sends each
endpoint's calls one after another (a few warm-up calls first) with an API key
(read:audit, read:requests) and prints p50, p95 and max: `GET /requests/{id}/history`
(target p95 under 5 ms) and `GET /audit` pages of 100 under several filter combinations,
some calls following `next_cursor` deeper (target p95 under 50 ms). Then the service is
stopped and `cpd audit verify` runs over the whole chain (target under 10 s).
Run: `python bench/audit.py [--calls 200] [--data-dir DIR]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audit_data import Shape, build, sample  # noqa: E402
from lifecycles import machine, pct  # noqa: E402
from queues import make_key  # noqa: E402

from handlers.settings import Settings  # noqa: E402
from tests.blackbox.service import ServiceProcess, free_port  # noqa: E402

HISTORY_P95_MS, PAGE_P95_MS, VERIFY_S = 5.0, 50.0, 10.0
PathFor = Callable[[int], str]


@dataclass
class Endpoint:
    name: str
    path: PathFor
    target_ms: float = PAGE_P95_MS
    follow: bool = True  # every other call follows the last answer's next_cursor
    timings_ms: list[float] = field(default_factory=list)
    entries: int = 0


def endpoints(shape: Shape, requests: list[str]) -> list[Endpoint]:
    trust, rng = shape.trust, random.Random(11)
    school = trust.school

    def teacher(n: int) -> str:
        s = n % shape.schools
        return f"T-{school(s)}-{rng.randrange(trust.teachers(s)):03d}"

    def month(n: int) -> str:
        year, m = 2025 + (n % 12 >= 6), (n + 6) % 12 + 1
        return f"from={year}-{m:02d}-01&to={year}-{m:02d}-28"

    types = ["cpd.request.booked", "budget.spent", "cpd.reminder.due", "cpd.session.recorded"]
    reminded = "outcome=reminder&order=newest"
    spent = "event_type=budget.spent"
    return [
        Endpoint(
            "history of a request",
            lambda n: f"/requests/{requests[n]}/history",
            HISTORY_P95_MS,
            follow=False,
        ),
        Endpoint("audit: everything", lambda n: "/audit?limit=100"),
        Endpoint("audit: newest first", lambda n: "/audit?limit=100&order=newest"),
        Endpoint("audit: a school", lambda n: f"/audit?school_id={school(n)}"),
        Endpoint("audit: a person", lambda n: f"/audit?staff_id={teacher(n)}"),
        Endpoint("audit: a request", lambda n: f"/audit?request_id={requests[n]}"),
        Endpoint("audit: an event type", lambda n: f"/audit?event_type={types[n % 4]}"),
        Endpoint("audit: a head's actions", lambda n: f"/audit?actor=HEAD-{school(n)}"),
        Endpoint("audit: school + state", lambda n: f"/audit?school_id={school(n)}&state=booked"),
        Endpoint("audit: refused", lambda n: "/audit?outcome=refused&order=newest"),
        Endpoint(
            "audit: reminders to a head", lambda n: f"/audit?staff_id=HEAD-{school(n)}&{reminded}"
        ),
        Endpoint("audit: a month", lambda n: f"/audit?{month(n)}"),
        Endpoint(
            "audit: school + type + month",
            lambda n: f"/audit?school_id={school(n)}&{spent}&{month(n)}",
        ),
        Endpoint("audit: a school as CSV", lambda n: f"/audit?school_id={school(n)}&format=csv"),
    ]


async def measure(url: str, key: str, timed: list[Endpoint], calls: int) -> bool:
    ok = True
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for endpoint in timed:
            cursor: str | None = None
            for n in range(-10, calls):
                path = endpoint.path(n + 10)  # warm-up calls too: from 0
                if endpoint.follow and cursor and n % 2:
                    path += f"{'&' if '?' in path else '?'}cursor={cursor}"
                began = time.perf_counter()
                answer = await client.get(path, headers=headers)
                elapsed = (time.perf_counter() - began) * 1000
                if answer.status_code != 200:
                    print(f"  {endpoint.name}: {path} answered {answer.status_code}: {answer.text}")
                    ok = False
                    break
                cursor, listed = _page(answer)
                if n >= 0:
                    endpoint.timings_ms.append(elapsed)
                    endpoint.entries += listed
    return ok


def _page(answer: httpx.Response) -> tuple[str | None, int]:
    if answer.headers["content-type"].startswith("text/csv"):
        return answer.headers.get("X-Next-Cursor"), answer.text.count("\n") - 1
    body: dict[str, Any] = answer.json()
    return body.get("next_cursor"), len(body["entries"])


def verify(data_dir: Path) -> tuple[float, str, int]:
    """`cpd audit verify` as a command (the click group, in a fresh interpreter)."""
    command = "from handlers.cli_audit import audit; audit()"
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", command, "verify", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    return time.perf_counter() - began, done.stdout.strip() or done.stderr.strip(), done.returncode


def report(timed: list[Endpoint]) -> None:
    print(f"{'endpoint':32} {'calls':>5} {'rows':>5} {'p50':>8} {'p95':>8} {'max':>8}")
    for e in timed:
        if not e.timings_ms:
            continue
        ms = sorted(e.timings_ms)
        p95 = pct(ms, 95)
        verdict = "" if p95 < e.target_ms else f"  over the {e.target_ms:.0f} ms target"
        print(
            f"{e.name:32} {len(ms):5} {e.entries / len(ms):5.0f} {pct(ms, 50):6.1f}ms"
            f" {p95:6.1f}ms {ms[-1]:6.1f}ms{verdict}"
        )


async def bench(args: argparse.Namespace, data_dir: Path) -> int:
    shape = Shape(requests=args.requests, copies=args.copies)
    database = Settings(data_dir=data_dir).database_path
    if database.exists():
        print(f"set-up:       reusing {database}")
    else:
        built = await build(database, shape)
        print(
            f"set-up:       {built.entries} audit entries, {sum(built.requests.values())}"
            f" requests in {built.seconds:.0f} s; {dict(built.requests)}"
        )
    print(f"database:     {database.stat().st_size / 2**20:.0f} MiB")
    key = make_key(database, f"bench-auditor-{os.getpid()}", ["read:audit", "read:requests"], None)
    requests = list(sample(database, args.calls + 10))
    service = ServiceProcess(data_dir, free_port(), {"CPD_LOG_LEVEL": "WARNING"})
    await service.start(within=120)
    try:
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (before timing)")
        timed = endpoints(shape, requests)
        ok = await measure(service.url, key, timed, args.calls)
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (after timing)")
    finally:
        await service.terminate(within=30)
    report(timed)
    took, said, code = verify(data_dir)
    verdict = "" if took < VERIFY_S else f"  over the {VERIFY_S:.0f} s target"
    print(f"cpd audit verify: {took:.1f} s, exit {code}: {said}{verdict}")
    return 0 if ok and code == 0 else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=200, help="timed calls per endpoint")
    parser.add_argument("--requests", type=int, default=20000, help="through the write path")
    parser.add_argument("--copies", type=int, default=5, help="copies of each day's requests")
    parser.add_argument("--data-dir", type=Path, help="default: a fresh temporary directory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cpd-bench-audit-") as tmp:
        data_dir = args.data_dir or Path(tmp) / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        print("\n".join(machine(data_dir)))
        raise SystemExit(asyncio.run(bench(args, data_dir)))


if __name__ == "__main__":
    main()
