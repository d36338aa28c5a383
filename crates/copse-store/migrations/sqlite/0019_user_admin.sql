-- User administration. A suspension keeps its reason and an optional end; what site admins do
-- to accounts is kept in an audit log (handles copied in, so an entry outlives the accounts it
-- names); a new site's operator creates its first admin with a one-time setup code printed by
-- the server (only its hash is kept).
ALTER TABLE accounts ADD COLUMN suspended_reason TEXT;
ALTER TABLE accounts ADD COLUMN suspended_until INTEGER;

CREATE TABLE admin_audit (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    target_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    target_label TEXT NOT NULL,
    detail TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX admin_audit_created ON admin_audit (created_at);
CREATE INDEX admin_audit_target ON admin_audit (target_id, created_at);

CREATE TABLE setup_codes (
    code_hash TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
);
