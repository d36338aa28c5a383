-- The community newsletter: each community's cadence, its issues (drafted by copse, edited and
-- sent by a coordinator) and who opted out of which community's newsletter. Deliveries go
-- through email_deliveries, keyed 'newsletter:<issue>:<account>'.

CREATE TABLE newsletter_settings (
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    -- 'weekly', 'monthly' or 'quarterly'
    cadence TEXT NOT NULL,
    -- When the next issue is drafted; NULL when copse drafts none (coordinators may still).
    next_at INTEGER,
    updated_at INTEGER NOT NULL
);

CREATE TABLE newsletters (
    id INTEGER PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    -- 1, 2, 3 … per community: the archive's /c/{slug}/newsletter/{number}
    number INTEGER NOT NULL,
    subject TEXT NOT NULL,
    -- Markdown with reference lines ([[thread:42]]) expanded per reader when sent or shown
    body TEXT NOT NULL,
    period_since INTEGER NOT NULL,
    period_until INTEGER NOT NULL,
    -- 'draft', 'scheduled', 'sending' or 'sent'
    status TEXT NOT NULL,
    send_at INTEGER,
    sent_at INTEGER,
    edited_by INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (community_id, number)
);
-- One issue being prepared per community at a time: drafting races (the worker on two nodes,
-- a coordinator's "draft now") end in one draft.
CREATE UNIQUE INDEX newsletters_one_open ON newsletters (community_id) WHERE status IN ('draft', 'scheduled');
CREATE INDEX newsletters_due ON newsletters (status, send_at);

CREATE TABLE newsletter_optouts (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, community_id)
);
