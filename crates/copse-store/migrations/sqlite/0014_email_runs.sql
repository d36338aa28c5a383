-- Which run a delivery belongs to — a digest period (`weekly-2026-11-23`) or `notifications` —
-- so that admins see what was sent, to how many, and what failed, run by run.
ALTER TABLE email_deliveries ADD COLUMN run TEXT NOT NULL DEFAULT '';
CREATE INDEX email_deliveries_run ON email_deliveries (run, status);
