"""What clients were promised: each acknowledged event, per request, in acknowledgement order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.lifecycle import LIFECYCLE_STATES


@dataclass(frozen=True)
class Acknowledged:
    source: str
    event_id: str
    event_type: str
    answer: str  # "HTTP 202", "PubAck", "PubAck (duplicate)"

    @property
    def step(self) -> str:
        return self.event_type.removeprefix("cpd.request.")

    def label(self) -> str:
        return f"{self.step}#{self.event_id[:8]}"


@dataclass
class Ledger:
    acknowledged: dict[str, list[Acknowledged]] = field(default_factory=dict)
    transport: dict[str, str] = field(default_factory=dict)  # request id -> "http" / "nats"
    posted: Counter[str] = field(default_factory=Counter)  # attempts, by transport
    retries: Counter[str] = field(default_factory=Counter)  # by transport and reason
    refused: list[str] = field(default_factory=list)  # answers no real client would retry

    def begin(self, request_id: str, transport: str) -> None:
        self.acknowledged[request_id] = []
        self.transport[request_id] = transport

    def acknowledge(self, request_id: str, step: dict[str, Any], answer: str) -> None:
        self.acknowledged[request_id].append(
            Acknowledged(step["source"], step["id"], step["type"], answer)
        )

    def retried(self, transport: str, reason: str) -> None:
        self.retries[f"{transport}: {reason}"] += 1

    def events(self) -> Iterator[tuple[str, Acknowledged]]:
        for request_id, events in self.acknowledged.items():
            for event in events:
                yield request_id, event

    @property
    def total_acknowledged(self) -> int:
        return sum(len(events) for events in self.acknowledged.values())

    def expected_state(self, request_id: str) -> str | None:
        """The reference model: the state of the last acknowledged event of the lifecycle."""
        count = len(self.acknowledged[request_id])
        return LIFECYCLE_STATES[count - 1] if count else None

    def summary(self) -> str:
        by_transport = Counter(self.transport.values())
        acked = Counter(self.transport[r] for r, _ in self.events())
        complete = sum(len(e) == len(LIFECYCLE_STATES) for e in self.acknowledged.values())
        retries = ", ".join(f"{reason} x{n}" for reason, n in self.retries.most_common()) or "none"
        return (
            f"requests: {len(self.acknowledged)} ({dict(by_transport)}), {complete} complete; "
            f"events posted (attempts) {dict(self.posted)}, acknowledged {dict(acked)} "
            f"= {self.total_acknowledged}; retries {sum(self.retries.values())}: {retries}; "
            f"refused answers: {len(self.refused)}"
        )
