"""End-to-end throughput and latency: N CPD lifecycles through the real service.

Publishes 7 CloudEvents per lifecycle straight to the inbound broker subject (a
JetStream publish that waits for its PubAck) and times each event from just before
its publish to the commit that applied it. Run: `python bench/lifecycles.py --lifecycles N`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import platform
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.brokers.urls import shown
from handlers.processing import Waiters
from handlers.service import Service
from handlers.settings import Settings
from schemas import CloudEvent, parse_inbound
from workflow.store import Outcome

SOURCE = "urn:bench:cpd"
# A course from yesterday to today: it can be completed now (never in the future), and no
# reminder about it falls due while the benchmark runs.
TODAY = datetime.now(ZoneInfo("Europe/London")).date()
YESTERDAY = (TODAY - timedelta(days=1)).isoformat()
SUBMITTED = {
    "school_id": "school-1",
    "title": "Phonics training",
    "activity_type": "course",
    "start_date": YESTERDAY,
    "end_date": TODAY.isoformat(),
    "cost_gbp": "120.00",
    "justification": "School improvement plan",
    "priorities": ["reading"],
}
STEPS = [  # (event, actor or None for the requester, data)
    ("submitted", None, SUBMITTED),
    ("head_approved", "head-teacher", {"comment": "ok"}),
    ("executive_approved", "ceo", {}),
    ("booked", "booking-office", {"booking_reference": "BK-1", "confirmed_cost_gbp": "120.00"}),
    ("completed", None, {"completed_on": TODAY.isoformat()}),
    ("evaluated", None, {"rating": 4, "impact_on_practice": "x", "recommend_provider": True}),
    (
        "disseminated",
        None,
        {"method": "INSET", "disseminated_on": TODAY.isoformat(), "audience": "all"},
    ),
]


# The school's people who take the approval and booking steps (the directory is loaded
# before timing starts: every step is role-checked against it).
APPROVERS = {
    "head-teacher": ["head_teacher"],
    "ceo": ["executive_lead"],
    "booking-office": ["booking_office"],
}


def directory_events(run: str, staff_ids: list[str]) -> list[CloudEvent]:
    """The school, its approvers and the members of staff `staff_ids`, as HR events."""

    def hr(event_type: str, subject: str, data: dict[str, object]) -> CloudEvent:
        return parse_inbound(
            {
                "specversion": "1.0",
                "id": f"{run}-hr-{subject}",
                "source": "urn:bench:hr",
                "type": event_type,
                "subject": subject,
                "actor": "hr-sync",
                "data": data,
            }
        )

    def person(staff_id: str, roles: list[str]) -> CloudEvent:
        data = {"staff_id": staff_id, "name": staff_id, "email": f"{staff_id}@bench.example"}
        data |= {"school_id": SUBMITTED["school_id"], "contract": "full_time"}
        return hr("staff.upserted", staff_id, {**data, "roles": roles, "started_on": "2020-09-01"})

    school = hr("school.upserted", "school-1", {"school_id": "school-1", "name": "School 1"})
    people = [person(who, roles) for who, roles in APPROVERS.items()]
    return [school, *people, *(person(staff_id, ["teacher"]) for staff_id in staff_ids)]


async def load_directory(service: Service, events: list[CloudEvent]) -> None:
    """Apply the directory before anything is timed: every step is role-checked against it."""
    for chunk in range(0, len(events), 500):
        loaded, failure = await service.store.apply_many(events[chunk : chunk + 500])
        assert failure is None and all(o.status.status == "applied" for o in loaded)


class TimedWaiters(Waiters):
    """Records when each (source, id) outcome arrives, right after its commit."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.expected = expected
        self.committed: dict[tuple[str, str], tuple[float, Outcome]] = {}
        self.all_done = asyncio.Event()

    def resolve(self, outcome: Outcome) -> None:
        key = (outcome.status.source, outcome.status.event_id)
        self.committed.setdefault(key, (time.perf_counter(), outcome))
        if len(self.committed) >= self.expected:
            self.all_done.set()
        super().resolve(outcome)


def lifecycle_events(run: str, n: int, staff: str | None = None) -> list[tuple[str, bytes]]:
    staff, events = staff or f"staff-{n}", []
    for step, actor, data in STEPS:
        event_id = f"{run}-{n}-{step}"
        body = {
            "specversion": "1.0",
            "id": event_id,
            "source": SOURCE,
            "type": f"cpd.request.{step}",
            "subject": f"req-{run}-{n}",
            "actor": actor or staff,
            "data": {**data, "staff_id": staff} if step == "submitted" else data,
        }
        events.append((event_id, json.dumps(body).encode()))
    return events


def machine(data_dir: Path) -> list[str]:
    def grep(path: str, key: str) -> str:  # Linux: /proc
        lines = Path(path).read_text().splitlines()
        return next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith(key)), "?")

    ram_kb = grep("/proc/meminfo", "MemTotal").split()[0]
    ram = f"{int(ram_kb) / 2**20:.1f} GiB" if ram_kb.isdigit() else "?"
    st = os.statvfs(data_dir)
    mounts = [ln.split() for ln in Path("/proc/mounts").read_text().splitlines()]
    here = str(data_dir.resolve())
    fs = max((m for m in mounts if here.startswith(m[1])), key=lambda m: len(m[1]))
    return [
        f"platform:     {platform.platform()}",
        f"cpu:          {grep('/proc/cpuinfo', 'model name')} x {os.cpu_count()}",
        f"ram:          {ram}",
        f"python:       {sys.version.split()[0]}; sqlite {sqlite3.sqlite_version}",
        f"data dir:     {data_dir} ({fs[2]} on {fs[0]}, "
        f"{st.f_bavail * st.f_frsize / 2**30:.0f} GiB free)",
    ]


def sqlite_baseline(data_dir: Path, synchronous: str, count: int = 2000) -> float:
    path = data_dir / f"baseline-{synchronous.lower()}.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute(f"PRAGMA synchronous = {synchronous}")
        db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)")
        start = time.perf_counter()
        for i in range(count):
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO t (body) VALUES (?)", (f"row {i}" * 8,))
            db.execute("COMMIT")
        return count / (time.perf_counter() - start)
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def pct(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, round(p / 100 * len(sorted_ms)) - 1)]


async def bench(args: argparse.Namespace, data_dir: Path) -> int:
    run = uuid.uuid4().hex[:8]
    lifecycles = [lifecycle_events(run, n) for n in range(args.lifecycles)]
    total = 7 * args.lifecycles
    service = Service(Settings(data_dir=data_dir, broker_url=args.broker_url))
    waiters = service.waiters = TimedWaiters(total)
    posted: dict[str, float] = {}
    sem = asyncio.Semaphore(args.concurrency)
    try:
        await service.start()
        if not args.broker_logs:  # FastStream's access logger: 2 INFO lines per message
            for name in list(logging.root.manager.loggerDict):
                if name.startswith("faststream"):
                    logging.getLogger(name).setLevel(logging.WARNING)
        staff = [f"staff-{n}" for n in range(args.lifecycles)]
        await load_directory(service, directory_events(run, staff))
        async with service.store._db.execute("PRAGMA synchronous") as cursor:  # the writer's
            sync_mode = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[(await cursor.fetchone())[0]]

        async def post(events: list[tuple[str, bytes]]) -> None:
            for event_id, body in events:  # one lifecycle in order: each waits for its PubAck
                async with sem:
                    posted[event_id] = time.perf_counter()
                    await service.broker.publish_inbound(body, f"{SOURCE}\x1f{event_id}")

        start = time.perf_counter()
        await asyncio.gather(*(post(events) for events in lifecycles))
        published = time.perf_counter()
        seen = -1
        while not waiters.all_done.is_set() and seen != len(waiters.committed):
            seen = len(waiters.committed)  # give up only after a 30 s stall
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiters.all_done.wait(), 30)
        done = max((t for t, _ in waiters.committed.values()), default=time.perf_counter())
        deadline, empty = time.perf_counter() + 60, False
        while not empty and time.perf_counter() < deadline:  # poll the outbox table itself
            empty = not await service.store.unpublished(limit=1)
            drained = time.perf_counter()
            await asyncio.sleep(0 if empty else 0.01)
    finally:
        await service.stop()

    outcomes = [o for _, o in waiters.committed.values()]
    applied = sum(o.status.status == "applied" and not o.duplicate for o in outcomes)
    rejected = [o.status for o in outcomes if o.status.status != "applied"]
    latencies = sorted(
        (t - posted[eid]) * 1000 for (_, eid), (t, _) in waiters.committed.items() if eid in posted
    ) or [float("nan")]
    p50, p95, p99 = (pct(latencies, p) for p in (50, 95, 99))
    wall = done - start
    broker = (
        shown(args.broker_url)
        if args.broker_url
        else "embedded nats-server (started by the service)"
    )
    lines = [
        *machine(data_dir),
        f"broker:       {broker}; store PRAGMA synchronous = {sync_mode}",
        f"events:       {total} ({args.lifecycles} lifecycles x 7), "
        f"{args.concurrency} publishes in flight; "
        f"FastStream access log {'on' if args.broker_logs else 'off'}",
        f"applied:      {applied}; rejected {len(rejected)}; duplicate "
        f"{sum(o.duplicate for o in outcomes)}; missing {total - len(outcomes)}",
        f"publish:      {published - start:.2f} s for all posts "
        f"({total / (published - start):.0f}/s)",
        f"wall:         {wall:.2f} s first post -> last commit",
        f"throughput:   {total / wall:.0f} events/s end to end",
        f"latency:      post->committed p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms",
        f"outbox:       {'drained' if empty else 'NOT drained'} "
        f"{drained - done:.2f} s after the last commit ({service.relay.published} published)",
    ]
    for mode in dict.fromkeys(["FULL", sync_mode]):  # also the store's own mode
        lines.append(
            f"sqlite:       2000 one-row transactions, WAL, synchronous={mode}: "
            f"{sqlite_baseline(data_dir, mode):.0f} tx/s"
        )
    print("\n".join(lines))
    for status in rejected[:5]:
        print(f"  rejected {status.event_id}: {status.reason} ({status.code})")
    return 0 if applied == total else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lifecycles", type=int, default=2000)
    parser.add_argument("--data-dir", type=Path, help="default: a fresh temporary directory")
    parser.add_argument("--broker-url", help="nats://... or amqp://...; default: embedded NATS")
    parser.add_argument("--concurrency", type=int, default=256, help="publishes in flight")
    parser.add_argument(
        "--broker-logs", action="store_true", help="keep FastStream's 2 INFO lines per message"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.data_dir:
        return asyncio.run(bench(args, args.data_dir))
    with tempfile.TemporaryDirectory(prefix="cpd-bench-") as tmp:
        return asyncio.run(bench(args, Path(tmp)))


if __name__ == "__main__":
    raise SystemExit(main())
