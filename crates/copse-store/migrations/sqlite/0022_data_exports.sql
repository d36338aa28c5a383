-- Personal data exports too large to answer at once: asked for (body empty), prepared by the
-- worker, downloaded by their owner until they expire, then removed. AUTOINCREMENT: an id is
-- never used again (the job that prepares an export is keyed by it).
CREATE TABLE data_exports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    requested_at INTEGER NOT NULL,
    ready_at INTEGER,
    expires_at INTEGER,
    size_bytes INTEGER,
    body TEXT
);
CREATE INDEX data_exports_account ON data_exports (account_id, requested_at);
