-- API tokens get scopes (read, write, admin; words separated by spaces) and an optional expiry.
-- Tokens made before keep every scope, admin included: only site admins' tokens ever reach the
-- admin API, so nothing widens.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read write admin';
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
