"""Follow-ups at scale: start-up with 100,000 pending, memory, and lateness under load.

Seeds N requests with one pending follow-up each (spread over the coming weeks) plus a
few hundred falling due in the first seconds, then starts the real service and, while
lifecycles are pushed through the broker, measures how late those due ones fire.
Run: `python bench/follow_ups.py [--pending 100000] [--due-soon 500] [--lifecycles 300]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from lifecycles import SOURCE, STEPS, directory_events, load_directory, machine, pct

from handlers.service import Service
from handlers.settings import Settings
from schemas import outbound_event
from workflow.clock import SystemClock
from workflow.store import Store

STAMP = "%Y-%m-%dT%H:%M:%S.%f+00:00"


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def seed(path: Path, pending: int, due_soon: int, window_s: float) -> datetime:
    store = await Store.open(path, SystemClock(), outbound_event)  # runs the migrations
    await store.close()
    now = datetime.now(UTC)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.executemany(
        # Columns named: later migrations add columns with defaults.
        "INSERT INTO requests (request_id, state, staff_id, school_id, title, activity_type,"
        " provider, start_date, end_date, cost_gbp, version, last_seq, created_at, updated_at,"
        " details) VALUES (?, 'requested', ?, 'S-1', 'Course', 'course', NULL,"
        " '2027-01-12', '2027-01-13', '100.00', 1, 1, ?, ?, '{}')",
        ((f"R{i}", f"T{i}", now.isoformat(), now.isoformat()) for i in range(pending)),
    )

    def due(i: int) -> str:
        if i < due_soon:  # spread over the first seconds of the run
            return (now + timedelta(seconds=5 + window_s * i / due_soon)).strftime(STAMP)
        return (now + timedelta(days=1 + (i % 40))).strftime(STAMP)

    db.executemany(
        "INSERT INTO follow_ups (id, request_id, school_id, kind, recipient_role, attempt,"
        " due_at, status, created_at) VALUES (?, ?, 'S-1', 'approval_pending', 'head_teacher',"
        " 1, ?, 'pending', ?)",
        ((f"F{i:06d}", f"R{i}", due(i), now.strftime(STAMP)) for i in range(pending)),
    )
    db.execute("COMMIT")
    db.close()
    return now


async def load(service: Service, lifecycles: int, concurrency: int = 64) -> float:
    """Push lifecycles through the broker as fast as it takes them; returns the seconds."""
    gate = asyncio.Semaphore(concurrency)

    async def one(n: int) -> None:
        request_id = f"LOAD-{uuid.uuid4().hex[:8]}-{n}"
        async with gate:
            for step, actor, data in STEPS:
                data = {**data, "staff_id": "T-LOAD"} if step == "submitted" else data
                body = {
                    "specversion": "1.0",
                    "id": uuid.uuid4().hex,
                    "source": SOURCE,
                    "type": f"cpd.request.{step}",
                    "subject": request_id,
                    "actor": actor or "T-LOAD",
                    "data": data,
                }
                await service.broker.publish_inbound(json.dumps(body).encode(), body["id"])

    started = time.perf_counter()
    await asyncio.gather(*(one(n) for n in range(lifecycles)))
    return time.perf_counter() - started


async def bench(args: argparse.Namespace, data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir)
    t0 = time.perf_counter()
    seeded_at = await seed(settings.database_path, args.pending, args.due_soon, args.window)
    print(f"seeded:       {args.pending} pending follow-ups in {time.perf_counter() - t0:.1f} s")
    rss_before = rss_mib()
    service = Service(settings)
    t0 = time.perf_counter()
    await service.start()
    ready = time.perf_counter() - t0
    try:
        print(f"start:        {ready * 1000:.0f} ms from start() to ready (embedded NATS included)")
        print(f"rss:          {rss_before:.0f} MiB before start, {rss_mib():.0f} MiB when ready")
        await load_directory(service, directory_events(uuid.uuid4().hex[:8], ["T-LOAD"]))
        deadline = seeded_at + timedelta(seconds=5 + args.window + 2)
        loader = asyncio.create_task(load(service, args.lifecycles))
        posted_in = await loader
        # Let the last of the due ones fall due before counting.
        await asyncio.sleep(max(0.0, (deadline - datetime.now(UTC)).total_seconds()))
        await service.waker.wake() if service.waker else None
        async with service.store.reader.execute(
            "SELECT due_at, fired_at FROM follow_ups WHERE id < ? AND id GLOB 'F*'"
            " AND status = 'fired'",
            (f"F{args.due_soon:06d}",),
        ) as cursor:
            rows = await cursor.fetchall()
        late = sorted(
            (datetime.fromisoformat(f) - datetime.fromisoformat(d)).total_seconds() * 1000
            for d, f in rows
        )
        print(
            f"load:         {args.lifecycles} lifecycles ({7 * args.lifecycles} events) "
            f"through the broker while {args.due_soon} follow-ups fell due over "
            f"{args.window:.0f} s (all posted in {posted_in:.1f} s)"
        )
        print(
            f"fired:        {len(late)} of the due ones; lateness p50 {pct(late, 50):.0f} ms, "
            f"p99 {pct(late, 99):.0f} ms, max {late[-1]:.0f} ms"
        )
        print(f"rss:          {rss_mib():.0f} MiB after the run")
    finally:
        await service.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--due-soon", type=int, default=500)
    parser.add_argument("--window", type=float, default=10.0, help="seconds they fall due over")
    parser.add_argument("--lifecycles", type=int, default=1500)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("faststream").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="cpd-bench-follow-ups-") as tmp:
        data_dir = Path(tmp)
        print("\n".join(machine(data_dir)))
        asyncio.run(bench(args, data_dir))


if __name__ == "__main__":
    main()
