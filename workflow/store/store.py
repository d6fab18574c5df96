"""The durable store: each event atomic on its own, applied exactly once.

Events that arrive together share one fsync'd commit, each inside its own savepoint
(connections and transactions: _connections.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from workflow.clock import Clock
from workflow.directory import apply as directory_events
from workflow.model import Command, CpdRequest
from workflow.policy import PolicyLibrary
from workflow.store import _reads, _tracking, _unapplied, used_links
from workflow.store import dead_letters as letters
from workflow.store._connections import Connections
from workflow.store._database import connect
from workflow.store._events import (
    EVENT_REJECTED,
    STATE_CHANGED,
    OutboundBuilder,
    TransactionHook,
    apply_event,
)
from workflow.store._migrations import migrate
from workflow.store._rows import request_from_row
from workflow.store._tracking import Position, Tracked
from workflow.store.families import apply_family_event, family_of
from workflow.store.outcomes import (
    EventStatus,
    HistoryEntry,
    OutboxMessage,
    Outcome,
)
from workflow.store.policies import Governance, PolicyIdForSchool

T = TypeVar("T")
__all__ = ["EVENT_REJECTED", "STATE_CHANGED", "Store", "TransactionHook"]


class Store(Connections):
    def __init__(
        self,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
        clock: Clock,
        envelope: OutboundBuilder,
        governance: Governance | None = None,
    ) -> None:
        super().__init__(writer, reader)
        self.clock = clock
        self.envelope = envelope
        # Which policy-set version governs each request (the shipped default unless a
        # library and a school's policy seam are given).
        self.governance = governance or Governance()
        # A form link is used up in the transaction of the event it sent (used_links.py).
        self._hooks: list[TransactionHook] = [used_links.record]
        # Directory events (staff, schools, delegations) are applied by workflow/directory.
        self.directory = directory_events.DirectorySettings(governance=self.governance)
        # Budgets, sessions, qualifications...: listed in workflow/families.py, which imports
        # their modules, which import the store: read here, once everything is loaded.
        from workflow.families import FAMILIES

        self.families = FAMILIES
        self._hooks += [hook for f in FAMILIES for hook in f.hooks(self.governance)]
        self.schema_version = 0

    @classmethod
    async def open(
        cls,
        path: Path,
        clock: Clock,
        envelope: OutboundBuilder,
        *,
        policies: PolicyLibrary | None = None,
        policy_id_for_school: PolicyIdForSchool | None = None,
    ) -> Store:
        """`policies`: every policy-set version loaded (default: the shipped set only);
        `policy_id_for_school`: which set a school follows (default: none, so `default`)."""
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # personal data: private
        writer = await connect(path)
        governance = Governance(policies, policy_id_for_school)
        store = cls(writer, await connect(path, readonly=True), clock, envelope, governance)
        try:
            store.schema_version = await migrate(writer)
        except BaseException:  # a file from a newer release: refused, and nothing left open
            await store.close()
            raise
        return store

    def add_transaction_hook(self, hook: TransactionHook) -> None:
        self._hooks.append(hook)

    async def record_queued(
        self, source: str, event_id: str, event_type: str, request_id: str
    ) -> tuple[EventStatus, bool]:
        """Note an event accepted over HTTP; returns its status and whether it is new.

        Not fsync'd: what makes the event accepted is the broker storing it; this row only
        lets `GET /events/{id}` say `queued` meanwhile, and an fsync per post held up the
        one writer that applies events (a power cut may lose the note, never the event)."""
        now = self.clock.now().isoformat()

        def insert(db: sqlite3.Connection) -> tuple[EventStatus, bool]:
            cursor = db.execute(
                "INSERT INTO inbox (source, event_id, event_type, request_id, status, received_at)"
                " VALUES (?, ?, ?, ?, 'queued', ?) ON CONFLICT DO NOTHING",
                (source, event_id, event_type, request_id, now),
            )
            status = _reads.status_sync(db, source, event_id)
            assert status is not None
            return status, cursor.rowcount == 1

        return await self.transaction(insert, fsync=False)

    async def fresh_status(self, source: str, event_id: str) -> EventStatus | None:
        """Read on the writer, so the answer includes every commit made so far."""
        status: EventStatus | None = await self.on_writer(_reads.status_sync, source, event_id)
        return status

    async def forget_queued(self, source: str, event_id: str) -> None:
        """Undo record_queued when the broker refused the event, so a retry starts clean."""
        await self.transaction(
            lambda db: db.execute(
                "DELETE FROM inbox WHERE source = ? AND event_id = ? AND status = 'queued'",
                (source, event_id),
            )
        )

    async def apply(self, event: Any) -> Outcome:
        """Apply one validated CloudEvent exactly once, in one transaction."""
        outcomes, failure = await self.apply_many([event])
        if failure is not None:
            raise failure
        return outcomes[0]

    async def apply_many(
        self, events: Sequence[Any], positions: Sequence[Position | None] | None = None
    ) -> tuple[list[Outcome], Exception | None]:
        """Apply events in order, in one hop to the writer and one durable commit.

        Each event's writes (state, history, inbox, outbox, follow-ups, and the broker
        position it came from) are atomic on their own: a savepoint per event. The commit
        is shared (group commit), because a separate fsync per event was what bounded
        throughput. Stops at the first event that fails; returns the outcomes committed
        before it, and the error. Nothing is reported applied unless its commit succeeded.
        """
        now = self.clock.now()
        where = list(positions) if positions is not None else [None] * len(events)

        def work(db: sqlite3.Connection) -> tuple[list[Outcome], Exception | None]:
            outcomes: list[Outcome] = []
            failure: Exception | None = None
            db.execute("BEGIN IMMEDIATE")
            try:
                for event, position in zip(events, where, strict=True):
                    command = Command(
                        event.type,
                        event.subject,
                        event.actor,
                        event.data,
                        event.time or now,
                        getattr(event, "model_extra", None) or {},
                    )
                    db.execute("SAVEPOINT event")
                    try:
                        outcomes.append(self._apply_one(db, event, command, now))
                        if position is not None:
                            _tracking.advance(db, position, now)
                    except Exception as error:
                        db.execute("ROLLBACK TO event")
                        failure = error
                        break
                    finally:
                        db.execute("RELEASE event")
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            return outcomes, failure

        try:
            result = await self.on_writer(work)
        except Exception as error:  # the commit itself failed: nothing was applied
            return [], error
        self.outbox_ready.set()
        return result

    def _apply_one(
        self, db: sqlite3.Connection, event: Any, command: Command, now: datetime
    ) -> Outcome:
        if directory_events.is_directory_event(event.type):
            return directory_events.apply_directory_event(
                db, event, now, self.envelope, self._hooks, self.directory
            )
        family = family_of(self.families, event.type)
        if family is not None:
            return apply_family_event(
                family, db, event, now, self.envelope, self.governance, self._hooks
            )
        return apply_event(db, event, command, now, self.envelope, self._hooks, self.governance)

    @property
    def hooks(self) -> tuple[TransactionHook, ...]:
        """The transaction hooks, for work the service does itself (e.g. a leaver's withdrawals)."""
        return tuple(self._hooks)

    async def record_invalid(
        self,
        *,
        transport: str,
        body: str,
        reason: str,
        source: str | None,
        event_id: str | None,
        code: str = "invalid_event",
        event_type: str | None = None,
        request_id: str | None = None,
        position: Position | None = None,
    ) -> EventStatus | None:
        """A message we will not apply: kept with its reason and announced, never dropped.

        With `event_type`, it was a readable event that kept failing: its status becomes
        rejected with the reason, and that status is returned."""
        now = self.clock.now()
        return await self.transaction(
            lambda db: _unapplied.keep(
                db,
                self.envelope,
                transport=transport,
                body=body,
                reason=reason,
                code=code,
                source=source,
                event_id=event_id,
                event_type=event_type,
                request_id=request_id,
                position=position,
                now=now,
            )
        )

    # -- tracking: how far each broker stream has been applied --------------------------
    async def tracked(self, reader: str) -> Tracked | None:
        """Read on the writer, so it includes every commit."""
        found: Tracked | None = await self.on_writer(_tracking.read, reader)
        return found

    async def reset_tracking(self, reader: str, tracked: Tracked) -> None:
        now = self.clock.now()
        await self.transaction(lambda db: _tracking.reset(db, reader, tracked, now))

    # -- outbox relay --------------------------------------------------------------------
    async def unpublished(self, limit: int = 500) -> list[OutboxMessage]:
        return await self.on_reader(_reads.unpublished, limit)

    async def mark_published(self, seqs: Sequence[int]) -> None:
        now = self.clock.now().isoformat()
        await self.transaction(
            lambda db: db.executemany(
                "UPDATE outbox SET published_at = ? WHERE seq = ?", [(now, s) for s in seqs]
            )
        )

    # -- reads -----------------------------------------------------------------------------
    async def get_request(self, request_id: str) -> CpdRequest | None:
        row = await self.on_reader(_reads.request_row, request_id)
        return request_from_row(row)[0] if row else None

    async def history(self, request_id: str) -> list[HistoryEntry]:
        return await self.on_reader(_reads.history, request_id)

    async def event_status(self, event_id: str, source: str | None = None) -> list[EventStatus]:
        return await self.on_reader(_reads.event_status, event_id, source)

    async def dead_letters(self, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first (workflow/store/dead_letters.py)."""
        return await self.on_reader(letters.listing, limit)
