"""Trust systems posting CPD lifecycles as real ones do: one event at a time, retrying the same
event (same id, same source) after a connection error, a timeout or a 5xx, until acknowledged.

Each lane posts one request's lifecycle after another; lanes run concurrently, so many
requests' events interleave. HTTP lanes post to `POST /events`; broker lanes publish to the
JetStream subject `cpd.inbound` and take the PubAck as the acknowledgement.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import nats
import nats.errors

from tests.blackbox.ledger import Ledger
from tests.blackbox.service import nats_url
from tests.lifecycle import directory_events, lifecycle

HTTP_SOURCE = "urn:trust:staff-portal"
BROKER_SOURCE = "urn:trust:hr-system"
INBOUND_SUBJECT = "cpd.inbound"
RETRY_PAUSE = 0.1


class Traffic:
    """A steady stream of lifecycles from `http_lanes` HTTP clients and `broker_lanes` NATS ones.

    `finish()` stops new events; each lane still retries its in-flight event until it is
    acknowledged, so at the end every event a client sent has been acknowledged exactly once.
    """

    def __init__(
        self,
        base_url: str,
        nats_port_file: Path,
        ledger: Ledger,
        *,
        tag: str,
        http_lanes: int = 6,
        broker_lanes: int = 3,
        pause: float = 0.05,
    ) -> None:
        self.base_url = base_url
        self.nats_port_file = nats_port_file
        self.ledger = ledger
        self.tag = tag
        self.pause = pause  # a real system's think time between its own steps
        self._stop = asyncio.Event()
        self._progress = asyncio.Condition()
        self._lanes = [
            *(self._http_lane(n) for n in range(http_lanes)),
            *(self._broker_lane(n) for n in range(broker_lanes)),
        ]
        # The staff each lane posts for, with their school's approvers.
        self._staff = [
            *(f"T-http-{n}" for n in range(http_lanes)),
            *(f"T-nats-{n}" for n in range(broker_lanes)),
        ]
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        """Load the staff directory over HTTP, as the HR system would, then start the lanes."""
        directory = asyncio.create_task(self._post_directory())
        self._tasks = [asyncio.create_task(self._after(directory, lane)) for lane in self._lanes]

    @staticmethod
    async def _after(directory: asyncio.Task[None], lane: Any) -> None:
        await asyncio.shield(directory)
        await lane

    async def _post_directory(self) -> None:
        """Each HR event until applied (its id is stable, so a retry is a repeat)."""
        async with httpx.AsyncClient(base_url=self.base_url, timeout=15) as client:
            for body in directory_events(*self._staff):
                while True:
                    with contextlib.suppress(httpx.TransportError):
                        answer = await client.post("/events?wait=true", json=body)
                        if answer.status_code == 200:
                            break
                        assert answer.status_code >= 500, answer.text
                    await asyncio.sleep(RETRY_PAUSE)

    async def acknowledged_at_least(self, count: int, within: float = 60.0) -> None:
        try:
            async with asyncio.timeout(within), self._progress:
                await self._progress.wait_for(lambda: self.ledger.total_acknowledged >= count)
        except TimeoutError:
            raise AssertionError(
                f"clients got fewer than {count} acknowledgements within {within:.0f}s: "
                f"{self.ledger.summary()}"
            ) from None

    async def finish(self, within: float) -> None:
        """Stop starting events; wait for every in-flight one to be acknowledged."""
        self._stop.set()
        done, pending = await asyncio.wait(self._tasks, timeout=within)
        for task in pending:
            task.cancel()
        for task in done:
            task.result()  # a harness bug surfaces here, not as a silent short run
        if pending:
            raise AssertionError(
                f"{len(pending)} client lanes still had an unacknowledged event {within:.0f}s "
                f"after the end of the run; {self.ledger.summary()}"
            )

    async def _acknowledged(self, request_id: str, step: dict[str, Any], answer: str) -> None:
        self.ledger.acknowledge(request_id, step, answer)
        async with self._progress:
            self._progress.notify_all()

    def _lifecycles(
        self, transport: str, lane: int, source: str
    ) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        number = 0
        while not self._stop.is_set():
            request_id = f"{self.tag}-{transport}-{lane}-{number}"
            number += 1
            self.ledger.begin(request_id, transport)
            steps = lifecycle(request_id, staff_id=f"T-{transport}-{lane}")
            yield request_id, [{**step, "source": source} for step in steps]

    async def _http_lane(self, lane: int) -> None:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=5) as client:
            for request_id, steps in self._lifecycles("http", lane, HTTP_SOURCE):
                for step in steps:
                    if self._stop.is_set():
                        return  # this lifecycle is cut short by the end of the run
                    if not await self._post_over_http(client, request_id, step):
                        break
                    await asyncio.sleep(self.pause)

    async def _post_over_http(
        self, client: httpx.AsyncClient, request_id: str, step: dict[str, Any]
    ) -> bool:
        while True:
            self.ledger.posted["http"] += 1
            try:
                answer = await client.post("/events", json=step)
            except httpx.TransportError as error:
                reason = type(error).__name__
            else:
                if answer.status_code in (200, 202):
                    await self._acknowledged(request_id, step, f"HTTP {answer.status_code}")
                    return True
                if answer.status_code < 500:  # a real client gives up and pages a human
                    self.ledger.refused.append(
                        f"{request_id} {step['type']} {step['id']}: "
                        f"HTTP {answer.status_code} {answer.text[:200]}"
                    )
                    return False
                reason = f"HTTP {answer.status_code}"
            self.ledger.retried("http", reason)
            await asyncio.sleep(RETRY_PAUSE)

    async def _broker_lane(self, lane: int) -> None:
        link = _BrokerLink(self.nats_port_file)
        try:
            for request_id, steps in self._lifecycles("nats", lane, BROKER_SOURCE):
                for step in steps:
                    if self._stop.is_set():
                        return
                    await self._publish(link, request_id, step)
                    await asyncio.sleep(self.pause)
        finally:
            await link.close()

    async def _publish(self, link: _BrokerLink, request_id: str, step: dict[str, Any]) -> None:
        body = json.dumps(step).encode()
        while True:
            self.ledger.posted["nats"] += 1
            try:
                ack = await link.publish(body, step["id"])
            except (nats.errors.Error, OSError, ValueError) as error:
                name = type(error).__name__
                self.ledger.retried("nats", f"{name}({error})"[:60] if name == "Error" else name)
                await link.close()  # reconnect, re-reading the port, before the retry
                await asyncio.sleep(RETRY_PAUSE)
                continue
            answer = "PubAck (duplicate)" if ack.duplicate else "PubAck"
            await self._acknowledged(request_id, step, answer)
            return


class _BrokerLink:
    """One NATS connection that a failure closes; the next publish connects afresh."""

    def __init__(self, port_file: Path) -> None:
        self._port_file = port_file
        self._client: Any = None

    async def publish(self, body: bytes, event_id: str) -> Any:
        if self._client is None:
            self._client = await nats.connect(
                nats_url(self._port_file),  # re-read each time: the port may have changed
                allow_reconnect=False,
                connect_timeout=1,
                error_cb=_ignore,
                disconnected_cb=_nothing,
                closed_cb=_nothing,
            )
        js = self._client.jetstream()
        return await js.publish(INBOUND_SUBJECT, body, timeout=2, headers={"Nats-Msg-Id": event_id})

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.close(), 2)


async def _ignore(_: Exception) -> None:
    """The publish that failed already says why; nats-py would log it again."""


async def _nothing() -> None:
    return None
