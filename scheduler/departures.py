"""Leavers whose last working day has ended: their open requests are withdrawn then.

A `staff.left` with a future `left_on` leaves a pending row in `departures`; the waker
looks at it beside the follow-ups (FollowUps.fire_due / next_due) and carries each due
one out in its own transaction (workflow/directory/leavers.py).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from workflow.directory.leavers import carry_out, due_departures, next_departure_due
from workflow.store import Store


async def carry_out_due_departures(store: Store) -> int:
    """Withdraw the open requests of everyone whose last day has ended; returns how many
    departures were carried out."""
    now = store.clock.now()
    envelope, hooks = store.envelope, store.hooks

    def work(db: sqlite3.Connection) -> int:
        carried = 0
        for departure in due_departures(db, now):
            db.execute("BEGIN IMMEDIATE")
            try:
                carry_out(db, departure, now, envelope, hooks, store.governance)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            carried += 1
        return carried

    carried: int = await store.on_writer(work)
    if carried:
        store.outbox_ready.set()
    return carried


async def next_departure(store: Store) -> datetime | None:
    found: datetime | None = await store.on_reader(next_departure_due)
    return found
