"""Reading follow-ups: what is due (a school's overdue list), a request's or a
qualification's, and when the next one falls due. On the store's reader."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler.departures import next_departure
from scheduler.follow_up_rows import (
    READ_COLUMNS,
    FollowUp,
    first_due,
    follow_up_from_row,
    within_reach,
)
from scheduler.follow_up_rows import utc as _utc
from workflow.access import EVERYTHING, Reach
from workflow.store import Store


class FollowUpReads:
    store: Store

    async def due(
        self,
        *,
        before: datetime,
        kind: str | None = None,
        school_id: str | None = None,
        limit: int = 1000,
        within: Reach = EVERYTHING,
    ) -> list[FollowUp]:
        """`within`: only follow-ups of requests a person may read (see workflow.access)."""
        sql = f"SELECT {READ_COLUMNS} FROM follow_ups WHERE status = 'pending' AND due_at <= ?"
        args: list[Any] = [_utc(before)]
        if kind:
            sql, args = sql + " AND kind = ?", [*args, kind]
        if school_id:
            sql, args = sql + " AND school_id = ?", [*args, school_id]
        condition, values = within_reach(within)
        sql, args = sql + condition, [*args, *values]
        return await self._query(sql + " ORDER BY due_at LIMIT ?", [*args, limit])

    async def for_request(self, request_id: str) -> list[FollowUp]:
        return await self._query(
            f"SELECT {READ_COLUMNS} FROM follow_ups WHERE request_id = ? ORDER BY due_at, id",
            [request_id],
        )

    async def for_qualification(self, qualification_id: str) -> list[FollowUp]:
        """A qualification's renewal reminders: pending, fired and cancelled."""
        return await self._query(
            f"SELECT {READ_COLUMNS} FROM follow_ups WHERE qualification_id = ? ORDER BY due_at, id",
            [qualification_id],
        )

    async def next_due(self) -> datetime | None:
        follow_up = await self.store.on_reader(first_due)
        departure = await next_departure(self.store)
        return min((d for d in (follow_up, departure) if d is not None), default=None)

    async def _query(self, sql: str, args: list[Any]) -> list[FollowUp]:
        # One function on the reader's thread: an async cursor would hold its snapshot
        # across awaits, and every other read meanwhile would see the past.
        rows = await self.store.on_reader(lambda db: db.execute(sql, args).fetchall())
        return [follow_up_from_row(row) for row in rows]
