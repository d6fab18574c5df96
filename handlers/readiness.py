"""GET /health/ready: may a load balancer send this service work? Each check tried for
real (a write to the database, a ping through the broker, the embedded NATS server's own
pid file); warnings name what needs attention but stops nothing (mail, term dates)."""

from __future__ import annotations

import asyncio
import contextlib
import time

from handlers.brokers.urls import shown
from handlers.mail.transport import SmtpServer
from handlers.service import Service
from schemas.http_bodies import ProbeCheck, ProbeWarning, Readiness
from workflow.store import heartbeat

WRITE_WITHIN = 5.0  # seconds the writer may take to reach the probe's write
PING_WITHIN = 3.0
SMTP_CONNECT_WITHIN = 2.0
SMTP_CACHE_SECONDS = 60.0  # probes every few seconds must not knock at the mail server


class ReadinessProbe:
    def __init__(self, service: Service) -> None:
        self.service = service
        self._smtp = SmtpReachability(service.settings.smtp_url)

    async def __call__(self) -> Readiness:
        checks = [await self._database(), await self._broker()]
        if self.service.embedded is not None:
            up, detail = self.service.embedded.process_up()
            checks.append(ProbeCheck(name="embedded_nats", ok=up, detail=detail))
        warnings = [ProbeWarning(name="term_dates", detail=w) for w in self._term_dates()]
        if (trouble := await self._smtp.trouble()) is not None:
            warnings.insert(0, ProbeWarning(name="smtp", detail=trouble))
        failed = [c.name for c in checks if not c.ok]
        return Readiness(
            status="unavailable" if failed else "ok",
            failed=failed,
            checks=checks,
            warnings=warnings,
        )

    async def _database(self) -> ProbeCheck:
        service, started = self.service, time.perf_counter()
        try:
            wrote = service.store.on_writer(heartbeat.beat, service.clock.now())
            await asyncio.wait_for(wrote, WRITE_WITHIN)
        except TimeoutError:
            detail = f"the writer did not reach the write within {WRITE_WITHIN:.0f} s"
            return ProbeCheck(name="database", ok=False, detail=detail)
        except Exception as error:
            return ProbeCheck(name="database", ok=False, detail=f"a write failed: {error!r}")
        took = (time.perf_counter() - started) * 1000
        detail = f"{service.settings.database_path} took a write in {took:.1f} ms"
        return ProbeCheck(name="database", ok=True, detail=detail)

    async def _broker(self) -> ProbeCheck:
        try:
            broker = self.service.broker
            answered = await asyncio.wait_for(broker.ping(), PING_WITHIN)
        except Exception as error:
            return ProbeCheck(name="broker", ok=False, detail=f"no answer: {error!r}")
        url, embedded = self.service.settings.broker_url, self.service.embedded
        where = f"{broker.name} at {shown(url) if url else embedded.url if embedded else '?'}"
        detail = f"{where} answered a ping" if answered else f"{where} is not connected"
        return ProbeCheck(name="broker", ok=answered, detail=detail)

    def _term_dates(self) -> list[str]:
        try:
            return self.service.calendar_warnings()
        except AssertionError:  # not started: the database check says so already
            return []


class SmtpReachability:
    """A TCP connection to the mail server, tried at most once a minute; no server
    configured (mail written to files) is nothing to warn about."""

    def __init__(self, smtp_url: str | None) -> None:
        self._server = SmtpServer.from_url(smtp_url) if smtp_url else None
        self._checked_at = -SMTP_CACHE_SECONDS
        self._trouble: str | None = None
        self._lock = asyncio.Lock()

    async def trouble(self) -> str | None:
        if self._server is None:
            return None
        async with self._lock:  # probes arriving together share one attempt
            if time.monotonic() - self._checked_at >= SMTP_CACHE_SECONDS:
                self._trouble = await _unreachable(self._server.host, self._server.port)
                self._checked_at = time.monotonic()
            return self._trouble


async def _unreachable(host: str, port: int) -> str | None:
    try:
        async with asyncio.timeout(SMTP_CONNECT_WITHIN):
            _, writer = await asyncio.open_connection(host, port)
    except (OSError, TimeoutError) as error:
        reason = "no answer" if isinstance(error, TimeoutError) else repr(error)
        return f"cannot reach the mail server {host}:{port} ({reason}); mail waits queued"
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return None
