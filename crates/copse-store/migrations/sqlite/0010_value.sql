-- Value-creation stories (Wenger, Trayner & de Laat 2011): what happened, what the teller took
-- from it, what they did with it and what difference it made, read across five cycles; the
-- threads, events and circles they credit; endorsements.

CREATE TABLE value_stories (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    -- 1: the community does not see who told it (coordinators do).
    anonymous INTEGER NOT NULL,
    -- 'community', 'circle' or 'coordinators'
    visibility TEXT NOT NULL,
    circle_id INTEGER REFERENCES circles(id) ON DELETE CASCADE,
    happened TEXT NOT NULL,
    took TEXT NOT NULL,
    did TEXT NOT NULL,
    difference TEXT NOT NULL,
    -- Comma-separated: immediate, potential, applied, realized, reframing.
    cycles TEXT NOT NULL,
    effect_value REAL,
    effect_unit TEXT,
    effect_period TEXT,
    pinned INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX value_stories_community ON value_stories (community_id, created_at);

CREATE TABLE story_credits (
    story_id INTEGER NOT NULL REFERENCES value_stories(id) ON DELETE CASCADE,
    -- 'thread', 'event' or 'circle'
    kind TEXT NOT NULL,
    target_id INTEGER NOT NULL,
    PRIMARY KEY (story_id, kind, target_id)
);
CREATE INDEX story_credits_target ON story_credits (kind, target_id);

CREATE TABLE story_endorsements (
    story_id INTEGER NOT NULL REFERENCES value_stories(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (story_id, account_id)
);
