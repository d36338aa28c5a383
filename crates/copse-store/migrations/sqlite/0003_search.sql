-- Full-text search: FTS5 indexes over threads and replies, kept in step by triggers, so that
-- edited text is found as it is now and deleted text (emptied by soft deletion) is not found.

CREATE VIRTUAL TABLE threads_fts USING fts5(title, body, content='threads', content_rowid='id', tokenize='porter unicode61');
CREATE VIRTUAL TABLE replies_fts USING fts5(body, content='replies', content_rowid='id', tokenize='porter unicode61');

CREATE TRIGGER threads_fts_insert AFTER INSERT ON threads BEGIN
    INSERT INTO threads_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER threads_fts_delete AFTER DELETE ON threads BEGIN
    INSERT INTO threads_fts(threads_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER threads_fts_update AFTER UPDATE OF title, body ON threads BEGIN
    INSERT INTO threads_fts(threads_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO threads_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE TRIGGER replies_fts_insert AFTER INSERT ON replies BEGIN
    INSERT INTO replies_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER replies_fts_delete AFTER DELETE ON replies BEGIN
    INSERT INTO replies_fts(replies_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER replies_fts_update AFTER UPDATE OF body ON replies BEGIN
    INSERT INTO replies_fts(replies_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO replies_fts(rowid, body) VALUES (new.id, new.body);
END;

INSERT INTO threads_fts(threads_fts) VALUES ('rebuild');
INSERT INTO replies_fts(replies_fts) VALUES ('rebuild');
