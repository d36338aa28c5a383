-- Participation: the activity ledger (every meaningful act, dated and weighted), each member's
-- level per community with its reasons, the history of level changes, per-community thresholds,
-- and daily snapshots that dashboards read instead of the ledger.

CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    weight INTEGER NOT NULL,
    -- 1 when it happened in a circle or a conversation: it counts, but is never named to others.
    private INTEGER NOT NULL DEFAULT 0,
    at INTEGER NOT NULL,
    -- What the entry comes from (`reply:42`); recording the same act twice keeps one entry.
    source TEXT NOT NULL UNIQUE
);
CREATE INDEX activity_community ON activity (community_id, at);
CREATE INDEX activity_member ON activity (account_id, community_id, at);

CREATE TABLE participation_levels (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    points INTEGER NOT NULL,
    -- JSON: counts per kind in the window.
    counts TEXT NOT NULL,
    computed_at INTEGER NOT NULL,
    since INTEGER NOT NULL,
    PRIMARY KEY (community_id, account_id)
);

CREATE TABLE level_changes (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    from_level TEXT,
    to_level TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX level_changes_community ON level_changes (community_id, at);
CREATE INDEX level_changes_member ON level_changes (account_id, community_id, at);

CREATE TABLE participation_settings (
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    window_days INTEGER NOT NULL,
    core_points INTEGER NOT NULL,
    active_points INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE level_snapshots (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    core INTEGER NOT NULL,
    active INTEGER NOT NULL,
    peripheral INTEGER NOT NULL,
    inactive INTEGER NOT NULL,
    PRIMARY KEY (community_id, day)
);

-- Acts per week of the last year, rewritten at each recomputation, for the dashboard.
CREATE TABLE activity_weeks (
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    week_start INTEGER NOT NULL,
    acts INTEGER NOT NULL,
    points INTEGER NOT NULL,
    PRIMARY KEY (community_id, week_start)
);
