"""Migration 16: what the service's own health and metrics read (handlers/readiness.py,
handlers/metrics.py), kept cheap for probes every few seconds over years of rows."""

from __future__ import annotations

OBSERVABILITY = """
    -- Events accepted over HTTP and not yet processed: a handful, however long the inbox.
    CREATE INDEX inbox_queued ON inbox (received_at) WHERE status = 'queued';
    -- One row the readiness probe rewrites: the database takes a write.
    CREATE TABLE heartbeat (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        at TEXT NOT NULL
    );
    INSERT INTO heartbeat (id, at) VALUES (1, '');
"""
