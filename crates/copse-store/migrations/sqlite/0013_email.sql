-- E-mail: each person's digest cadence and how each kind of notification reaches them, and one row per message that must go out once (a
-- member's digest of a period): written before the message is sent, so a crashed or repeated
-- run skips what was delivered.

CREATE TABLE email_settings (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    -- 'daily', 'weekly' or 'off'
    digest TEXT NOT NULL,
    -- How each kind of notification is e-mailed, where not the default: 'mention=immediate,reply=off'
    kinds TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);

CREATE TABLE email_deliveries (
    id INTEGER PRIMARY KEY,
    -- 'digest:weekly-2026-11-23:42': one per message, whatever runs it.
    key TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- 'digest'
    kind TEXT NOT NULL,
    -- 'sending' (claimed), 'sent' or 'failed'
    status TEXT NOT NULL,
    error TEXT,
    -- how many items it carried
    items INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX email_deliveries_kind ON email_deliveries (kind, created_at);

-- How far the worker has looked through notifications for those to e-mail at once.
CREATE TABLE email_cursors (
    name TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL
);
