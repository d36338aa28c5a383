-- Full-text search: generated tsvector columns with GIN indexes, always in step with the text,
-- so that edited text is found as it is now and deleted text (emptied) is not found.

ALTER TABLE threads ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
) STORED;
CREATE INDEX threads_search ON threads USING GIN (search);

ALTER TABLE replies ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED;
CREATE INDEX replies_search ON replies USING GIN (search);
