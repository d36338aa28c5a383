-- Events: one-off or recurring (a series with an RRULE), in a space of a community, with hosts.

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    space TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    start_local TEXT NOT NULL,
    end_local TEXT NOT NULL,
    first_start INTEGER NOT NULL,
    rule TEXT,
    online_url TEXT,
    place TEXT,
    capacity INTEGER,
    created_by INTEGER NOT NULL REFERENCES accounts(id),
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX events_community ON events (community_id, first_start, id);

CREATE TABLE event_hosts (
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, account_id)
);
