-- Messages brought in from a mailing list archive (`copse import mbox`): each Message-ID once per
-- community, with the thread or reply it became, so that importing a longer archive again adds
-- only what is new. `subject` is the thread's subject as the list wrote it, reduced (no "Re:",
-- no "[list]"), for replies whose headers do not say what they answer.
CREATE TABLE imported_messages (
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    message_id TEXT NOT NULL,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    reply_id BIGINT REFERENCES replies(id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (community_id, message_id)
);
CREATE INDEX imported_messages_subject ON imported_messages (community_id, subject);
