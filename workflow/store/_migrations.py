"""Versioned schema migrations, tracked in SQLite's own `user_version`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import aiosqlite

from workflow.store._migration_audit import AUDIT
from workflow.store._migration_money import MONEY
from workflow.store._migration_obligations import OBLIGATIONS
from workflow.store._migration_observability import OBSERVABILITY
from workflow.store._migration_reach import REACHING_PEOPLE
from workflow.store._migration_replays import REPLAYS
from workflow.store._migration_reports import REPORTS
from workflow.store.schema import refuse_newer

# A step is SQL, or a Python function run inside the step's transaction (for what SQL
# cannot compute, like the audit chain's hashes).
Step = str | Callable[[sqlite3.Connection], None]

MIGRATIONS: list[Step] = [
    # 1: requests, their append-only history, the inbox that makes events idempotent,
    # the outbox relayed to the broker after commit, and what could not be processed.
    """
    CREATE TABLE requests (
        request_id    TEXT PRIMARY KEY,
        state         TEXT NOT NULL,
        staff_id      TEXT NOT NULL,
        school_id     TEXT NOT NULL,
        title         TEXT NOT NULL,
        activity_type TEXT NOT NULL,
        provider      TEXT,
        start_date    TEXT NOT NULL,
        end_date      TEXT NOT NULL,
        cost_gbp      TEXT NOT NULL,
        version       INTEGER NOT NULL,
        last_seq      INTEGER NOT NULL,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        details       TEXT NOT NULL
    );
    CREATE INDEX requests_by_school_state ON requests (school_id, state);
    CREATE TABLE history (
        request_id   TEXT NOT NULL REFERENCES requests (request_id),
        seq          INTEGER NOT NULL,
        at           TEXT NOT NULL,
        event_id     TEXT NOT NULL,
        event_source TEXT NOT NULL,
        event_type   TEXT NOT NULL,
        actor        TEXT NOT NULL,
        from_state   TEXT,
        to_state     TEXT NOT NULL,
        data         TEXT NOT NULL,
        PRIMARY KEY (request_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE inbox (
        source       TEXT NOT NULL,
        event_id     TEXT NOT NULL,
        event_type   TEXT,
        request_id   TEXT,
        status       TEXT NOT NULL CHECK (status IN ('queued', 'applied', 'rejected')),
        reason       TEXT,
        code         TEXT,
        received_at  TEXT NOT NULL,
        processed_at TEXT,
        PRIMARY KEY (source, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX inbox_by_event_id ON inbox (event_id);
    CREATE TABLE outbox (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        event_id     TEXT NOT NULL UNIQUE,
        event_type   TEXT NOT NULL,
        body         TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        published_at TEXT
    );
    CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
    CREATE TABLE dead_letters (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        received_at TEXT NOT NULL,
        transport   TEXT NOT NULL,
        source      TEXT,
        event_id    TEXT,
        reason      TEXT NOT NULL,
        body        TEXT NOT NULL
    );
    """,
    # 2: follow-ups (reminders, escalations), written in the transaction of the state
    # change that creates or cancels them; the table, not APScheduler, is the truth.
    """
    CREATE TABLE follow_ups (
        id                 TEXT PRIMARY KEY,
        request_id         TEXT NOT NULL REFERENCES requests (request_id),
        school_id          TEXT NOT NULL,
        kind               TEXT NOT NULL,
        recipient_role     TEXT NOT NULL,
        recipient_staff_id TEXT,
        attempt            INTEGER NOT NULL,
        due_at             TEXT NOT NULL,
        status             TEXT NOT NULL CHECK (status IN ('pending', 'fired', 'cancelled')),
        created_at         TEXT NOT NULL,
        fired_at           TEXT,
        late_by_seconds    INTEGER,
        cancelled_at       TEXT,
        cancel_reason      TEXT
    ) WITHOUT ROWID;
    CREATE INDEX follow_ups_due ON follow_ups (due_at) WHERE status = 'pending';
    CREATE INDEX follow_ups_by_request ON follow_ups (request_id, created_at);
    """,
    # 3: how far each broker stream has been applied (a tracking record), written in the
    # transaction of each event it covers, so a restart resumes exactly after it, in order.
    """
    CREATE TABLE tracking (
        reader     TEXT PRIMARY KEY,
        stream_id  TEXT NOT NULL,
        position   INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 4: records that match what happened. History keeps refused attempts and reminders
    # beside applied steps (`outcome`, with the `reason`); a request keeps the policy-set
    # version it was submitted under, its estimate beside the cost known now, and whether
    # it is to be disseminated. Rows from before are the default set's, and a booking's
    # confirmed cost already recorded becomes the cost, as it would be today.
    """
    ALTER TABLE history ADD COLUMN outcome TEXT NOT NULL DEFAULT 'applied'
        CHECK (outcome IN ('applied', 'refused', 'reminder'));
    ALTER TABLE history ADD COLUMN reason TEXT;
    UPDATE history SET outcome = 'reminder' WHERE event_type = 'cpd.reminder.due';
    ALTER TABLE requests ADD COLUMN policy_id TEXT NOT NULL DEFAULT 'default';
    ALTER TABLE requests ADD COLUMN policy_version INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE requests ADD COLUMN estimated_cost_gbp TEXT;
    ALTER TABLE requests ADD COLUMN dissemination TEXT NOT NULL DEFAULT 'required';
    UPDATE requests SET estimated_cost_gbp = cost_gbp;
    UPDATE requests SET cost_gbp = json_extract(details, '$.booked.confirmed_cost_gbp')
        WHERE state IN ('booked', 'completed', 'evaluated', 'disseminated')
        AND json_extract(details, '$.booked.confirmed_cost_gbp') IS NOT NULL;
    """,
    # 5: the staff directory from the HR system. Records are versioned, never overwritten,
    # so a past decision is judged by the roles held then; departures are timed work (a
    # future last working day), carried out by the waker like a follow-up.
    """
    CREATE TABLE staff_versions (
        staff_id     TEXT NOT NULL,
        version      INTEGER NOT NULL,
        valid_from   TEXT NOT NULL,
        school_id    TEXT NOT NULL,
        roles        TEXT NOT NULL,
        record       TEXT NOT NULL,
        event_source TEXT NOT NULL,
        event_id     TEXT NOT NULL,
        actor        TEXT NOT NULL,
        PRIMARY KEY (staff_id, version)
    ) WITHOUT ROWID;
    CREATE TABLE school_versions (
        school_id    TEXT NOT NULL,
        version      INTEGER NOT NULL,
        valid_from   TEXT NOT NULL,
        record       TEXT NOT NULL,
        event_source TEXT NOT NULL,
        event_id     TEXT NOT NULL,
        actor        TEXT NOT NULL,
        PRIMARY KEY (school_id, version)
    ) WITHOUT ROWID;
    CREATE TABLE delegations (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        from_staff_id TEXT NOT NULL,
        to_staff_id   TEXT NOT NULL,
        step          TEXT NOT NULL,
        starts        TEXT NOT NULL,
        ends          TEXT NOT NULL,
        granted_at    TEXT NOT NULL,
        revoked_at    TEXT,
        event_source  TEXT NOT NULL,
        event_id      TEXT NOT NULL,
        actor         TEXT NOT NULL
    );
    CREATE INDEX delegations_by_delegate ON delegations (to_staff_id, step);
    CREATE INDEX delegations_by_delegator ON delegations (from_staff_id, to_staff_id);
    CREATE TABLE departures (
        cause_source    TEXT NOT NULL,
        cause_id        TEXT NOT NULL,
        staff_id        TEXT NOT NULL,
        left_on         TEXT NOT NULL,
        reason          TEXT NOT NULL,
        takes_effect_at TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'done', 'cancelled')),
        created_at      TEXT NOT NULL,
        done_at         TEXT,
        PRIMARY KEY (cause_source, cause_id)
    ) WITHOUT ROWID;
    CREATE INDEX departures_due ON departures (takes_effect_at) WHERE status = 'pending';
    """,
    # 6: who may take each step. A delegate's approval names the approver it was given for,
    # who then counts as having given it (so cannot also give the executive approval).
    """
    ALTER TABLE history ADD COLUMN on_behalf_of TEXT;
    """,
    # 7: reminders name people. A fired follow-up keeps whom it reached, resolved from the
    # directory as it fired (JSON list); rows fired before this have none.
    """
    ALTER TABLE follow_ups ADD COLUMN recipients TEXT;
    """,
    # 8: every policy-set version the service has loaded, as it was loaded, so a request
    # keeps the rules it was submitted under after its file is edited and the service
    # restarts (the shipped default is code, and reads CPD_FOLLOW_UP_POLICY: not kept).
    """
    CREATE TABLE policy_versions (
        policy_id  TEXT NOT NULL,
        version    INTEGER NOT NULL,
        rules      TEXT NOT NULL,
        loaded_at  TEXT NOT NULL,
        PRIMARY KEY (policy_id, version)
    ) WITHOUT ROWID;
    """,
    *REACHING_PEOPLE,  # 9 to 11
    *MONEY,  # 12 to 14
    # 15: obligations: statutory training, agreed CPD, sessions (its own module, for length).
    OBLIGATIONS,
    # 16: the indexes and the heartbeat row that health and metrics read (its own module).
    OBSERVABILITY,
    # 17: a dead letter keeps when, by whom and as what it was replayed (its own module).
    REPLAYS,
    # 18: the tamper-evident audit chain; history becomes a view over it (own module).
    AUDIT,
    # 19: the indexes the reports read by (its own module).
    REPORTS,
]


def migrate_connection(db: sqlite3.Connection, up_to: int | None = None) -> int:
    """Bring the schema up to date (or to `up_to`, as an earlier release left it); each
    step commits with its version number. For the service's writer (through `migrate`)
    and command-line tools (`cpd keys`) alike."""
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    refuse_newer(current)
    last = len(MIGRATIONS) if up_to is None else up_to
    for version, step in enumerate(MIGRATIONS[current:last], start=current + 1):
        if isinstance(step, str):
            db.executescript(f"BEGIN IMMEDIATE;\n{step}\nPRAGMA user_version = {version};\nCOMMIT;")
            continue
        if db.in_transaction:
            db.commit()
        db.execute("BEGIN IMMEDIATE")
        try:
            step(db)
            db.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return last


async def migrate(db: aiosqlite.Connection) -> int:
    """`migrate_connection` on the writer's own thread (aiosqlite's dispatcher, as
    Connections.on_writer uses it)."""
    version: int = await db._execute(migrate_connection, db._conn)  # type: ignore[no-untyped-call]
    return version
