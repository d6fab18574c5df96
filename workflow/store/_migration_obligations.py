"""Migration 12: obligations. Statutory training held (`qualifications`: recorded, from a
completed request or from a session; a session's corrected attendance withdraws one), CPD
agreed in appraisal and what provided it, and in-house sessions with their attendance. A
follow-up may now be about a qualification instead of a request (renewal_due, in its own
schedule): `follow_ups` is rebuilt with `request_id` optional, as SQLite cannot drop a NOT
NULL. `renewals_planned_at` NULL marks a person's kind whose renewal reminders the scheduler
has still to plan (scheduler/renewals.py).
"""

OBLIGATIONS = """
    CREATE TABLE qualifications (
        qualification_id    TEXT PRIMARY KEY,
        staff_id            TEXT NOT NULL,
        kind                TEXT NOT NULL,
        achieved_on         TEXT NOT NULL,
        valid_until         TEXT NOT NULL,
        awarding_body       TEXT,
        certificate         TEXT,
        source              TEXT NOT NULL CHECK (source IN ('recorded', 'request', 'session')),
        source_id           TEXT NOT NULL,
        recorded_at         TEXT NOT NULL,
        recorded_by         TEXT NOT NULL,
        withdrawn_at        TEXT,
        renewals_planned_at TEXT
    ) WITHOUT ROWID;
    CREATE INDEX qualifications_by_person ON qualifications (staff_id, kind, valid_until);
    CREATE INDEX qualifications_to_plan ON qualifications (staff_id, kind)
        WHERE renewals_planned_at IS NULL;
    CREATE TABLE agreed_cpd (
        agreed_item_id  TEXT PRIMARY KEY,
        staff_id        TEXT NOT NULL,
        appraisal_cycle TEXT NOT NULL,
        description     TEXT NOT NULL,
        agreed_on       TEXT NOT NULL,
        agreed_by       TEXT NOT NULL,
        recorded_at     TEXT NOT NULL,
        event_source    TEXT NOT NULL,
        event_id        TEXT NOT NULL,
        actor           TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX agreed_cpd_by_person ON agreed_cpd (staff_id, appraisal_cycle);
    CREATE TABLE agreed_cpd_provided (
        agreed_item_id TEXT NOT NULL,
        provided_by    TEXT NOT NULL CHECK (provided_by IN ('request', 'session')),
        source_id      TEXT NOT NULL,
        provided_on    TEXT NOT NULL,
        PRIMARY KEY (agreed_item_id, provided_by, source_id)
    ) WITHOUT ROWID;
    CREATE TABLE sessions (
        session_id      TEXT PRIMARY KEY,
        school_id       TEXT NOT NULL,
        title           TEXT NOT NULL,
        date            TEXT NOT NULL,
        hours           TEXT NOT NULL,
        kind            TEXT NOT NULL,
        statutory_kind  TEXT,
        valid_until     TEXT,
        led_by          TEXT NOT NULL,
        agreed_item_ids TEXT NOT NULL,
        version         INTEGER NOT NULL,
        recorded_at     TEXT NOT NULL,
        recorded_by     TEXT NOT NULL,
        corrections     TEXT NOT NULL,
        event_source    TEXT NOT NULL,
        event_id        TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_school ON sessions (school_id, date);
    CREATE INDEX staff_versions_by_school ON staff_versions (school_id);
    CREATE TABLE session_attendance (
        session_id TEXT NOT NULL REFERENCES sessions (session_id),
        staff_id   TEXT NOT NULL,
        PRIMARY KEY (session_id, staff_id)
    ) WITHOUT ROWID;
    CREATE INDEX session_attendance_by_person ON session_attendance (staff_id);
    CREATE TABLE follow_ups_rebuilt (
        id                 TEXT PRIMARY KEY,
        request_id         TEXT REFERENCES requests (request_id),
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
        cancel_reason      TEXT,
        recipients         TEXT,
        qualification_id   TEXT REFERENCES qualifications (qualification_id),
        CHECK ((request_id IS NULL) != (qualification_id IS NULL))
    ) WITHOUT ROWID;
    INSERT INTO follow_ups_rebuilt (id, request_id, school_id, kind, recipient_role,
        recipient_staff_id, attempt, due_at, status, created_at, fired_at, late_by_seconds,
        cancelled_at, cancel_reason, recipients)
        SELECT id, request_id, school_id, kind, recipient_role, recipient_staff_id, attempt,
        due_at, status, created_at, fired_at, late_by_seconds, cancelled_at, cancel_reason,
        recipients FROM follow_ups;
    DROP TABLE follow_ups;
    ALTER TABLE follow_ups_rebuilt RENAME TO follow_ups;
    CREATE INDEX follow_ups_due ON follow_ups (due_at) WHERE status = 'pending';
    CREATE INDEX follow_ups_by_request ON follow_ups (request_id, created_at);
    CREATE INDEX follow_ups_by_qualification ON follow_ups (qualification_id)
        WHERE qualification_id IS NOT NULL;
"""
