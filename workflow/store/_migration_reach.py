"""Migrations 9 to 11: reaching people (form links used up, API keys and the client in
history, the mail queue).
Appended to MIGRATIONS in workflow/store/_migrations.py, in order; a released script
never changes (a new one follows it)."""

from __future__ import annotations

REACHING_PEOPLE: list[str] = [
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
]
