-- A community's archive asked for by a coordinator or a site admin: prepared by the worker
-- (its progress counted in rows), kept in the file store under `object_name` until it expires,
-- downloaded by the one who asked alone.
CREATE TABLE community_exports (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    requested_at INTEGER NOT NULL,
    rows_total INTEGER,
    rows_done INTEGER NOT NULL DEFAULT 0,
    ready_at INTEGER,
    expires_at INTEGER,
    size_bytes INTEGER,
    object_name TEXT,
    summary TEXT
);
CREATE INDEX community_exports_asked ON community_exports (community_id, account_id, requested_at);
