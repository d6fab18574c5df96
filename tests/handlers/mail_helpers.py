"""A store on a real file with the mail queue hooked into its transactions, as the service
wires it, and the rows the queue holds, read straight from the file."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handlers.mail.service import MailService
from handlers.settings import Settings
from scheduler.follow_ups import FollowUps
from scheduler.policy import FollowUpPolicy
from tests.scheduler.helpers import CALENDAR
from tests.workflow.builders import open_store
from workflow.clock import FakeClock

PUBLIC_URL = "https://cpd.trust.example"


@dataclass
class Mailroom:
    follow_ups: FollowUps
    mail: MailService
    data_dir: Path

    @property
    def store(self) -> Any:
        return self.follow_ups.store

    async def send(self) -> int:
        """Send what is due now, as the sender's next look would."""
        return await self.mail.sender.send_due()

    def rows(self, **where: Any) -> list[dict[str, Any]]:
        return queued_rows(self.data_dir / "cpd.sqlite3", **where)


@asynccontextmanager
async def mailroom(
    data_dir: Path,
    clock: FakeClock,
    smtp_url: str | None = None,
    *,
    seeded: bool = True,
    max_attempts: int = 8,
    **governance: Any,
) -> AsyncIterator[Mailroom]:
    """`governance`: Store.open's `policies` and `policy_id_for_school`."""
    async with open_store(data_dir / "cpd.sqlite3", clock, seeded=seeded, **governance) as store:
        follow_ups = FollowUps(store, CALENDAR, FollowUpPolicy(), governance.get("policies"))
        store.add_transaction_hook(follow_ups.plan)
        settings = Settings(
            data_dir=data_dir,
            smtp_url=smtp_url,
            public_url=PUBLIC_URL,
            mail_max_attempts=max_attempts,
        )
        mail = MailService(settings, store, clock)
        mail.attach(follow_ups)
        try:
            yield Mailroom(follow_ups, mail, data_dir)
        finally:
            await mail.stop()


def queued_rows(path: Path, **where: Any) -> list[dict[str, Any]]:
    """Every row of the mail queue (matching `where`), oldest first."""
    clause = " AND ".join(f"{column} = ?" for column in where) or "1"
    with closing(sqlite3.connect(path)) as db:
        db.row_factory = sqlite3.Row
        found = db.execute(
            f"SELECT * FROM notifications WHERE {clause} ORDER BY id", list(where.values())
        ).fetchall()
    return [dict(row) for row in found]
