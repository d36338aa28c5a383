-- When a question's answer was accepted: digests tell the people who follow a question (its
-- topics, or they replied) that it was answered in their period.
ALTER TABLE threads ADD COLUMN accepted_at INTEGER;
CREATE INDEX threads_accepted ON threads (accepted_at);
