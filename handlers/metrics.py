"""/metrics in the Prometheus text format: counters kept as events are processed, and what
is waiting, read from the database and the broker when Prometheus scrapes.

The registry is the service's own, not prometheus_client's global one, so two services in
one process (tests) keep apart counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from scheduler.policy import KINDS as FOLLOW_UP_KINDS
from workflow.store import APPLIED, REJECTED, Outcome
from workflow.store.backlog import Backlog, Waiting

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# A message that could not be read has no type worth a label (it may be anything at all).
UNREADABLE = "unreadable"
# From a fraction of a millisecond (one event alone) to seconds (a writer that is stuck).
APPLY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class EventCounters:
    """What became of each event, kept where every inbound event is processed
    (handlers/processing.py), whichever way it arrived."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.applied = Counter(
            "cpd_events_applied", "Events applied, by type.", ["type"], registry=registry
        )
        self.refused = Counter(
            "cpd_events_refused",
            "Events refused by the rules (409 with ?wait=true), by type and reason code.",
            ["type", "code"],
            registry=registry,
        )
        self.dead_lettered = Counter(
            "cpd_events_dead_lettered",
            "Broker messages kept as dead letters, by event type (unreadable: not an event).",
            ["type"],
            registry=registry,
        )
        self.apply_seconds = Histogram(
            "cpd_event_apply_duration_seconds",
            "From handing events to the database writer to their commit, once per event.",
            buckets=APPLY_BUCKETS,
            registry=registry,
        )

    def processed(self, outcomes: Sequence[Outcome], seconds: float) -> None:
        for outcome in outcomes:
            status = outcome.status
            if outcome.duplicate:  # processed before: counted then
                continue
            self.apply_seconds.observe(seconds)
            if status.status == APPLIED:
                self.applied.labels(status.event_type or UNREADABLE).inc()
            elif status.status == REJECTED:
                self.refused.labels(status.event_type or UNREADABLE, status.code or "").inc()

    def kept(self, event_type: str | None) -> None:
        self.dead_lettered.labels(event_type or UNREADABLE).inc()


@dataclass(frozen=True)
class Observed:
    """What is waiting at the moment of a scrape."""

    backlog: Backlog
    now: datetime  # the service's clock, which wrote the rows' times
    inbound: Waiting | None  # the broker's count, None when it could not be asked
    database_bytes: int
    nats_restarts: int | None  # None: the broker is not the embedded one
    mail_sent: int  # messages the mail server accepted since the service started
    wall_clock: datetime = field(default_factory=lambda: datetime.now(UTC))


class ServiceMetrics:
    def __init__(self) -> None:
        # A `_created` series beside every counter doubles the page for a start time that
        # Prometheus finds from the counter's own resets (a process-wide switch).
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.registry = CollectorRegistry()
        self.events = EventCounters(self.registry)
        self._waiting = _Waiting()
        self.registry.register(self._waiting)

    def render(self, observed: Observed) -> bytes:
        # No await between the two lines: no other scrape can slip its figures in between.
        self._waiting.observed = observed
        return generate_latest(self.registry)


class _Waiting(Collector):
    observed: Observed | None = None

    def collect(self) -> Iterator[Metric]:
        seen = self.observed
        if seen is None:
            return
        backlog = seen.backlog
        inbound_count = seen.inbound.count if seen.inbound else backlog.queued_events.count
        yield _gauge(
            "cpd_inbound_backlog_messages",
            "Inbound events waiting to be applied (the broker's queue; without it, those"
            " accepted over HTTP).",
            inbound_count,
        )
        ages = [_age(seen.now, backlog.queued_events.oldest_at)]
        if seen.inbound is not None:
            ages.append(_age(seen.wall_clock, seen.inbound.oldest_at))
        yield _gauge(
            "cpd_inbound_oldest_age_seconds",
            "How long the oldest inbound event has waited (0: none waiting).",
            max(ages),
        )
        yield _gauge(
            "cpd_outbox_backlog_messages",
            "Outbound events committed and not yet published to the broker.",
            backlog.outbox.count,
        )
        yield _gauge(
            "cpd_outbox_oldest_age_seconds",
            "How long the oldest unpublished outbound event has waited (0: none).",
            _age(seen.now, backlog.outbox.oldest_at),
        )
        yield _by(
            "cpd_follow_ups_pending",
            "Follow-ups scheduled, by kind.",
            _every(FOLLOW_UP_KINDS, backlog.follow_ups_pending),
        )
        yield _by(
            "cpd_follow_ups_overdue",
            "Follow-ups past their due time and not yet fired, by kind.",
            _every(FOLLOW_UP_KINDS, backlog.follow_ups_overdue),
        )
        yield _by(
            "cpd_notifications",
            "Mail waiting to be sent (queued) or given up on (failed), by status.",
            _every(_MAIL_STATUSES, backlog.notifications),
            label="status",
        )
        yield CounterMetricFamily(
            "cpd_mail_sent",
            "Messages the mail server accepted (a digest is one), since the service started.",
            value=seen.mail_sent,
        )
        yield _gauge(
            "cpd_database_size_bytes",
            "The SQLite database file with its write-ahead log.",
            seen.database_bytes,
        )
        if seen.nats_restarts is not None:
            restarts = CounterMetricFamily(
                "cpd_embedded_nats_restarts",
                "Times the embedded NATS server died and was started again.",
                value=seen.nats_restarts,
            )
            yield restarts


_MAIL_STATUSES = ("queued", "failed")


def _every(names: Sequence[str], counts: dict[str, int]) -> dict[str, int]:
    """Every kind listed, 0 when none: an alert on a series needs the series to exist."""
    return {name: 0 for name in names} | counts


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _by(name: str, documentation: str, counts: dict[str, int], label: str = "kind") -> Metric:
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for key, count in sorted(counts.items()):
        family.add_metric([key], count)
    return family


def _age(now: datetime, since: datetime | None) -> float:
    return max((now - since).total_seconds(), 0.0) if since is not None else 0.0
