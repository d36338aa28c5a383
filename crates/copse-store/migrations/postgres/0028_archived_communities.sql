-- An archived community is read-only: when, why and by whom it was archived (all null while it
-- is open). Its stage log records archiving and reopening beside changes of stage: `kind` is
-- 'stage', 'archived' or 'reopened', `note` the reason given.
ALTER TABLE communities ADD COLUMN archived_at BIGINT;
ALTER TABLE communities ADD COLUMN archived_reason TEXT;
ALTER TABLE communities ADD COLUMN archived_by BIGINT REFERENCES accounts(id);
ALTER TABLE stage_changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'stage';
ALTER TABLE stage_changes ADD COLUMN note TEXT;
