-- Leaving for good. A deleted account keeps its row, scrubbed — no address, no password, no
-- profile, handle "former-member-<id>" (which no sign-up can take: handles have no hyphen) and
-- name "a former member" — so that what it wrote in public can stay, under that name.
ALTER TABLE accounts ADD COLUMN deleted_at BIGINT;
