-- Practice: topics, threads, replies, their edit history, helpful marks.
-- Every table carries community_id, the natural key to distribute on.

CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (community_id, slug)
);

CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    space TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    link TEXT,
    author_id INTEGER NOT NULL REFERENCES accounts(id),
    accepted_reply_id INTEGER,
    canonical INTEGER NOT NULL DEFAULT 0,
    reply_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    last_activity_at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX threads_activity ON threads (community_id, last_activity_at, id);
CREATE INDEX threads_author ON threads (author_id);

CREATE TABLE thread_topics (
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    PRIMARY KEY (thread_id, topic_id)
);
CREATE INDEX thread_topics_topic ON thread_topics (topic_id);

CREATE TABLE replies (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES accounts(id),
    body TEXT NOT NULL,
    quoted_reply_id INTEGER,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    deleted_at INTEGER
);
CREATE INDEX replies_thread ON replies (thread_id, id);
CREATE INDEX replies_author ON replies (author_id);

-- Earlier versions of threads and replies, kept when they are edited.
CREATE TABLE edits (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,
    title TEXT,
    body TEXT NOT NULL,
    editor_id INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX edits_thread ON edits (thread_id, reply_id, id);

CREATE TABLE helpful_marks (
    reply_id INTEGER NOT NULL REFERENCES replies(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (reply_id, account_id)
);
