//! What moderation keeps about a person, for their data export: the flags they made, the
//! warnings they were given, their silences, and the deeds the logs record about them (what was
//! done and why — not the words of a post they may no longer read).

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::AccountId;

use crate::Store;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedFlag {
    pub target_kind: String,
    pub target_id: i64,
    pub reason: String,
    pub note: Option<String>,
    pub created_at: Millis,
    pub resolved_at: Option<Millis>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedWarning {
    pub community: String,
    pub message: String,
    pub created_at: Millis,
    pub acknowledged_at: Option<Millis>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedSilence {
    pub community: String,
    pub until_at: Millis,
    pub reason: Option<String>,
    pub created_at: Millis,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ExportedDeed {
    /// None for a deed of the site's (about a profile).
    pub community: Option<String>,
    pub action: String,
    pub target_kind: String,
    pub reason: Option<String>,
    pub created_at: Millis,
}

/// Moderation's records of one person.
#[derive(Debug, Clone, Default)]
pub struct PersonalModeration {
    pub flags_made: Vec<ExportedFlag>,
    pub warnings: Vec<ExportedWarning>,
    pub silences: Vec<ExportedSilence>,
    pub deeds_about: Vec<ExportedDeed>,
}

const FLAGS: &str = "SELECT target_kind, target_id, reason, note, created_at, resolved_at \
    FROM flags WHERE flagger_id = $1 ORDER BY id DESC LIMIT 10000";
const WARNINGS: &str = "SELECT c.slug AS community, w.message, w.created_at, w.acknowledged_at \
    FROM warnings w JOIN communities c ON c.id = w.community_id \
    WHERE w.account_id = $1 ORDER BY w.id DESC LIMIT 10000";
const SILENCES: &str = "SELECT c.slug AS community, s.until_at, s.reason, s.created_at \
    FROM silences s JOIN communities c ON c.id = s.community_id \
    WHERE s.account_id = $1 ORDER BY s.created_at DESC LIMIT 10000";
const DEEDS: &str = "SELECT c.slug AS community, l.action, l.target_kind, l.reason, l.created_at \
    FROM moderation_log l LEFT JOIN communities c ON c.id = l.community_id \
    WHERE l.subject_id = $1 ORDER BY l.id DESC LIMIT 10000";

impl Store {
    pub async fn personal_moderation(&self, id: AccountId) -> Result<PersonalModeration> {
        Ok(PersonalModeration {
            flags_made: self.moderation_rows(FLAGS, id).await?,
            warnings: self.moderation_rows(WARNINGS, id).await?,
            silences: self.moderation_rows(SILENCES, id).await?,
            deeds_about: self.moderation_rows(DEEDS, id).await?,
        })
    }

    async fn moderation_rows<T>(&self, sql: &'static str, id: AccountId) -> Result<Vec<T>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
    {
        sqlx::query_as(sql)
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .or_internal()
    }
}
