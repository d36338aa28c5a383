-- Verified e-mail. An address counts once its owner has followed a link sent to it; until then
-- nothing addressed to it is delivered and an invitation to it cannot be taken.
-- Accounts made before verification existed keep working: their addresses count as verified.
ALTER TABLE accounts ADD COLUMN email_verified_at INTEGER;
UPDATE accounts SET email_verified_at = created_at;

-- Single-use secrets sent by e-mail (verifying an address, later resetting a password). Only
-- the SHA-256 hash is kept; `email` is the address the secret was sent to, which is the address
-- a verification makes count.
CREATE TABLE email_tokens (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX email_tokens_account ON email_tokens (account_id, purpose);
