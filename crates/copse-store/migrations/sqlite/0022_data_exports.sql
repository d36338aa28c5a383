-- Personal data exports too large to answer at once: asked for (body empty), prepared by the
-- worker, downloaded by their owner until they expire, then removed.
CREATE TABLE data_exports (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    requested_at INTEGER NOT NULL,
    ready_at INTEGER,
    expires_at INTEGER,
    size_bytes INTEGER,
    body TEXT
);
CREATE INDEX data_exports_account ON data_exports (account_id, requested_at);
