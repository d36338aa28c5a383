-- Answers to an occurrence: going, maybe, not going, or waiting for a place.

CREATE TABLE rsvps (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    occurrence_start INTEGER NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (event_id, occurrence_start, account_id)
);
CREATE INDEX rsvps_occurrence ON rsvps (event_id, occurrence_start, status, updated_at, id);
