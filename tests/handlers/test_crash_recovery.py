"""Issue 6, black-box: nothing acknowledged is lost or reordered, whatever happens to the process.

The real `cpd serve` runs as a subprocess; HTTP and NATS clients post lifecycles the way trust
systems do (one event at a time, retrying the same event until acknowledged) while the service
is SIGKILLed, SIGTERMed or loses its embedded nats-server. Afterwards every request's history
and state must match the reference model built from the acknowledgements alone.
Run just these: `pytest -m crash -s` (the seed, counts and figures are printed).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.blackbox.clients import Traffic
from tests.blackbox.ledger import Ledger
from tests.blackbox.outbound import state_changed_problems
from tests.blackbox.service import ServiceDied, ServiceProcess, free_port
from tests.blackbox.verdict import discrepancies, observe

pytestmark = pytest.mark.crash

KILLS = 20
SIGTERMS = 10
PROCESSING_DEADLINE = 60.0  # after the last restart; JetStream redelivers after ack_wait (10 s)


@pytest.fixture
async def service(tmp_path: Path) -> AsyncIterator[ServiceProcess]:
    running = ServiceProcess(tmp_path / "data", free_port())
    try:
        yield running
    finally:
        await running.clean_up()


async def settle_and_judge(
    service: ServiceProcess,
    traffic: Traffic,
    ledger: Ledger,
    story: str,
    *,
    problems: list[str] | None = None,
) -> None:
    """Bring the service up, let every client finish its in-flight event, then compare the
    requests, their histories and the announced state changes with the reference model."""
    problems = list(problems or [])
    if not service.running:
        await service.start()
    await traffic.finish(within=60)
    observed = await observe(service.url, ledger, PROCESSING_DEADLINE)
    broken = discrepancies(ledger, observed)
    problems += await state_changed_problems(service.nats_port_file, observed, within=30)
    problems += [f"refused: {line}" for line in ledger.refused[:10]]
    report = (
        f"{story}; {ledger.summary()}; waited {observed.waited:.1f}s for processing; "
        f"{len(broken)} of {len(ledger.acknowledged)} requests break the promise"
    )
    print(report)
    if broken or problems:
        details = "\n".join([*problems, *broken[:25]])
        more = f"\n... and {len(broken) - 25} more requests" if len(broken) > 25 else ""
        pytest.fail(f"{report}\n{details}{more}\n{service.log_tail(15)}", pytrace=False)


async def test_with_no_faults_every_acknowledged_event_is_applied_once_in_order(
    service: ServiceProcess,
) -> None:
    """The control run: proves the harness and the reference model agree with a healthy service."""
    ledger = Ledger()
    await service.start()
    traffic = Traffic(service.url, service.nats_port_file, ledger, tag="control")
    traffic.start()
    await traffic.acknowledged_at_least(600)
    await settle_and_judge(service, traffic, ledger, "control run, no faults")


async def test_nothing_acknowledged_is_lost_or_reordered_across_repeated_sigkills(
    service: ServiceProcess,
) -> None:
    seed = int(os.environ.get("CPD_CRASH_SEED") or random.randrange(2**32))
    chance = random.Random(seed)
    print(f"crash test seed {seed} (CPD_CRASH_SEED={seed} repeats it)")
    ledger, began = Ledger(), time.monotonic()
    await service.start()
    traffic = Traffic(service.url, service.nats_port_file, ledger, tag=f"crash-{seed}")
    traffic.start()
    early = 0
    try:
        for kill in range(KILLS):
            if kill and chance.random() < 0.2:  # now and then, kill it while it is starting
                early += 1
                await service.spawn()
                await asyncio.sleep(chance.uniform(0.1, 0.8))
            else:
                if kill:
                    await service.start()
                await asyncio.sleep(chance.uniform(0.2, 2.0))
            await service.kill()
            await asyncio.sleep(chance.uniform(0.0, 0.3))  # down: clients see refused connects
    except ServiceDied as died:
        pytest.fail(f"seed {seed}: after {kill} SIGKILLs: {died}; {ledger.summary()}")
    story = (
        f"seed {seed}: {KILLS} SIGKILLs ({early} while starting) in "
        f"{time.monotonic() - began:.0f}s, {service.starts + 1} starts"
    )
    await settle_and_judge(service, traffic, ledger, story)


async def test_sigterm_mid_stream_exits_0_promptly_and_loses_nothing(
    service: ServiceProcess,
) -> None:
    seed = int(os.environ.get("CPD_CRASH_SEED") or random.randrange(2**32))
    chance = random.Random(seed)
    ledger, problems, timings = Ledger(), [], []
    await service.start()
    # Broker clients can publish while the service shuts down (HTTP ones are refused), so
    # they are the ones that probe what happens to messages arriving during a shutdown.
    traffic = Traffic(
        service.url,
        service.nats_port_file,
        ledger,
        tag="sigterm",
        http_lanes=3,
        broker_lanes=6,
        pause=0.02,
    )
    traffic.start()
    for stop in range(SIGTERMS):
        await traffic.acknowledged_at_least(ledger.total_acknowledged + 50)
        await asyncio.sleep(chance.uniform(0.0, 0.5))
        code, took = await service.terminate(within=15)
        timings.append(f"{took:.1f}s")
        if code != 0:
            problems.append(
                f"SIGTERM #{stop + 1}: "
                + ("still running after 15s" if code is None else f"exit code {code}")
            )
            if code is None:
                await service.kill()
        await service.start()
    story = f"seed {seed}: {SIGTERMS} SIGTERMs mid-stream, exits took {', '.join(timings)}"
    await settle_and_judge(service, traffic, ledger, story, problems=problems)


async def test_a_killed_embedded_nats_server_is_restarted_and_nothing_is_lost(
    service: ServiceProcess,
) -> None:
    ledger, restarts = Ledger(), []
    await service.start()
    traffic = Traffic(service.url, service.nats_port_file, ledger, tag="outage")
    traffic.start()
    for _ in range(3):
        await traffic.acknowledged_at_least(ledger.total_acknowledged + 200)
        victim = service.nats_pid()
        assert victim is not None, "no embedded nats-server pid file"
        os.kill(victim, signal.SIGKILL)
        began = time.monotonic()
        await service.wait_for_new_nats_server(replacing=victim)
        await service.wait_healthy(within=30)
        restarts.append(f"{time.monotonic() - began:.1f}s")
    story = f"3 SIGKILLs of the embedded nats-server, healthy again after {', '.join(restarts)}"
    await settle_and_judge(service, traffic, ledger, story)
