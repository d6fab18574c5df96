"""What a probe and a scrape cost on years of rows: GET /health/ready and GET /metrics on a
database seeded with a trust's five years (by default 500,000 events processed, as many
outbound events published, 100,000 follow-ups and 100,000 mails, a few of each waiting).

Run: `python bench/observability.py [--events 500000] [--rounds 200]`.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from lifecycles import pct

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from schemas import outbound_event
from workflow.clock import SystemClock
from workflow.store import Store

STAMP = "%Y-%m-%dT%H:%M:%S.%f+00:00"
WAITING = 20  # of each kind: queued events, unpublished outbound, pending follow-ups, mail


async def seed(path: Path, events: int, follow_ups: int, mails: int) -> None:
    store = await Store.open(path, SystemClock(), outbound_event)  # runs the migrations
    await store.close()
    then = datetime.now(UTC) - timedelta(days=5 * 365)
    at = then.isoformat()
    # Pending ones are due tomorrow: none fires (their requests are not seeded) during the run.
    due = (datetime.now(UTC) + timedelta(days=1)).strftime(STAMP)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO inbox (source, event_id, event_type, request_id, status, received_at,"
        " processed_at) VALUES ('urn:bench', ?, 'cpd.request.submitted', ?, ?, ?, ?)",
        (
            (f"E{i}", f"R{i % 50_000}", "queued" if i < WAITING else "applied", at, at)
            for i in range(events)
        ),
    )
    db.executemany(
        "INSERT INTO outbox (event_id, event_type, body, created_at, published_at)"
        " VALUES (?, 'cpd.request.state_changed', '{}', ?, ?)",
        ((f"O{i}", at, None if i >= events - WAITING else at) for i in range(events)),
    )
    db.executemany(
        "INSERT INTO follow_ups (id, request_id, school_id, kind, recipient_role, attempt,"
        " due_at, status, created_at) VALUES (?, ?, 'S-1', 'approval_pending', 'head_teacher',"
        " 1, ?, ?, ?)",
        (
            (f"F{i}", f"R{i}", due, "pending" if i < WAITING else "fired", at)
            for i in range(follow_ups)
        ),
    )
    db.executemany(
        "INSERT INTO notifications (message_id, request_id, cause, kind, template, to_address,"
        " to_name, subject, text, html, context, status, not_before, created_at) VALUES"
        " (?, ?, 'bench', 'reminder', 'reminder', 'a@b.example', 'A', 's', 't', 'h', '{}', ?,"
        " ?, ?)",
        (
            (f"<m{i}@bench>", f"R{i}", "queued" if i < WAITING else "sent", at, at)
            for i in range(mails)
        ),
    )
    db.execute("COMMIT")
    db.close()


async def timed(client: httpx.AsyncClient, path: str, rounds: int) -> list[float]:
    took = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = await client.get(path)
        took.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text
    return sorted(took)


async def bench(args: argparse.Namespace, data_dir: Path) -> None:
    settings = Settings(data_dir=data_dir)
    t0 = time.perf_counter()
    await seed(settings.database_path, args.events, args.follow_ups, args.mails)
    size = settings.database_path.stat().st_size / 2**20
    print(f"seeded:        {args.events} events in and out, in {time.perf_counter() - t0:.1f} s,")
    print(f"               {args.follow_ups} follow-ups, {args.mails} mails: {size:.0f} MiB")
    service = Service(settings)
    await service.start()
    try:
        transport = httpx.ASGITransport(app=create_app(service))
        async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
            for path in ("/metrics", "/health/ready", "/health/live"):
                took = await timed(client, path, args.rounds)
                print(
                    f"{path:<14} p50 {pct(took, 50):.1f} ms, p95 {pct(took, 95):.1f} ms,"
                    f" max {max(took):.1f} ms ({args.rounds} in turn)"
                )
    finally:
        await service.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=500_000)
    parser.add_argument("--follow-ups", type=int, default=100_000)
    parser.add_argument("--mails", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(bench(args, Path(tmp) / "data"))


if __name__ == "__main__":
    main()
