"""Versioned schema migrations, tracked in SQLite's own `user_version`."""

from __future__ import annotations

import sqlite3

import aiosqlite

from workflow.store._migration_obligations import OBLIGATIONS

MIGRATIONS: list[str] = [
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
    # 9: form links used up (keyed by the link's nonce), each written in the transaction
    # of the event its form sent, so a link is used exactly when its event is applied.
    """
    CREATE TABLE used_links (
        link_id    TEXT PRIMARY KEY,
        request_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        staff_id   TEXT NOT NULL,
        used_at    TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 10: who is calling. API keys of client systems, kept only as a hash (a revoked key's
    # row stays, so its name keeps meaning what it meant in history); the client that
    # sent each event, beside its actor; people found by e-mail (a signed-in token) and
    # by line manager (what they may read) without reading every record.
    """
    CREATE TABLE api_keys (
        name        TEXT PRIMARY KEY,
        key_hash    TEXT NOT NULL UNIQUE,
        scopes      TEXT NOT NULL,
        as_staff_id TEXT,
        created_at  TEXT NOT NULL,
        revoked_at  TEXT
    ) WITHOUT ROWID;
    ALTER TABLE history ADD COLUMN client TEXT;
    CREATE INDEX staff_by_email ON staff_versions (lower(json_extract(record, '$.email')));
    CREATE INDEX staff_by_line_manager
        ON staff_versions (json_extract(record, '$.line_manager_id'));
    """,
    # 11: the mail queue. A row is written in the transaction that applied the decision or
    # fired the reminder, and sent by handlers/mail after commit (a reminder whose request
    # moved on while it waited for its digest is `cancelled` instead). `message_id` is decided
    # here, so a retry goes under the same Message-ID; rows combined into one digest take
    # the digest's (`digest_key`: recipient and school day; `sealed_at`: when combined).
    """
    CREATE TABLE notifications (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        message_id      TEXT NOT NULL,
        request_id      TEXT,
        cause           TEXT NOT NULL,
        kind            TEXT NOT NULL CHECK (kind IN ('decision', 'reminder')),
        template        TEXT NOT NULL,
        to_staff_id     TEXT,
        to_address      TEXT NOT NULL,
        to_name         TEXT NOT NULL,
        subject         TEXT NOT NULL,
        text            TEXT NOT NULL,
        html            TEXT NOT NULL,
        context         TEXT NOT NULL,
        digest_key      TEXT,
        sealed_at       TEXT,
        status          TEXT NOT NULL
                        CHECK (status IN ('queued', 'sent', 'failed', 'cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        last_attempt_at TEXT,
        not_before      TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        sent_at         TEXT
    );
    CREATE INDEX notifications_due ON notifications (not_before) WHERE status = 'queued';
    CREATE INDEX notifications_by_request ON notifications (request_id, id);
    CREATE INDEX notifications_by_message ON notifications (message_id);
    CREATE INDEX notifications_by_status ON notifications (status, id);
    CREATE INDEX notifications_digest ON notifications (digest_key)
        WHERE status = 'queued' AND sealed_at IS NULL;
    """,
    # 12: repayment claims on training the school paid for, recorded in the transaction of
    # the resignation (`staff.left`) and decided by the head teacher: `open`, then
    # `confirmed` or `waived`. One claim per request at most, however often HR corrects it.
    """
    CREATE TABLE repayment_claims (
        claim_id          TEXT PRIMARY KEY,
        request_id        TEXT NOT NULL UNIQUE REFERENCES requests (request_id),
        staff_id          TEXT NOT NULL,
        school_id         TEXT NOT NULL,
        cost_gbp          TEXT NOT NULL,
        school_share_gbp  TEXT NOT NULL,
        amount_gbp        TEXT NOT NULL,
        months_counted    INTEGER NOT NULL,
        months            INTEGER NOT NULL,
        training_ended_on TEXT NOT NULL,
        resigned_on       TEXT NOT NULL,
        policy_id         TEXT NOT NULL,
        policy_version    INTEGER NOT NULL,
        reason            TEXT NOT NULL,
        terms             TEXT,
        status            TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'waived')),
        created_at        TEXT NOT NULL,
        cause_source      TEXT NOT NULL,
        cause_id          TEXT NOT NULL,
        decided_at        TEXT,
        decided_by        TEXT,
        decision_note     TEXT,
        decision_source   TEXT,
        decision_id       TEXT
    ) WITHOUT ROWID;
    CREATE INDEX repayment_claims_by_school ON repayment_claims (school_id, created_at);
    CREATE INDEX repayment_claims_by_staff ON repayment_claims (staff_id);
    """,
    # 13: school budgets per financial year (workflow/budgets). One append-only ledger: each
    # budget.set, and every movement of a request's money (written in the transaction of
    # the step that moved it), in whole pence so sums are exact. Approvals that went over
    # the budget with an override_reason are kept beside it for the budget view.
    """
    CREATE TABLE budget_ledger (
        seq            INTEGER PRIMARY KEY AUTOINCREMENT,
        school_id      TEXT NOT NULL,
        financial_year TEXT NOT NULL,
        kind           TEXT NOT NULL
                       CHECK (kind IN ('budget_set', 'committed', 'released', 'spent')),
        request_id     TEXT,
        amount_pence   INTEGER NOT NULL CHECK (amount_pence >= 0),
        at             TEXT NOT NULL,
        cause          TEXT NOT NULL,
        actor          TEXT NOT NULL,
        categories     TEXT
    );
    CREATE INDEX budget_ledger_by_year
        ON budget_ledger (school_id, financial_year, kind, amount_pence);
    CREATE INDEX budget_ledger_by_request ON budget_ledger (request_id)
        WHERE request_id IS NOT NULL;
    CREATE TABLE budget_overrides (
        id              INTEGER PRIMARY KEY AUTOINCREMENT,
        school_id       TEXT NOT NULL,
        financial_year  TEXT NOT NULL,
        request_id      TEXT NOT NULL,
        cause           TEXT NOT NULL,
        actor           TEXT NOT NULL,
        reason          TEXT NOT NULL,
        at              TEXT NOT NULL,
        budget_pence    INTEGER NOT NULL,
        committed_pence INTEGER NOT NULL,
        spent_pence     INTEGER NOT NULL,
        request_pence   INTEGER NOT NULL
    );
    CREATE INDEX budget_overrides_by_year ON budget_overrides (school_id, financial_year);
    """,
    # 14: a school's SIP priorities (each `sip.updated` a new version; the latest counts),
    # and the indexes that keep the queues and `GET /requests` pages (newest first, keyset
    # on created_at and request_id) fast; (school_id, state, ...) replaces (school_id, state).
    """
    CREATE TABLE sip_versions (
        school_id TEXT NOT NULL, version INTEGER NOT NULL, priorities TEXT NOT NULL,
        updated_at TEXT NOT NULL, event_source TEXT NOT NULL, event_id TEXT NOT NULL,
        actor TEXT NOT NULL, PRIMARY KEY (school_id, version)
    ) WITHOUT ROWID;
    DROP INDEX requests_by_school_state;
    CREATE INDEX requests_by_school_state ON requests (school_id, state, created_at, request_id);
    CREATE INDEX requests_by_school ON requests (school_id, created_at, request_id);
    CREATE INDEX requests_by_state ON requests (state, created_at, request_id);
    CREATE INDEX requests_by_staff ON requests (staff_id, created_at, request_id);
    CREATE INDEX requests_by_created ON requests (created_at, request_id);
    """,
    # 15: obligations: statutory training, agreed CPD, sessions (its own module, for length).
    OBLIGATIONS,
]


def migrate_connection(db: sqlite3.Connection) -> int:
    """The same, on a plain sqlite3 connection: for command-line tools (`cpd keys`)."""
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        db.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    return len(MIGRATIONS)


async def migrate(db: aiosqlite.Connection) -> int:
    """Bring the schema up to date; each step commits with its version number."""
    async with db.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    current = int(row[0]) if row else 0
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        await db.executescript(
            f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;"
        )
    return len(MIGRATIONS)
