"""Migrations 12 to 14: money and priorities (repayment claims, budgets and their
ledger, a school's SIP and the indexes of the queues).
Appended to MIGRATIONS in workflow/store/_migrations.py, in order; a released script
never changes (a new one follows it)."""

from __future__ import annotations

MONEY: list[str] = [
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
]
