"""Latency at a steady rate: `cpd serve` as deployed, events posted over HTTP at a fixed rate.

An open-loop generator posts events at each rate (default 200 and 500 events/s, 30 s each):
at every tick it posts the next event of a lifecycle whose previous event has been answered,
or starts a new lifecycle if none is ready, so many lifecycles interleave and a request's
events never overtake each other. Each event is posted with `?wait=true`: its latency runs
from the moment it was *scheduled* (not sent, so a slow client cannot hide a slow server)
to the 200 that the service sends once the event's transaction has committed.
Run: `python bench/steady_rate.py [--rates 200 500] [--duration 30]`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' harness runs `cpd serve` for us too

from lifecycles import directory_events, lifecycle_events, machine, pct  # noqa: E402

from tests.blackbox.service import ServiceProcess, free_port  # noqa: E402

WAIT = {"wait": "true"}
# Participants the lifecycles take turns with; all are in the directory posted first.
STAFF_POOL = 1000
JSON = {"content-type": "application/json"}


@dataclass
class Lifecycle:
    events: list[tuple[str, bytes]]
    next_step: int = 0


class Lifecycles:
    """Hands out the next event to post: a ready lifecycle's next step, else a new lifecycle."""

    def __init__(self) -> None:
        self.run = uuid.uuid4().hex[:8]
        self.ready: deque[Lifecycle] = deque()
        self.started = 0

    def next_event(self) -> tuple[Lifecycle, tuple[str, bytes]]:
        if self.ready:
            lifecycle = self.ready.popleft()
        else:
            staff = f"staff-{self.started % STAFF_POOL}"
            lifecycle = Lifecycle(lifecycle_events(self.run, self.started, staff))
            self.started += 1
        event = lifecycle.events[lifecycle.next_step]
        lifecycle.next_step += 1
        return lifecycle, event

    def answered(self, lifecycle: Lifecycle) -> None:
        if lifecycle.next_step < len(lifecycle.events):
            self.ready.append(lifecycle)


@dataclass
class Phase:
    rate: float
    duration: float
    latencies_ms: list[float] = field(default_factory=list)
    lag_ms: list[float] = field(default_factory=list)  # how late the generator sent
    errors: Counter[str] = field(default_factory=Counter)
    sent: int = 0
    last_answer: float = 0.0
    began: float = 0.0


async def post(
    client: aiohttp.ClientSession,
    lifecycles: Lifecycles,
    lifecycle: Lifecycle,
    body: bytes,
    scheduled: float,
    phase: Phase,
) -> None:
    try:
        async with client.post("/events", params=WAIT, data=body, headers=JSON) as answer:
            status, text = answer.status, await answer.text()
    except (aiohttp.ClientError, TimeoutError) as error:
        phase.errors[type(error).__name__] += 1
        return
    phase.last_answer = time.perf_counter()
    if status == 200:
        phase.latencies_ms.append((phase.last_answer - scheduled) * 1000)
        lifecycles.answered(lifecycle)
    elif status == 202:
        phase.errors["202: not applied within CPD_WAIT_TIMEOUT"] += 1
    else:
        phase.errors[f"HTTP {status} {text[:80]}"] += 1


async def run_phase(
    client: aiohttp.ClientSession, lifecycles: Lifecycles, rate: float, duration: float
) -> Phase:
    phase = Phase(rate, duration)
    in_flight: set[asyncio.Task[None]] = set()
    phase.began = start = time.perf_counter() + 0.01
    for n in range(int(rate * duration)):
        scheduled = start + n / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        phase.lag_ms.append((time.perf_counter() - scheduled) * 1000)
        lifecycle, (_, body) = lifecycles.next_event()
        task = asyncio.create_task(post(client, lifecycles, lifecycle, body, scheduled, phase))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
        phase.sent += 1
    await asyncio.gather(*in_flight)  # every event answered before the next phase
    return phase


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU of a process so far (Linux /proc)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(service: ServiceProcess) -> list[float]:
    """CPU seconds of: cpd serve, nats-server, this generator, the whole machine busy, and
    the whole machine waiting on I/O. The machine's figures show whether anything else ran."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle, iowait = ticks[3], ticks[4]
    hz = os.sysconf("SC_CLK_TCK")
    return [
        cpu_seconds(service.pid),
        cpu_seconds(service.nats_pid()),
        usage.ru_utime + usage.ru_stime,
        (sum(ticks[:8]) - idle - iowait) / hz,
        iowait / hz,
    ]


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def report(phase: Phase, cpu: list[float]) -> str:
    lat = sorted(phase.latencies_ms) or [float("nan")]
    lag = sorted(phase.lag_ms) or [float("nan")]
    wall = max(phase.last_answer - phase.began, phase.duration)
    applied = len(phase.latencies_ms)
    errors = ", ".join(f"{kind} x{n}" for kind, n in phase.errors.most_common()) or "none"
    service, nats, generator, busy, iowait = (c / wall for c in cpu)
    return "\n".join(
        [
            f"rate {phase.rate:.0f}/s for {phase.duration:.0f} s: sent {phase.sent} "
            f"({phase.sent / phase.duration:.0f}/s), applied {applied} "
            f"({applied / wall:.0f}/s over {wall:.1f} s), errors {sum(phase.errors.values())}: "
            f"{errors}",
            f"  post->applied: p50 {pct(lat, 50):.1f} ms, p90 {pct(lat, 90):.1f} ms, "
            f"p99 {pct(lat, 99):.1f} ms, max {lat[-1]:.1f} ms; "
            f"generator lag p99 {pct(lag, 99):.1f} ms, max {lag[-1]:.1f} ms",
            f"  CPU in cores: cpd serve {service:.2f}, nats-server {nats:.2f}, generator "
            f"{generator:.2f}; whole machine busy {busy:.2f} of {os.cpu_count()}, "
            f"I/O wait {iowait:.2f}, so others {busy - service - nats - generator:.2f}",
        ]
    )


async def post_directory(client: aiohttp.ClientSession, run: str) -> None:
    """Every step is role-checked: the school, its approvers and the participants first."""
    events = directory_events(run, [f"staff-{i}" for i in range(STAFF_POOL)])
    school, rest = events[0], events[1:]

    async def one(event: Any) -> None:
        body = event.model_dump_json(exclude_none=True)
        async with client.post("/events", params=WAIT, data=body, headers=JSON) as answer:
            assert answer.status == 200, await answer.text()

    await one(school)
    for chunk in range(0, len(rest), 50):
        await asyncio.gather(*(one(e) for e in rest[chunk : chunk + 50]))


async def bench(args: argparse.Namespace, data_dir: Path) -> int:
    env = {"CPD_LOG_LEVEL": args.log_level} if args.log_level else {}
    service = ServiceProcess(data_dir / "data", free_port(), env=env)
    lifecycles, failed = Lifecycles(), False
    print(
        f"cpd serve (log level {args.log_level or 'INFO, the default'}), embedded NATS; "
        f"posts with ?wait=true; service log {service.log_path}"
    )
    print("\n".join(machine(data_dir)))
    print(f"load average: {load_average()} (1, 5, 15 min, before start)")
    try:
        await service.start()
        # aiohttp, not httpx: httpx's connection pool costs the generator more CPU per queued
        # request as the queue grows, so at a few hundred/s the client, not the service, was
        # what fell behind (measured: 50/s applied at 200/s offered, service CPU at 25%).
        connector = aiohttp.TCPConnector(limit=args.connections)
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(
            service.url, connector=connector, timeout=timeout
        ) as client:
            await post_directory(client, lifecycles.run)
            if args.warmup:
                await run_phase(client, lifecycles, args.rates[0], args.warmup)
            for rate in args.rates:
                before = cpu_snapshot(service)
                phase = await run_phase(client, lifecycles, rate, args.duration)
                used = [b - a for a, b in zip(before, cpu_snapshot(service), strict=True)]
                print(report(phase, used), flush=True)
                failed = failed or bool(phase.errors)
    finally:
        if service.running:
            await service.terminate(within=15)
        await service.clean_up()
    print(f"lifecycles started: {lifecycles.started}")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[200, 500], help="events/s")
    parser.add_argument("--duration", type=float, default=30, help="seconds at each rate")
    parser.add_argument("--warmup", type=float, default=3, help="seconds, not reported")
    parser.add_argument("--connections", type=int, default=1000, help="HTTP connections at most")
    parser.add_argument("--log-level", help="CPD_LOG_LEVEL for the service (default: its own)")
    parser.add_argument("--data-dir", type=Path, help="default: a fresh temporary directory")
    args = parser.parse_args()
    if args.data_dir:
        args.data_dir.mkdir(parents=True, exist_ok=True)
        return asyncio.run(bench(args, args.data_dir))
    with tempfile.TemporaryDirectory(prefix="cpd-steady-") as tmp:
        return asyncio.run(bench(args, Path(tmp)))


if __name__ == "__main__":
    raise SystemExit(main())
