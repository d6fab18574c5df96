"""The composition root: builds the store, broker, relay and follow-ups, starts and stops them."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from handlers.brokers import BrokerAdapter, adapter_for
from handlers.brokers.urls import shown
from handlers.data_dir_lock import DataDirectoryLock
from handlers.embedded_nats import EmbeddedNats
from handlers.mail.service import MailService
from handlers.metrics import ServiceMetrics
from handlers.processing import EventProcessor, Waiters
from handlers.relay import OutboxRelay
from handlers.settings import Settings
from scheduler.calendar import SchoolCalendar
from scheduler.calendar_coverage import DAILY_CHECK_AT, CoverageWatch
from scheduler.calendars import Calendars, load_calendars
from scheduler.follow_ups import FollowUps
from scheduler.policy_sets import follow_up_policy_of, load_policy_library
from scheduler.waker import Waker
from schemas import outbound_event
from workflow.clock import Clock, SystemClock
from workflow.directory import policy_id_of_school
from workflow.policy import PolicyLibrary
from workflow.store import PolicyIdForSchool, Store, policy_versions

log = logging.getLogger("cpd.service")
# A broker that does not answer at start is a failed start (systemd restarts it), not a
# service that hangs for ever before it can answer a probe or a SIGTERM.
BROKER_START_SECONDS = 30.0


class BrokerUnavailable(RuntimeError):
    """The broker could not be reached at start; the message names it (password masked)."""


class Service:
    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        lock: DataDirectoryLock | None = None,
        policy_id_for_school: PolicyIdForSchool | None = None,
    ) -> None:
        """`policy_id_for_school`: which policy set a school follows; by default what the
        staff directory's `school.upserted` said (no policy_id: the shipped default)."""
        self.settings = settings
        self.clock = clock or SystemClock()
        self.lock = lock or DataDirectoryLock(settings.data_dir)
        self.waiters = Waiters()
        self.metrics = ServiceMetrics()
        self.embedded: EmbeddedNats | None = None
        self._store: Store | None = None
        self._broker: BrokerAdapter | None = None
        self._relay: OutboxRelay | None = None
        self._follow_ups: FollowUps | None = None
        self.waker: Waker | None = None
        self._mail: MailService | None = None
        self.policy_id_for_school = policy_id_for_school or policy_id_of_school
        self.policies: PolicyLibrary | None = None
        self._calendars: Calendars | None = None
        self._coverage: CoverageWatch | None = None

    @property
    def store(self) -> Store:
        assert self._store is not None, "service not started"
        return self._store

    @property
    def broker(self) -> BrokerAdapter:
        assert self._broker is not None, "service not started"
        return self._broker

    @property
    def follow_ups(self) -> FollowUps:
        assert self._follow_ups is not None, "service not started"
        return self._follow_ups

    @property
    def mail(self) -> MailService:
        assert self._mail is not None, "service not started"
        return self._mail

    @property
    def calendar(self) -> SchoolCalendar:
        """The default calendar (CPD_TERM_DATES, England's bank holidays): trust-wide
        matters and schools that name no term dates."""
        return self.calendars.default

    @property
    def calendars(self) -> Calendars:
        """Every school's calendar (CPD_TERM_DATES and CPD_TERM_DATES_DIR, read at start)."""
        assert self._calendars is not None, "service not started"
        return self._calendars

    def calendar_warnings(self) -> list[str]:
        """Term-dates files that run out within 90 days of today, or have run out."""
        assert self._coverage is not None, "service not started"
        return self._coverage.warnings()

    @property
    def relay(self) -> OutboxRelay:
        assert self._relay is not None, "service not started"
        return self._relay

    async def start(self) -> None:
        try:
            await self._start()
        except BaseException:
            await self.stop()  # leave nothing half-started: servers, connections, the lock
            raise

    async def _start_broker(self, broker: BrokerAdapter, url: str) -> None:
        try:
            await asyncio.wait_for(broker.start(), BROKER_START_SECONDS)
        except Exception as error:  # each client library fails in its own words
            why = str(error) or f"no answer in {BROKER_START_SECONDS:.0f} s"
            line = f"cannot start: could not connect to the broker at {shown(url)}: {why}"
            log.error("%s", line)
            raise BrokerUnavailable(line) from None

    async def _start(self) -> None:
        settings = self.settings
        # Before anything else: a second service on this directory must touch nothing.
        self.lock.acquire(settings.port)
        # Configuration errors (a bad term-dates file, an invalid policy directory) surface
        # before anything starts.
        calendars = self._calendars = load_calendars(settings.term_dates, settings.term_dates_dir)
        self.policies = load_policy_library(settings.policy_dir, settings.follow_up_policy)
        self._store = await Store.open(
            settings.database_path,
            self.clock,
            outbound_event,
            policies=self.policies,
            policy_id_for_school=self.policy_id_for_school,
        )
        await self._keep_policy_versions()
        # A school may name only a policy set the service has loaded.
        policies = self.policies
        self._store.directory.policy_ids = lambda: {s.id for s in policies}
        # ... and only a term-dates file the service has read.
        self._store.directory.term_dates = calendars.names
        policy = follow_up_policy_of(self.policies.default)
        self._coverage = CoverageWatch(calendars, self.clock, policy.zone)
        self._coverage.check()
        self._follow_ups = FollowUps(self._store, calendars, policy, self.policies)
        self._store.add_transaction_hook(self._follow_ups.plan)
        self._mail = MailService(settings, self._store, self.clock)
        self._mail.attach(self._follow_ups)
        url = settings.broker_url
        if url is None:
            self.embedded = EmbeddedNats(settings.data_dir)
            url = await self.embedded.start()
        processor = EventProcessor(self._store, self.waiters, self.metrics.events)
        self._broker = adapter_for(url, processor, settings.max_deliver, settings.inbound_max_bytes)
        await self._start_broker(self._broker, url)
        self._relay = OutboxRelay(self._store, self._broker)
        self._relay.start()
        self._mail.start()
        self.waker = Waker(self._follow_ups)
        await self.waker.start()
        self.waker.every_day("term-dates-coverage", DAILY_CHECK_AT, self._coverage.check)
        log.info(
            "cpd-workflow ready: broker %s at %s, data in %s",
            self._broker.inbound_address,
            shown(url),
            settings.data_dir,
        )

    async def _keep_policy_versions(self) -> None:
        """Versions an earlier run loaded come back (their rules stand for the requests
        pinned to them); versions new in the directory are kept for later runs."""
        assert self.policies is not None and self._store is not None
        store, policies, now = self._store, self.policies, self.clock.now()
        for notice in policies.remember(await store.on_writer(policy_versions.remembered)):
            log.warning("policy sets: %s", notice)
        await store.transaction(lambda db: policy_versions.keep(db, policies, now))

    async def stop(self) -> None:
        """Stop taking messages first, so nothing is acknowledged after the store closes."""
        if self.waker:
            await _quietly(self.waker.stop())
        if self._broker:
            await _quietly(self._broker.stop_consuming())
        if self._relay:  # flush while the broker connection is still open
            await _quietly(self._relay.stop())
        if self._mail:  # the message in hand is finished and recorded first
            await _quietly(self._mail.stop())
        if self._broker:
            await _quietly(self._broker.stop())
        if self.embedded:
            await _quietly(self.embedded.stop())
        if self._store:
            await _quietly(self._store.close())
        self.lock.release()

    async def health(self) -> dict[str, Any]:
        checks: dict[str, Any] = {}
        try:
            modes = await asyncio.wait_for(self.store.ping(), timeout=5)
            checks["database"] = {"ok": True, "path": str(self.settings.database_path), **modes}
        except Exception as error:
            checks["database"] = {"ok": False, "error": repr(error)}
        broker_ok = await _safe_ping(self._broker)
        checks["broker"] = {"ok": broker_ok, "kind": self._broker.name if self._broker else None}
        if self.embedded:
            status = self.embedded.status()
            checks["broker"].update(status)
            checks["broker"]["ok"] = broker_ok and bool(status["healthy"])
        if self._broker:
            checks["inbound_consumer"] = self._broker.consumer_status()
        if self._relay:
            checks["outbox_relay"] = {
                "ok": self._relay.last_error is None,
                "published": self._relay.published,
                "last_error": self._relay.last_error,
            }
        if self._mail:
            checks["mail"] = self._mail.health()
        ok = all(checks[name]["ok"] for name in ("database", "broker", "inbound_consumer"))
        return {"status": "ok" if ok else "unavailable", "checks": checks}


async def _safe_ping(broker: BrokerAdapter | None) -> bool:
    if broker is None:
        return False
    try:
        return await broker.ping()
    except Exception:
        return False


async def _quietly(awaitable: Any) -> None:
    try:
        await awaitable
    except Exception:
        log.exception("error during shutdown")
