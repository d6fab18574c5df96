"""Reads what the service announced in JetStream stream CPD_OUTBOUND, as a subscriber would."""

from __future__ import annotations

import contextlib
import json
import time
from collections import Counter
from pathlib import Path

import nats
import nats.errors
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

from tests.blackbox.service import nats_url
from tests.blackbox.verdict import Observed
from workflow.store._writes import outbound_id

STREAM = "CPD_OUTBOUND"
STATE_CHANGED = "cpd.request.state_changed"


async def state_changed_problems(
    nats_port_file: Path, observed: Observed, within: float
) -> list[str]:
    """Every applied event must have its `cpd.request.state_changed` in the stream (the id is
    derived from the event's source and id); waits up to `within` for the relay to send them.
    Acknowledged events that were not applied are the history check's business, not this one's."""
    expected = {
        outbound_id("state_changed", entry["event_source"], entry["event_id"]): (
            f"{request_id} {entry['event_type'].removeprefix('cpd.request.')}"
            f"#{entry['event_id'][:8]}"
        )
        for request_id, entry in observed.applied()
    }
    seen = await _read_ids(nats_port_file, set(expected), within)
    missing = sorted(label for ident, label in expected.items() if ident not in seen)
    unexpected = sorted(ident for ident in seen if ident not in expected)
    repeated = sum(n - 1 for n in seen.values())
    problems = []
    if missing:
        problems.append(
            f"{len(missing)} of {len(expected)} state_changed messages missing from {STREAM}: "
            + ", ".join(missing[:20])
        )
    if unexpected:
        problems.append(f"{len(unexpected)} state_changed in {STREAM} for events not applied")
    print(
        f"outbound: {len(expected)} state_changed expected, {len(seen)} distinct in {STREAM}, "
        f"{len(missing)} missing, {repeated} duplicate deliveries in the stream"
    )
    return problems


async def _read_ids(nats_port_file: Path, wanted: set[str], within: float) -> Counter[str]:
    client = await nats.connect(nats_url(nats_port_file), connect_timeout=2)
    seen: Counter[str] = Counter()
    try:
        subscription = await client.jetstream().pull_subscribe(
            STATE_CHANGED,
            stream=STREAM,
            config=ConsumerConfig(deliver_policy=DeliverPolicy.ALL, ack_policy=AckPolicy.NONE),
        )
        deadline = time.monotonic() + within
        while time.monotonic() < deadline and not wanted <= seen.keys():
            with contextlib.suppress(nats.errors.TimeoutError):
                for message in await subscription.fetch(500, timeout=1):
                    seen[json.loads(message.data)["id"]] += 1
    finally:
        await client.close()
    return seen
