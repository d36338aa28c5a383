-- Uploaded files. The bytes are in the file storage (a folder or a bucket) under the id; a
-- row is what the database knows of them: whose upload, what kind (decided from its bytes),
-- and what it is attached to, which decides who may read it. Unattached rows are uploads
-- whose post was never saved: their owner's alone, removed after a day. A deleted row's
-- bytes are removed by the worker, then the row.
CREATE TABLE files (
    id TEXT PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES accounts(id),
    kind TEXT NOT NULL,
    size BIGINT NOT NULL,
    name TEXT NOT NULL,
    attached_kind TEXT,
    attached_id BIGINT,
    community_id BIGINT REFERENCES communities(id),
    -- A library document's earlier version (no key: versions may be removed in any order).
    supersedes TEXT,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX files_attached ON files (attached_kind, attached_id);
CREATE INDEX files_owner_created ON files (owner_id, created_at);
CREATE INDEX files_community ON files (community_id);
CREATE INDEX files_deleted ON files (deleted_at);
-- A person's picture, in three sizes kept as <id>, <id>.96 and <id>.48.
ALTER TABLE accounts ADD COLUMN avatar_file TEXT;
