-- Flags on more than threads and replies: value stories, comments on stories, conversation
-- messages and profiles. `thread_id` is kept for thread and reply flags only; `community_id`
-- is the community whose moderators review the flag — NULL for a profile, which is the site's
-- (its admins review it, and their deeds go into the site-wide log).
ALTER TABLE flags ALTER COLUMN thread_id DROP NOT NULL;
ALTER TABLE flags ALTER COLUMN community_id DROP NOT NULL;
ALTER TABLE moderation_log ALTER COLUMN community_id DROP NOT NULL;

ALTER TABLE value_stories ADD COLUMN hidden_at BIGINT;
ALTER TABLE value_stories ADD COLUMN hidden_reason TEXT;
ALTER TABLE story_comments ADD COLUMN hidden_at BIGINT;
ALTER TABLE story_comments ADD COLUMN hidden_reason TEXT;
ALTER TABLE messages ADD COLUMN hidden_at BIGINT;
ALTER TABLE messages ADD COLUMN hidden_reason TEXT;
-- A flagged profile's own words (about, organisation, department) are hidden from others.
ALTER TABLE accounts ADD COLUMN profile_hidden_at BIGINT;
ALTER TABLE accounts ADD COLUMN profile_hidden_reason TEXT;
