-- A hidden post (by flags, a moderator, or waiting for approval) counts for nobody's
-- participation until it is shown again: its ledger entries are withheld, not forgotten.
ALTER TABLE activity ADD COLUMN withheld BIGINT NOT NULL DEFAULT 0;
UPDATE activity SET withheld = 1
 WHERE source IN (SELECT 'thread:' || CAST(id AS TEXT) FROM threads WHERE hidden_at IS NOT NULL)
    OR source IN (SELECT 'reply:' || CAST(id AS TEXT) FROM replies WHERE hidden_at IS NOT NULL);
