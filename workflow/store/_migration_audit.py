"""Migration 16: the tamper-evident audit chain.

One append-only table, `audit`, with a global `seq`, each entry linked to the one before
by `prev_hash` and sealed by `hash` (workflow/audit/chain.py). A request's history is
no longer a table of its own but the view `history` over the chain's entries that belong
to a request's history (`request_seq`: its number there), with the same columns, so what
`GET /requests/{id}/history` shows is exactly what the chain holds. Rows written before
are chained here, oldest first (by `at`, request, seq): a Python step, as the hashes are
the chain's rule, not SQL's.
"""

from __future__ import annotations

import sqlite3

from workflow.store import audit

_SCHEMA = """
    CREATE TABLE audit (
        seq          INTEGER PRIMARY KEY,
        at           TEXT NOT NULL,
        kind         TEXT NOT NULL,
        event_type   TEXT NOT NULL,
        event_id     TEXT NOT NULL,
        event_source TEXT NOT NULL,
        actor        TEXT NOT NULL,
        on_behalf_of TEXT,
        client       TEXT,
        request_id   TEXT,
        request_seq  INTEGER,
        staff_id     TEXT,
        school_id    TEXT,
        from_state   TEXT,
        to_state     TEXT,
        outcome      TEXT NOT NULL,
        reason       TEXT,
        data         TEXT NOT NULL,
        prev_hash    TEXT NOT NULL,
        hash         TEXT NOT NULL
    );
    CREATE UNIQUE INDEX audit_by_request ON audit (request_id, request_seq);
    CREATE INDEX audit_by_school ON audit (school_id, seq);
    CREATE INDEX audit_by_type ON audit (event_type, seq);
    CREATE INDEX audit_by_actor ON audit (actor, seq);
    CREATE INDEX audit_by_time ON audit (at);
    CREATE INDEX audit_not_applied ON audit (outcome, seq) WHERE outcome != 'applied';
    CREATE TABLE audit_people (
        staff_id TEXT NOT NULL,
        seq      INTEGER NOT NULL,
        PRIMARY KEY (staff_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE audit_time_steps (seq INTEGER PRIMARY KEY);
"""

_SEALED = """
    DROP TABLE history;
    CREATE VIEW history AS
        SELECT request_id, request_seq AS seq, at, event_id, event_source, event_type, actor,
               from_state, to_state, data, outcome, reason, on_behalf_of, client
        FROM audit WHERE request_seq IS NOT NULL;
""" + "".join(
    f"""
    CREATE TRIGGER {prefix}_{action} BEFORE {action.upper()} ON {table}
        BEGIN SELECT RAISE(ABORT, 'the audit chain is append-only: entries are never {verb}');
        END;"""
    # The chain and the two tables derived with it (the trigger names are the tests' too).
    for table, prefix in (
        ("audit", "audit_is_append_only"),
        ("audit_people", "audit_people"),
        ("audit_time_steps", "audit_time_steps"),
    )
    for action, verb in (("update", "changed"), ("delete", "removed"))
)


def chain_history(db: sqlite3.Connection) -> None:
    """Runs inside the migration's transaction."""
    for statement in _statements(_SCHEMA):
        db.execute(statement)
    rows = db.execute(  # read as the chain is appended: memory stays flat
        "SELECT h.request_id, h.seq, h.at, h.event_id, h.event_source, h.event_type, h.actor,"
        " h.from_state, h.to_state, h.data, h.outcome, h.reason, h.on_behalf_of, h.client,"
        " r.staff_id, r.school_id FROM history h LEFT JOIN requests r USING (request_id)"
        " ORDER BY h.at, h.request_id, h.seq"
    )
    for row in rows:
        audit.append(
            db,
            at=row[2],
            kind="request",
            event_type=row[5],
            event_id=row[3],
            event_source=row[4],
            actor=row[6],
            data=row[9],
            outcome=row[10],
            on_behalf_of=row[12],
            client=row[13],
            request_id=row[0],
            request_seq=row[1],
            staff_id=row[14],
            school_id=row[15],
            from_state=row[7],
            to_state=row[8],
            reason=row[11],
        )
    for statement in _statements(_SEALED):
        db.execute(statement)


def _statements(script: str) -> list[str]:
    """Statements one by one (executescript would commit the migration's transaction);
    a trigger's body keeps its own semicolons."""
    found, pending = [], ""
    for line in script.strip().splitlines():
        pending += line + "\n"
        if sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    return found


AUDIT = chain_history
