-- Flags on more than threads and replies: value stories, comments on stories, conversation
-- messages and profiles. `thread_id` is kept for thread and reply flags only; `community_id`
-- is the community whose moderators review the flag — NULL for a profile, which is the site's
-- (its admins review it, and their deeds go into the site-wide log).
CREATE TABLE flags_everywhere (
    id INTEGER PRIMARY KEY,
    community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    thread_id INTEGER REFERENCES threads(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES accounts(id),
    flagger_id INTEGER NOT NULL REFERENCES accounts(id),
    established INTEGER NOT NULL,
    reason TEXT NOT NULL,
    note TEXT,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    UNIQUE (target_kind, target_id, flagger_id)
);
INSERT INTO flags_everywhere SELECT id, community_id, target_kind, target_id, thread_id, author_id,
    flagger_id, established, reason, note, created_at, resolved_at FROM flags;
DROP TABLE flags;
ALTER TABLE flags_everywhere RENAME TO flags;
CREATE INDEX flags_open ON flags (community_id, resolved_at, target_kind, target_id);
CREATE INDEX flags_flagger ON flags (flagger_id);

CREATE TABLE moderation_log_everywhere (
    id INTEGER PRIMARY KEY,
    community_id INTEGER REFERENCES communities(id) ON DELETE CASCADE,
    moderator_id INTEGER REFERENCES accounts(id),
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    subject_id INTEGER REFERENCES accounts(id),
    summary TEXT NOT NULL,
    reason TEXT,
    created_at INTEGER NOT NULL
);
INSERT INTO moderation_log_everywhere SELECT id, community_id, moderator_id, action, target_kind,
    target_id, subject_id, summary, reason, created_at FROM moderation_log;
DROP TABLE moderation_log;
ALTER TABLE moderation_log_everywhere RENAME TO moderation_log;
CREATE INDEX moderation_log_community ON moderation_log (community_id, id);
CREATE INDEX moderation_log_subject ON moderation_log (community_id, subject_id);

ALTER TABLE value_stories ADD COLUMN hidden_at INTEGER;
ALTER TABLE value_stories ADD COLUMN hidden_reason TEXT;
ALTER TABLE story_comments ADD COLUMN hidden_at INTEGER;
ALTER TABLE story_comments ADD COLUMN hidden_reason TEXT;
ALTER TABLE messages ADD COLUMN hidden_at INTEGER;
ALTER TABLE messages ADD COLUMN hidden_reason TEXT;
-- A flagged profile's own words (about, organisation, department) are hidden from others.
ALTER TABLE accounts ADD COLUMN profile_hidden_at INTEGER;
ALTER TABLE accounts ADD COLUMN profile_hidden_reason TEXT;
