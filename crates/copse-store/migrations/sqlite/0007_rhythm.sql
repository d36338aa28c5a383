-- The rhythm: single occurrences changed on their own (moved, cancelled, notes, recap),
-- attendance, the job queue, reminder preferences and personal calendar tokens.

-- Keyed by the occurrence's original start (its RECURRENCE-ID), which never changes.
CREATE TABLE occurrence_overrides (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    occurrence_start INTEGER NOT NULL,
    cancelled INTEGER NOT NULL DEFAULT 0,
    moved_start_local TEXT,
    moved_end_local TEXT,
    notes TEXT,
    recap TEXT,
    recap_thread_id INTEGER REFERENCES threads(id) ON DELETE SET NULL,
    recap_by INTEGER REFERENCES accounts(id),
    sequence INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (event_id, occurrence_start)
);

-- Who was there: members (account_id) and walk-ins (a name only). attendee_key is `a:<id>`
-- or `w:<lower-cased name>`, so nobody is checked in twice.
CREATE TABLE attendance (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    occurrence_start INTEGER NOT NULL,
    attendee_key TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    walk_in_name TEXT,
    checked_in_by INTEGER NOT NULL REFERENCES accounts(id),
    checked_in_at INTEGER NOT NULL,
    UNIQUE (event_id, occurrence_start, attendee_key)
);
CREATE INDEX attendance_account ON attendance (account_id, checked_in_at);
CREATE INDEX attendance_community ON attendance (community_id, checked_in_at);

-- Background work. `key` makes enqueueing idempotent; a claim sets a lease that another node
-- may take over when it runs out.
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    run_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    locked_by TEXT,
    lease_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at, id);

-- Minutes before an occurrence to remind; '' means off. No row means the default (24 h, 1 h).
CREATE TABLE reminder_settings (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    offsets TEXT NOT NULL,
    unsubscribe_token TEXT NOT NULL UNIQUE,
    updated_at INTEGER NOT NULL
);

-- The secret of a member's personal calendar feed, kept as a SHA-256 hash.
CREATE TABLE calendar_tokens (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
