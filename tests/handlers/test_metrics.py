"""GET /metrics, scraped over HTTP and parsed as Prometheus parses it, after real events:
applied, refused, and a poison message kept as a dead letter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import nats

from handlers.http import create_app
from handlers.service import Service
from handlers.settings import Settings
from schemas import parse_inbound
from tests.handlers.keys import bearer, make_key
from tests.handlers.metrics_scrape import scrape
from tests.lifecycle import event, lifecycle, load_directory
from workflow.clock import FakeClock

SUBMITTED = "type=cpd.request.submitted"


async def test_events_applied_refused_and_dead_lettered_are_counted_by_type(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    assert embedded_service.embedded is not None
    submitted, approved = lifecycle("REQ-M1")[:2]
    own_approval = event("head_approved", "REQ-M1", "T-042")  # the requester's own: refused
    broker = await nats.connect(embedded_service.embedded.client_url)
    try:
        await broker.jetstream().publish("cpd.inbound", b"{not json")
    finally:
        await broker.close()

    assert (await client.post("/events?wait=true", json=submitted)).status_code == 200
    assert (await client.post("/events?wait=true", json=own_approval)).status_code == 409
    assert (await client.post("/events?wait=true", json=approved)).status_code == 200
    again = await client.post("/events?wait=true", json=approved)  # a repeat: not counted
    assert again.status_code == 200
    samples = await scrape(client)

    assert samples[("cpd_events_applied_total", SUBMITTED)] == 1
    assert samples[("cpd_events_applied_total", "type=cpd.request.head_approved")] == 1
    refused = "code=guard_failed,type=cpd.request.head_approved"
    assert samples[("cpd_events_refused_total", refused)] == 1
    assert samples[("cpd_events_dead_lettered_total", "type=unreadable")] == 1
    assert samples[("cpd_event_apply_duration_seconds_count", "")] == 3
    assert samples[("cpd_event_apply_duration_seconds_sum", "")] > 0


async def test_what_is_waiting_is_read_at_each_scrape(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    assert (await client.post("/events?wait=true", json=lifecycle("REQ-M2")[0])).status_code == 200
    samples = await scrape(client)

    assert samples[("cpd_follow_ups_pending", "kind=approval_pending")] >= 1
    assert samples[("cpd_follow_ups_overdue", "kind=approval_pending")] == 0
    assert samples[("cpd_follow_ups_pending", "kind=renewal_due")] == 0  # every kind listed
    assert samples[("cpd_inbound_backlog_messages", "")] == 0
    assert samples[("cpd_inbound_oldest_age_seconds", "")] == 0
    assert ("cpd_outbox_backlog_messages", "") in samples
    assert {("cpd_notifications", f"status={s}") for s in ("queued", "failed")} <= set(samples)
    assert ("cpd_mail_sent_total", "") in samples
    assert samples[("cpd_embedded_nats_restarts_total", "")] == 0
    database = embedded_service.settings.database_path
    assert samples[("cpd_database_size_bytes", "")] >= database.stat().st_size > 0


async def test_inbound_events_not_yet_applied_are_the_backlog_with_their_age(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    await embedded_service.broker.stop_consuming()  # as if the writer were stuck
    answer = await client.post("/events", json=lifecycle("REQ-M3")[0])
    assert answer.status_code == 202
    samples = await scrape(client)

    assert samples[("cpd_inbound_backlog_messages", "")] == 1
    assert samples[("cpd_inbound_oldest_age_seconds", "")] >= 0


async def test_outbound_events_not_yet_published_are_the_outbox_backlog(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    await embedded_service.relay.stop()  # as if the broker refused to take them
    assert (await client.post("/events?wait=true", json=lifecycle("REQ-M4")[0])).status_code == 200
    samples = await scrape(client)

    assert samples[("cpd_outbox_backlog_messages", "")] >= 1
    assert samples[("cpd_outbox_oldest_age_seconds", "")] >= 0


async def test_a_scraper_needs_a_key_with_read_metrics_once_access_is_on(
    client: httpx.AsyncClient, embedded_service: Service
) -> None:
    data_dir = embedded_service.settings.data_dir
    scraper = make_key(data_dir, "prometheus", "read:metrics")
    reader = make_key(data_dir, "portal", "read:requests")

    assert (await client.get("/metrics")).status_code == 401
    assert (await client.get("/metrics", headers=bearer(reader))).status_code == 403
    samples = await scrape(client, **bearer(scraper))
    assert ("cpd_database_size_bytes", "") in samples
    assert (await client.get("/health/ready")).status_code == 200  # a probe needs no key
    assert (await client.get("/health/live")).status_code == 200


async def test_follow_ups_past_their_time_are_overdue_by_the_service_clock(
    tmp_path: Path,
) -> None:
    clock = FakeClock(datetime.now(UTC))
    service = Service(Settings(data_dir=tmp_path / "data"), clock=clock)
    await service.start()
    try:
        await load_directory(service.store)
        await service.store.apply(parse_inbound(lifecycle("REQ-M5")[0]))
        transport = httpx.ASGITransport(app=create_app(service))
        async with httpx.AsyncClient(transport=transport, base_url="http://cpd") as client:
            before = await scrape(client)
            clock.advance(timedelta(days=30))  # the waker has not looked yet
            after = await scrape(client)
    finally:
        await service.stop()

    assert before[("cpd_follow_ups_overdue", "kind=approval_pending")] == 0
    pending = after[("cpd_follow_ups_pending", "kind=approval_pending")]
    assert after[("cpd_follow_ups_overdue", "kind=approval_pending")] == pending >= 1
