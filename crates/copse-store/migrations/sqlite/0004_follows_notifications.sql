-- Topics that people follow, old topic addresses that redirect after a rename or merge, and
-- in-app notifications (read by the e-mail digest later).

CREATE TABLE topic_follows (
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (topic_id, account_id)
);
CREATE INDEX topic_follows_account ON topic_follows (account_id);

CREATE TABLE topic_redirects (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    old_slug TEXT NOT NULL,
    topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (community_id, old_slug)
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    reply_id INTEGER REFERENCES replies(id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_account ON notifications (account_id, id);
