-- Moderation: how a community moderates, the thread tools (pin, lock, hide), flags on posts,
-- silences, and the log of every moderation deed.
ALTER TABLE communities ADD COLUMN leaders_moderate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE communities ADD COLUMN flags_to_hide INTEGER NOT NULL DEFAULT 3;
-- A new member's first posts (this many) wait for a moderator's approval; 0: none do.
ALTER TABLE communities ADD COLUMN approve_first_posts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE threads ADD COLUMN pinned_at INTEGER;
ALTER TABLE threads ADD COLUMN locked_at INTEGER;
-- A question closed by a moderator: no new answers, and out of the unanswered lists.
ALTER TABLE threads ADD COLUMN closed_at INTEGER;
-- A duplicate merged into another thread: its old address leads there.
ALTER TABLE threads ADD COLUMN merged_into INTEGER;
ALTER TABLE threads ADD COLUMN hidden_at INTEGER;
ALTER TABLE threads ADD COLUMN hidden_reason TEXT;
ALTER TABLE replies ADD COLUMN hidden_at INTEGER;
ALTER TABLE replies ADD COLUMN hidden_reason TEXT;

-- A member's flag on a post; one per person and post. Open until a moderator resolves it.
CREATE TABLE flags (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES accounts(id),
    flagger_id INTEGER NOT NULL REFERENCES accounts(id),
    -- The flagger was an established member when they flagged: only these flags hide a post.
    established INTEGER NOT NULL,
    reason TEXT NOT NULL,
    note TEXT,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    UNIQUE (target_kind, target_id, flagger_id)
);
CREATE INDEX flags_open ON flags (community_id, resolved_at, target_kind, target_id);
CREATE INDEX flags_flagger ON flags (flagger_id);

-- Someone who may read but not post in a community until a time.
CREATE TABLE silences (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    until_at INTEGER NOT NULL,
    reason TEXT,
    moderator_id INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (community_id, account_id)
);

CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    moderator_id INTEGER REFERENCES accounts(id),
    action TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    subject_id INTEGER REFERENCES accounts(id),
    summary TEXT NOT NULL,
    reason TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX moderation_log_community ON moderation_log (community_id, id);
CREATE INDEX moderation_log_subject ON moderation_log (community_id, subject_id);

-- A moderator's message to a member, which they must acknowledge before they post here again.
CREATE TABLE warnings (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    moderator_id INTEGER REFERENCES accounts(id),
    message TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    acknowledged_at INTEGER
);
CREATE INDEX warnings_open ON warnings (account_id, acknowledged_at);
