"""A school morning of reminders by e-mail: N approval reminders falling due at once, queued
in their firing transactions and sent as one digest per head teacher through a local SMTP
server (aiosmtpd, in a process of its own, accepting and discarding every message).

Set-up (not timed): a trust of `--schools` schools, each with a head teacher and
`--per-school` requests waiting for the head's approval; the new-request mails this makes
are marked sent, so the morning is measured alone. Timed: firing every reminder (each in
its own transaction, with its mail row), then, once the digest window has passed, sending.
Time is a fake clock, moved by hand; only the work is real.
Run: `python bench/mail_morning.py [--schools 500] [--per-school 20]` (10,000 reminders).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lifecycles import machine  # noqa: E402

from handlers.mail.service import MailService  # noqa: E402
from handlers.settings import Settings  # noqa: E402
from scheduler.follow_ups import FollowUps  # noqa: E402
from scheduler.policy import FollowUpPolicy  # noqa: E402
from schemas import outbound_event  # noqa: E402
from tests.directory_seed import Person, seed_store  # noqa: E402
from tests.mail_server import free_port  # noqa: E402
from tests.scheduler.helpers import CALENDAR, COURSE, MONDAY_4_JAN  # noqa: E402
from tests.workflow.builders import submitted  # noqa: E402
from workflow.clock import FakeClock  # noqa: E402
from workflow.store import Store  # noqa: E402


def smtp_sink(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Sink",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.05)  # a benchmark waiting for its server: not a test
    server.kill()
    raise SystemExit("the SMTP server did not start")


async def count(store: Store, sql: str) -> int:
    async with store.reader.execute(sql) as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def bench(args: argparse.Namespace, data_dir: Path, url: str) -> None:
    clock = FakeClock(MONDAY_4_JAN)
    store = await Store.open(data_dir / "cpd.sqlite3", clock, outbound_event)
    try:
        schools = [f"S-{s:04d}" for s in range(args.schools)]
        heads = [Person(f"HEAD-{s}", s, ("head_teacher",)) for s in schools]
        staff = [
            Person(f"T-{s}-{n}", s, ("teacher",), line_manager_id=f"HEAD-{s}")
            for s in schools
            for n in range(args.per_school)
        ]
        await seed_store(store, schools, heads + staff)
        follow_ups = FollowUps(store, CALENDAR, FollowUpPolicy())
        store.add_transaction_hook(follow_ups.plan)
        mail = MailService(Settings(data_dir=data_dir, smtp_url=url), store, clock)
        mail.attach(follow_ups)

        t0 = time.perf_counter()
        events = [
            submitted(f"R-{p.staff_id}", staff_id=p.staff_id, school_id=p.school_id, **COURSE)
            for p in staff
        ]
        for start in range(0, len(events), 500):
            _, failure = await store.apply_many(events[start : start + 500])
            assert failure is None, failure
        await store.transaction(
            lambda db: db.execute(
                "UPDATE notifications SET status = 'sent' WHERE kind = 'decision'"
            )
        )
        print(
            f"set-up:       {len(events)} requests waiting for approval in "
            f"{time.perf_counter() - t0:.1f} s (not timed below)"
        )

        due = await follow_ups.next_due()
        assert due is not None
        clock.set(due)
        t0 = time.perf_counter()
        fired = 0
        while batch := await follow_ups.fire_due(limit=2000):
            fired += batch
        firing = time.perf_counter() - t0
        clock.advance(timedelta(minutes=30))  # the digest window closes
        t0 = time.perf_counter()
        sent = await mail.sender.send_due()
        sending = time.perf_counter() - t0
        await mail.stop()

        reminders = await count(store, "SELECT COUNT(*) FROM notifications WHERE kind = 'reminder'")
        delivered = await count(
            store, "SELECT COUNT(*) FROM notifications WHERE kind = 'reminder' AND status = 'sent'"
        )
        digests = await count(
            store,
            "SELECT COUNT(DISTINCT message_id) FROM notifications WHERE kind = 'reminder'",
        )
        print(f"reminders:    {fired} fired, {reminders} reminder mails queued, {delivered} sent")
        print(
            f"digests:      {digests} ({sent} accepted by the SMTP server), "
            f"{reminders / max(digests, 1):.0f} reminders each"
        )
        print(
            f"firing:       {firing:.1f} s ({fired / firing:.0f} reminders/s, each in its own "
            f"transaction with its mail row)"
        )
        print(
            f"sending:      {sending:.1f} s ({sent / sending:.0f} digests/s over one SMTP "
            f"connection, each recorded as sent after the server's answer)"
        )
        print(
            f"morning:      {firing + sending:.1f} s from the first reminder due to the last "
            f"digest accepted"
        )
        if delivered != reminders:
            raise SystemExit("some reminders were not sent")
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--per-school", type=int, default=20, help="reminders per head teacher")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    port = free_port()
    server = smtp_sink(port)
    try:
        with tempfile.TemporaryDirectory(prefix="cpd-bench-mail-") as tmp:
            print("\n".join(machine(Path(tmp))))
            asyncio.run(bench(args, Path(tmp), f"smtp://127.0.0.1:{port}"))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
