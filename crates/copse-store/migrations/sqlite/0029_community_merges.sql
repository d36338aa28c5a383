-- A community merged into another leaves its address behind: `old_slug` leads (308) to the
-- community that took its content in. Its newsletter issues were renumbered after the other's,
-- by `newsletter_offset`, so an old issue's address still finds its issue. Its domain history and
-- stage log live on in the other's, each entry marked with the name it came from.
CREATE TABLE community_redirects (
    old_slug TEXT PRIMARY KEY,
    community_id INTEGER NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    newsletter_offset INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX community_redirects_community ON community_redirects (community_id);
ALTER TABLE domain_revisions ADD COLUMN merged_from TEXT;
ALTER TABLE stage_changes ADD COLUMN merged_from TEXT;
