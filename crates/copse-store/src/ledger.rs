//! The activity ledger: one row per act (a reply, an RSVP, a visit …), recorded by the use case
//! that does it in its own transaction, and filled from existing data once when the ledger is
//! new. What an act weighs and whether it is private are the core's rules
//! (`copse_core::domain::participation::acts`); the backfill's SQL is made from them, so the two
//! cannot say different things.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::participation::{Act, PRIVATE_SPACES};
use copse_core::domain::{AccountId, CommunityId, Space};

use crate::{Store, Write, flag};

/// One act to record.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub community: CommunityId,
    pub account: AccountId,
    pub kind: Act,
    /// Counts toward a level but is never named to others (see `acts::private_in`).
    pub private: bool,
    pub at: Millis,
    /// What it comes from; the same source is recorded once.
    pub source: String,
}

/// The shared spaces as an SQL list, `('public', 'members')`: what happens there may be named
/// (in a newsletter, say) — the complement of `acts::PRIVATE_SPACES`.
pub(crate) fn shared_spaces_sql() -> String {
    let spaces: Vec<String> = Space::ALL
        .iter()
        .filter(|s| !PRIVATE_SPACES.contains(s))
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("({})", spaces.join(", "))
}

/// `1` when the space in `column` is a private one, else `0`.
fn private_sql(column: &str) -> String {
    let spaces: Vec<String> = PRIVATE_SPACES
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!(
        "CASE WHEN {column} IN ({}) THEN 1 ELSE 0 END",
        spaces.join(", ")
    )
}

const INSERT: &str =
    "INSERT INTO activity (community_id, account_id, kind, weight, private, at, source)";

/// The ledger's entries for what happened before it existed (or outside the use cases, like the
/// demo's seeding): threads, replies, accepted answers, helpful marks, hosted and attended events,
/// RSVPs, messages and stories. Each statement skips sources already recorded.
fn backfill_statements() -> Vec<String> {
    let mut all = practice_backfill();
    all.extend(rhythm_backfill());
    all.extend(private_backfill());
    all
}

/// Threads, replies, accepted answers and helpful marks.
fn practice_backfill() -> Vec<String> {
    let insert = INSERT;
    let w = |act: Act| act.weight();
    let k = |act: Act| act.key();
    vec![
        format!(
            "{insert} SELECT t.community_id, t.author_id, \
             CASE WHEN t.kind = 'resource' THEN '{rs}' ELSE '{ts}' END, \
             CASE WHEN t.kind = 'resource' THEN {rsw} ELSE {tsw} END, {private}, t.created_at, 'thread:' || t.id \
             FROM threads t WHERE t.deleted_at IS NULL ON CONFLICT (source) DO NOTHING",
            rs = k(Act::ResourceShared),
            ts = k(Act::ThreadStarted),
            rsw = w(Act::ResourceShared),
            tsw = w(Act::ThreadStarted),
            private = private_sql("t.space"),
        ),
        format!(
            "{insert} SELECT r.community_id, r.author_id, '{}', {}, {}, r.created_at, 'reply:' || r.id \
             FROM replies r JOIN threads t ON t.id = r.thread_id WHERE r.deleted_at IS NULL \
             ON CONFLICT (source) DO NOTHING",
            k(Act::Reply),
            w(Act::Reply),
            private_sql("t.space"),
        ),
        format!(
            "{insert} SELECT r.community_id, r.author_id, '{}', {}, {}, r.created_at, 'accepted:' || r.id \
             FROM threads t JOIN replies r ON r.id = t.accepted_reply_id WHERE r.deleted_at IS NULL \
             ON CONFLICT (source) DO NOTHING",
            k(Act::AnswerAccepted),
            w(Act::AnswerAccepted),
            private_sql("t.space"),
        ),
        format!(
            "{insert} SELECT h.community_id, r.author_id, '{}', {}, {}, h.created_at, \
             'helpful:' || h.reply_id || ':' || h.account_id \
             FROM helpful_marks h JOIN replies r ON r.id = h.reply_id JOIN threads t ON t.id = r.thread_id \
             ON CONFLICT (source) DO NOTHING",
            k(Act::HelpfulReceived),
            w(Act::HelpfulReceived),
            private_sql("t.space"),
        ),
    ]
}

/// Events hosted, occurrences attended and RSVPs.
fn rhythm_backfill() -> Vec<String> {
    let insert = INSERT;
    let w = |act: Act| act.weight();
    let k = |act: Act| act.key();
    vec![
        format!(
            "{insert} SELECT h.community_id, h.account_id, '{}', {}, {}, e.created_at, \
             'hosted:' || e.id || ':' || h.account_id \
             FROM event_hosts h JOIN events e ON e.id = h.event_id WHERE e.deleted_at IS NULL \
             AND e.space <> 'direct' ON CONFLICT (source) DO NOTHING",
            k(Act::EventHosted),
            w(Act::EventHosted),
            private_sql("e.space"),
        ),
        format!(
            "{insert} SELECT a.community_id, a.account_id, '{}', {}, {}, a.checked_in_at, \
             'attended:' || a.event_id || ':' || a.occurrence_start || ':' || a.account_id \
             FROM attendance a JOIN events e ON e.id = a.event_id WHERE a.account_id IS NOT NULL \
             ON CONFLICT (source) DO NOTHING",
            k(Act::EventAttended),
            w(Act::EventAttended),
            private_sql("e.space"),
        ),
        format!(
            "{insert} SELECT r.community_id, r.account_id, '{}', {}, {}, r.created_at, \
             'rsvp:' || r.event_id || ':' || r.occurrence_start || ':' || r.account_id \
             FROM rsvps r JOIN events e ON e.id = r.event_id WHERE r.status = 'going' \
             ON CONFLICT (source) DO NOTHING",
            k(Act::Rsvp),
            w(Act::Rsvp),
            private_sql("e.space"),
        ),
    ]
}

/// Messages and value stories.
fn private_backfill() -> Vec<String> {
    let insert = INSERT;
    let w = |act: Act| act.weight();
    let k = |act: Act| act.key();
    vec![
        // Conversations are direct: every message is private.
        format!(
            "{insert} SELECT c.community_id, m.author_id, '{}', {}, 1, m.created_at, 'message:' || m.id \
             FROM messages m JOIN conversations c ON c.id = m.conversation_id ON CONFLICT (source) DO NOTHING",
            k(Act::Message),
            w(Act::Message),
        ),
        // Only stories told to the whole community are named (`acts::private_story`).
        format!(
            "{insert} SELECT s.community_id, s.author_id, '{}', {}, \
             CASE WHEN s.visibility = 'community' THEN 0 ELSE 1 END, s.created_at, 'story:' || s.id \
             FROM value_stories s WHERE s.id > 0 ON CONFLICT (source) DO NOTHING",
            k(Act::ValueStory),
            w(Act::ValueStory),
        ),
    ]
}

impl Store {
    /// Fills the ledger from existing data. Returns the entries added.
    pub async fn backfill_activity(&self) -> Result<u64> {
        let mut added = 0;
        for sql in backfill_statements() {
            added += sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&self.pool)
                .await
                .or_internal()?
                .rows_affected();
        }
        Ok(added)
    }

    /// Whether the ledger has no entry yet (a database from before it existed).
    pub async fn activity_is_empty(&self) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM activity LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
        Ok(row.is_none())
    }
}

impl Write {
    /// Records acts; ones already recorded (same source) are skipped.
    pub async fn record_activity(&mut self, acts: &[NewActivity]) -> Result<()> {
        for a in acts {
            sqlx::query(
                "INSERT INTO activity (community_id, account_id, kind, weight, private, at, source) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source) DO NOTHING",
            )
            .bind(a.community)
            .bind(a.account)
            .bind(a.kind.key())
            .bind(a.kind.weight())
            .bind(flag(a.private))
            .bind(a.at)
            .bind(&a.source)
            .execute(self.conn())
            .await
            .or_internal()?;
        }
        Ok(())
    }

    /// Takes back the entries of a source (a deleted reply no longer counts).
    pub async fn forget_activity(&mut self, source: &str) -> Result<()> {
        sqlx::query("DELETE FROM activity WHERE source = $1")
            .bind(source)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Records acts; ones already recorded (same source) are skipped.
    fn record_activity(&self, acts: &[NewActivity]) -> ();
    /// Takes back the entries of a source.
    fn forget_activity(&self, source: &str) -> ();
}
