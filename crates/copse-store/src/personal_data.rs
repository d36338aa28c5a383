//! Everything the site keeps that a person gave it, read for their data export: what they wrote,
//! where they belong, what they answered and chose. An export answered at once is of a person
//! with few things (counted first); a larger one is read by the worker, in full.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::AccountId;

use crate::Store;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedThread {
    pub id: i64,
    pub community: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: Millis,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedReply {
    pub id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub body: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedStory {
    pub id: i64,
    pub community: String,
    pub happened: String,
    pub took: String,
    pub did: String,
    pub difference: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedComment {
    pub story_id: i64,
    pub body: String,
    pub created_at: Millis,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedRsvp {
    pub event_id: i64,
    pub event_title: String,
    pub occurrence_start: Millis,
    pub status: String,
    pub updated_at: Millis,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedMessage {
    pub conversation_id: i64,
    pub subject: String,
    pub body: String,
    pub created_at: Millis,
}

/// A person's own writing and answers, each list newest first.
#[derive(Debug, Clone, Default)]
pub struct PersonalData {
    pub threads: Vec<ExportedThread>,
    pub replies: Vec<ExportedReply>,
    pub stories: Vec<ExportedStory>,
    pub story_comments: Vec<ExportedComment>,
    pub rsvps: Vec<ExportedRsvp>,
    pub messages_sent: Vec<ExportedMessage>,
    /// (digest cadence, notification modes as stored), if they chose any.
    pub email_choices: Option<(String, String)>,
    pub reminder_minutes: Vec<i64>,
}

impl Store {
    /// How many things `personal_data` would read for the account (stopping once past
    /// `enough`).
    pub async fn personal_data_size(&self, id: AccountId, enough: i64) -> Result<i64> {
        let mut total = 0;
        for sql in [THREADS, REPLIES, STORIES, COMMENTS, RSVPS, MESSAGES] {
            // Made of this file's constant queries alone.
            let count = format!("SELECT COUNT(*) FROM ({sql}) AS rows_of_kind");
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count))
                .bind(id)
                .bind(enough + 1)
                .fetch_one(&self.pool)
                .await
                .or_internal()?;
            total += n;
            if total > enough {
                break;
            }
        }
        Ok(total)
    }

    pub async fn personal_data(&self, id: AccountId) -> Result<PersonalData> {
        Ok(PersonalData {
            threads: self.rows(THREADS, id).await?,
            replies: self.rows(REPLIES, id).await?,
            stories: self.rows(STORIES, id).await?,
            story_comments: self.rows(COMMENTS, id).await?,
            rsvps: self.rows(RSVPS, id).await?,
            messages_sent: self.rows(MESSAGES, id).await?,
            email_choices: sqlx::query_as(
                "SELECT digest, kinds FROM email_settings WHERE account_id = $1",
            )
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?,
            reminder_minutes: self.reminder_minutes(id).await?,
        })
    }

    async fn rows<T>(&self, sql: &'static str, id: AccountId) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        sqlx::query_as(sql)
            .bind(id)
            .bind(i64::MAX)
            .fetch_all(&self.pool)
            .await
            .or_internal()
    }
}

const THREADS: &str = "SELECT t.id, c.slug AS community, t.kind, t.title, t.body, t.link, \
    t.created_at FROM threads t JOIN communities c ON c.id = t.community_id \
    WHERE t.author_id = $1 AND t.deleted_at IS NULL ORDER BY t.created_at DESC LIMIT $2";
const REPLIES: &str = "SELECT r.id, r.thread_id, t.title AS thread_title, r.body, r.created_at \
    FROM replies r JOIN threads t ON t.id = r.thread_id \
    WHERE r.author_id = $1 AND r.deleted_at IS NULL ORDER BY r.created_at DESC LIMIT $2";
const STORIES: &str = "SELECT s.id, c.slug AS community, s.happened, s.took, s.did, \
    s.difference, s.created_at FROM value_stories s JOIN communities c ON c.id = s.community_id \
    WHERE s.author_id = $1 ORDER BY s.created_at DESC LIMIT $2";
const COMMENTS: &str = "SELECT story_id, body, created_at FROM story_comments \
    WHERE author_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT $2";
const RSVPS: &str = "SELECT r.event_id, e.title AS event_title, r.occurrence_start, r.status, \
    r.updated_at FROM rsvps r JOIN events e ON e.id = r.event_id \
    WHERE r.account_id = $1 ORDER BY r.occurrence_start DESC LIMIT $2";
// A conversation's subject only while the person is still in it (someone else may have set it).
const MESSAGES: &str = "SELECT m.conversation_id, CASE WHEN EXISTS (SELECT 1 FROM \
    conversation_members cm WHERE cm.conversation_id = c.id AND cm.account_id = $1) \
    THEN c.subject ELSE '' END AS subject, m.body, m.created_at \
    FROM messages m JOIN conversations c ON c.id = m.conversation_id \
    WHERE m.author_id = $1 ORDER BY m.created_at DESC LIMIT $2";
