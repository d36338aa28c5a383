-- Private life: circles inside a community, direct conversations, blocks, connection requests
-- with proposed meeting times.

CREATE TABLE circles (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    -- 1: name and purpose listed to the community's members; 0: hidden, known to its members only.
    listed INTEGER NOT NULL,
    ends_at INTEGER,
    created_by INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX circles_community ON circles (community_id, id);

CREATE TABLE circle_members (
    circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    -- 'host' or 'member'
    role TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (circle_id, account_id)
);
CREATE INDEX circle_members_account ON circle_members (account_id);

-- Asking to join a listed circle, and hosts' invitations: pending until answered.
CREATE TABLE circle_requests (
    circle_id INTEGER NOT NULL REFERENCES circles(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- 'request' (the person asked) or 'invitation' (a host asked them)
    kind TEXT NOT NULL,
    message TEXT,
    created_by INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (circle_id, account_id)
);

ALTER TABLE threads ADD COLUMN circle_id INTEGER REFERENCES circles(id) ON DELETE CASCADE;
ALTER TABLE events ADD COLUMN circle_id INTEGER REFERENCES circles(id) ON DELETE CASCADE;

CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    -- The community the people share, where the conversation started.
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    last_message_at INTEGER NOT NULL
);

CREATE TABLE conversation_members (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    joined_at INTEGER NOT NULL,
    -- The newest message this person has read (0: none).
    last_read_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, account_id)
);
CREATE INDEX conversation_members_account ON conversation_members (account_id);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);
CREATE INDEX messages_author ON messages (author_id, created_at);

ALTER TABLE events ADD COLUMN conversation_id INTEGER REFERENCES conversations(id) ON DELETE CASCADE;

CREATE TABLE blocks (
    blocker_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);

CREATE TABLE connections (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    from_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    message TEXT NOT NULL,
    -- 'pending', 'accepted', 'declined', 'withdrawn'
    status TEXT NOT NULL,
    conversation_id INTEGER REFERENCES conversations(id) ON DELETE SET NULL,
    event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);
CREATE INDEX connections_to ON connections (to_id, status, id);
CREATE INDEX connections_from ON connections (from_id, created_at);

-- Meeting times proposed for an accepted connection; one may be picked.
CREATE TABLE meeting_proposals (
    id INTEGER PRIMARY KEY,
    connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE CASCADE,
    proposed_by INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    time_zone TEXT NOT NULL,
    start_local TEXT NOT NULL,
    end_local TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
