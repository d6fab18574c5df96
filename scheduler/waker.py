"""APScheduler as the in-process waker: it fires what the follow_ups table says is due.

The table is the source of truth; APScheduler only decides when to look. One job sits at
the next due time and moves earlier when a sooner follow-up is scheduled; a minute-by-
minute sweep covers anything else (a clock change, a row written by another process).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from scheduler.follow_ups import FollowUps

log = logging.getLogger("cpd.scheduler")
NEXT_DUE_JOB = "next-due"


class Waker:
    def __init__(self, follow_ups: FollowUps, sweep_seconds: int = 60) -> None:
        self.follow_ups = follow_ups
        self._sweep_seconds = sweep_seconds
        self._scheduler: AsyncIOScheduler | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = asyncio.Lock()
        self._pending: set[asyncio.Future[int]] = set()
        self.fired = 0

    async def start(self, _service: Any = None) -> None:
        self._loop = asyncio.get_running_loop()
        self._scheduler = AsyncIOScheduler(timezone=UTC, event_loop=self._loop)
        self._scheduler.add_job(
            self._ring,
            "interval",
            seconds=self._sweep_seconds,
            id="sweep",
            coalesce=True,
            max_instances=1,
        )
        # Mornings of school days: a sweep at the start of the day, in the school's zone.
        self._scheduler.add_job(
            self._ring,
            CronTrigger(day_of_week="mon-fri", hour=7, timezone=self.follow_ups.policy.zone),
            id="school-morning",
            coalesce=True,
            max_instances=1,
        )
        self.follow_ups.on_scheduled = self._scheduled_from_writer
        self._scheduler.start()
        # Catch-up: whatever fell due while the service was stopped fires once, now.
        await self.wake()

    def every_day(self, job_id: str, at: time, job: Callable[[], object]) -> None:
        """Run `job` once a day at `at` in the school time zone (checks, not chases: they
        read the day from the service's clock themselves). After `start`."""
        assert self._scheduler is not None, "waker not started"
        self._scheduler.add_job(
            job,
            CronTrigger(hour=at.hour, minute=at.minute, timezone=self.follow_ups.policy.zone),
            id=job_id,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )

    async def stop(self, _service: Any = None) -> None:
        self.follow_ups.on_scheduled = lambda _due: None
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        for task in list(self._pending):
            task.cancel()

    async def _ring(self) -> None:
        # Jobs only start a wake; wakes queue on the lock, so an alarm that rings while
        # one is running is never skipped.
        task = asyncio.create_task(self.wake())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def wake(self) -> int:
        """Fire everything due, then set the alarm for the next one."""
        async with self._lock:
            fired = 0
            try:
                while batch := await self.follow_ups.fire_due():
                    fired += batch
            except Exception:
                log.exception("firing follow-ups failed; the next sweep retries")
            self.fired += fired
            self._set_alarm(await self.follow_ups.next_due())
            return fired

    def _scheduled_from_writer(self, due: datetime) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._set_alarm, due, True)

    def _set_alarm(self, due: datetime | None, only_if_sooner: bool = False) -> None:
        if self._scheduler is None or due is None:
            return
        if only_if_sooner and self._lock.locked():
            return  # a wake is running: it fires what is due and sets the alarm after
        job = self._scheduler.get_job(NEXT_DUE_JOB)
        if job is not None and only_if_sooner and job.next_run_time <= due:
            return
        now = self.follow_ups.store.clock.now()
        self._scheduler.add_job(
            self._ring,
            DateTrigger(max(due, now)),
            id=NEXT_DUE_JOB,
            replace_existing=True,
            misfire_grace_time=None,
        )
