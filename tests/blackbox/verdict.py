"""Compares what the service recorded with what its clients were promised (the ledger).

Promise: every acknowledged event is applied exactly once, in acknowledgement order; each
request's history is numbered 1..n without a gap; its state is that of its last event.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.blackbox.ledger import Acknowledged, Ledger

REMINDER = "cpd.reminder.due"  # follow-ups share the history (and its seq) but are not events
PROCESSED = ("applied", "rejected")


@dataclass
class Observed:
    histories: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    requests: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    # acknowledged events not in their request's history: (source, id) -> GET /events answer
    off_history: dict[tuple[str, str], str] = field(default_factory=dict)
    waited: float = 0.0

    def applied(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(request id, history entry) for every event the service says it applied."""
        for request_id, entries in self.histories.items():
            for entry in entries:
                if entry["event_type"] != REMINDER:
                    yield request_id, entry


async def observe(base_url: str, ledger: Ledger, within: float) -> Observed:
    """Wait (polling, the only way to ask) until every acknowledged event is processed or
    `within` runs out, then read every request, its history and its events' statuses."""
    observed, began = Observed(), time.monotonic()
    limit = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:

        async def settled(request_id: str) -> bool:
            async with limit:
                return await _read_history(client, request_id, ledger, observed)

        waiting = list(ledger.acknowledged)
        while waiting and time.monotonic() - began < within:
            done = await asyncio.gather(*(settled(r) for r in waiting))
            waiting = [r for r, ok in zip(waiting, done, strict=True) if not ok]
            if waiting:
                await asyncio.sleep(0.25)
        observed.waited = time.monotonic() - began

        async def read(request_id: str) -> None:
            # Read again once all is settled: during the wait an event could be applied
            # between reading the history and asking for the event's status.
            await settled(request_id)
            async with limit:
                answer = await _get(client, f"/requests/{request_id}")
            observed.requests[request_id] = answer.json() if answer.status_code == 200 else None

        await asyncio.gather(*(read(r) for r in ledger.acknowledged))
    return observed


async def _read_history(
    client: httpx.AsyncClient, request_id: str, ledger: Ledger, observed: Observed
) -> bool:
    """Reads one request's history; True when all its acknowledged events are processed."""
    answer = await _get(client, f"/requests/{request_id}/history")
    entries = answer.json()["entries"] if answer.status_code == 200 else []
    observed.histories[request_id] = entries
    in_history = {(e["event_source"], e["event_id"]) for e in entries}
    settled = True
    for event in ledger.acknowledged[request_id]:
        key = (event.source, event.event_id)
        observed.off_history.pop(key, None)
        if key in in_history:
            continue
        status = await _get(client, f"/events/{event.event_id}", source=event.source)
        if status.status_code == 404:
            observed.off_history[key] = "unknown to the service (404)"
            settled = False
        else:
            body = status.json()
            observed.off_history[key] = _describe(body["status"], body.get("reason"))
            settled = settled and body["status"] in PROCESSED
    return settled


def _describe(status: str, reason: str | None) -> str:
    if reason is None:
        return status
    arrived_in = re.search(r"in state '(\w+)' cannot take", reason)
    if arrived_in:
        return f"{status} in state {arrived_in[1]}"
    if re.search(r"no CPD request '[^']*' has been submitted", reason):
        return f"{status}: came before its request was submitted"
    return f"{status}: {reason}"


async def _get(client: httpx.AsyncClient, path: str, **params: str) -> httpx.Response:
    # A GET is safe to repeat; uvicorn may close an idle keep-alive connection just as
    # the next request goes out on it ("Server disconnected without sending a response").
    for attempt in range(3):
        try:
            return await client.get(path, params=params)
        except httpx.TransportError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def discrepancies(ledger: Ledger, observed: Observed) -> list[str]:
    """One line per request whose recorded history or state breaks the promise."""
    problems = []
    for request_id, acknowledged in ledger.acknowledged.items():
        found = _request_problems(request_id, acknowledged, ledger, observed)
        if found:
            problems.append(
                f"{request_id} (via {ledger.transport[request_id]}, "
                f"{len(acknowledged)} acknowledged): " + "; ".join(found)
            )
    return problems


def _request_problems(
    request_id: str, acknowledged: list[Acknowledged], ledger: Ledger, observed: Observed
) -> list[str]:
    entries = observed.histories.get(request_id, [])
    problems = []
    seqs = [e["seq"] for e in entries]
    if seqs != list(range(1, len(entries) + 1)):
        problems.append(f"history seq {seqs} is not 1..{len(entries)}")
    expected = [(a.source, a.event_id) for a in acknowledged]
    actual = [(e["event_source"], e["event_id"]) for e in entries if e["event_type"] != REMINDER]
    if actual != expected:
        labels = {(a.source, a.event_id): a.label() for a in acknowledged}
        shown = [
            labels.get((e["event_source"], e["event_id"]), f"UNSENT {e['event_id'][:8]}")
            + f"->{e['to_state']}"
            for e in entries
            if e["event_type"] != REMINDER
        ]
        problems.append(
            f"history expected [{', '.join(a.label() for a in acknowledged)}] "
            f"actual [{', '.join(shown)}]"
        )
        for event in acknowledged:
            status = observed.off_history.get((event.source, event.event_id))
            if status is not None:
                problems.append(f"{event.label()} ({event.answer}) is {status}")
    wanted, request = ledger.expected_state(request_id), observed.requests.get(request_id)
    state = request["state"] if request else None
    if state != wanted:
        problems.append(f"state expected {wanted} actual {state or 'no such request (404)'}")
    if request and request["version"] != len(acknowledged):
        problems.append(f"version expected {len(acknowledged)} actual {request['version']}")
    return problems
