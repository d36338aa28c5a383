-- Value, continued: stories' topics, comments and edits; check-ins (a recurring prompt per
-- community, its rounds and members' answers); notifications about stories and check-ins.

ALTER TABLE value_stories ADD COLUMN updated_at INTEGER;

CREATE TABLE story_topics (
    story_id INTEGER NOT NULL REFERENCES value_stories(id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, topic_id)
);
CREATE INDEX story_topics_topic ON story_topics (topic_id);

CREATE TABLE story_comments (
    id INTEGER PRIMARY KEY,
    story_id INTEGER NOT NULL REFERENCES value_stories(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX story_comments_story ON story_comments (story_id, id);

-- One check-in schedule per community. `next_at` is when the next round opens (NULL: off).
CREATE TABLE checkin_settings (
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    prompt TEXT NOT NULL,
    -- 'weekly', 'monthly' or 'quarterly'
    cadence TEXT NOT NULL,
    next_at INTEGER,
    updated_by INTEGER NOT NULL REFERENCES accounts(id),
    updated_at INTEGER NOT NULL
);

-- A round of a check-in: open for answers from `opened_at` until `closes_at`.
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    prompt TEXT NOT NULL,
    opened_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    opened_by INTEGER NOT NULL REFERENCES accounts(id),
    UNIQUE (community_id, opened_at)
);

-- A member's answer: read by the member and the coordinators only, until it becomes a story.
CREATE TABLE checkin_answers (
    checkin_id INTEGER NOT NULL REFERENCES checkins(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    learned TEXT NOT NULL,
    applied TEXT NOT NULL,
    story_id INTEGER REFERENCES value_stories(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (checkin_id, account_id)
);

-- Notifications may now be about a thread, a story or a check-in round.
CREATE TABLE notifications_next (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    thread_id INTEGER REFERENCES threads(id) ON DELETE CASCADE,
    reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,
    story_id INTEGER REFERENCES value_stories(id) ON DELETE CASCADE,
    checkin_id INTEGER REFERENCES checkins(id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
INSERT INTO notifications_next (id, account_id, community_id, kind, thread_id, reply_id, actor_id, created_at, read_at)
    SELECT id, account_id, community_id, kind, thread_id, reply_id, actor_id, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_next RENAME TO notifications;
CREATE INDEX notifications_account ON notifications (account_id, id);
