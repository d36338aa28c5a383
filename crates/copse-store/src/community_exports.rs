//! Community archives prepared in the background: asked for (one at a time per person and
//! community), their progress counted as the worker writes rows, kept in the file store until
//! they expire, downloaded by the one who asked alone.

use copse_core::clock::Millis;
use copse_core::domain::{AccountId, CommunityId};
use copse_core::{OrInternal, Result};

use crate::{Store, Write};

/// One community archive as the export page lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CommunityExport {
    pub id: i64,
    pub community_id: CommunityId,
    pub account_id: AccountId,
    /// The handle of the one who asked.
    pub asked_by: String,
    pub requested_at: Millis,
    /// Rows to write, once the worker has counted them.
    pub rows_total: Option<i64>,
    pub rows_done: i64,
    /// None while it is being prepared.
    pub ready_at: Option<Millis>,
    pub expires_at: Option<Millis>,
    pub size_bytes: Option<i64>,
    /// Where its bytes are kept in the file store, once ready.
    pub object_name: Option<String>,
    /// What went in, as JSON (tables, rows, people, files, rows left out).
    pub summary: Option<String>,
}

const COLUMNS: &str = "id, community_id, account_id, \
    (SELECT handle FROM accounts WHERE accounts.id = community_exports.account_id) AS asked_by, \
    requested_at, rows_total, rows_done, ready_at, expires_at, size_bytes, object_name, summary";

/// An account as a community's archive names it: who they are, never how they sign in.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ArchivedPerson {
    pub id: AccountId,
    pub handle: String,
    pub display_name: String,
    pub bio: Option<String>,
    pub organisation: Option<String>,
    pub department: Option<String>,
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub email: String,
    pub email_verified_at: Option<Millis>,
    pub created_at: Millis,
    pub deleted_at: Option<Millis>,
    /// What they list as their expertise, in their order.
    #[sqlx(skip)]
    pub expertise: Vec<String>,
}

impl Write {
    /// Asks for an archive of `community` for `account`, unless one is being prepared already:
    /// returns its id and whether it is new. One asked for before `given_up_before` that never
    /// got ready (its job failed for good) is removed first, so it cannot block the next ask.
    pub async fn ask_community_export(
        &mut self,
        community: CommunityId,
        account: AccountId,
        given_up_before: Millis,
    ) -> Result<(i64, bool)> {
        sqlx::query(
            "DELETE FROM community_exports WHERE community_id = $1 AND account_id = $2 \
             AND ready_at IS NULL AND requested_at < $3",
        )
        .bind(community)
        .bind(account)
        .bind(given_up_before)
        .execute(self.conn())
        .await
        .or_internal()?;
        let pending: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM community_exports WHERE community_id = $1 AND account_id = $2 \
             AND ready_at IS NULL",
        )
        .bind(community)
        .bind(account)
        .fetch_optional(self.conn())
        .await
        .or_internal()?;
        if let Some(id) = pending {
            return Ok((id, false));
        }
        let now = self.now();
        let id = sqlx::query_scalar(
            "INSERT INTO community_exports (community_id, account_id, requested_at) \
             VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(community)
        .bind(account)
        .bind(now)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok((id, true))
    }
}

impl Store {
    /// The archives of `community` that `account` asked for (anyone's with `None`), being
    /// prepared or still downloadable, newest first.
    pub async fn community_exports(
        &self,
        community: CommunityId,
        account: Option<AccountId>,
    ) -> Result<Vec<CommunityExport>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM community_exports WHERE community_id = $1 \
             AND ($2 IS NULL OR account_id = $2) \
             AND (expires_at IS NULL OR expires_at > $3) ORDER BY requested_at DESC, id DESC LIMIT 20"
        );
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(community)
            .bind(account)
            .bind(self.now())
            .fetch_all(&self.pool)
            .await
            .or_internal()
    }

    /// One archive, whoever asked for it, unless it has expired.
    pub async fn community_export(&self, id: i64) -> Result<Option<CommunityExport>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM community_exports WHERE id = $1 \
             AND (expires_at IS NULL OR expires_at > $2)"
        );
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(self.now())
            .fetch_optional(&self.pool)
            .await
            .or_internal()
    }

    /// How far the worker has come with archive `id`.
    pub async fn note_export_progress(&self, id: i64, done: u64, total: u64) -> Result<()> {
        sqlx::query("UPDATE community_exports SET rows_done = $1, rows_total = $2 WHERE id = $3")
            .bind(i64::try_from(done).unwrap_or(i64::MAX))
            .bind(i64::try_from(total).unwrap_or(i64::MAX))
            .bind(id)
            .execute(&self.pool)
            .await
            .or_internal()
            .map(|_| ())
    }

    /// Archive `id` is ready: its bytes are under `object`, kept until `expires_at`.
    pub async fn finish_community_export(
        &self,
        id: i64,
        object: &str,
        size: u64,
        summary: &str,
        expires_at: Millis,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE community_exports SET object_name = $1, size_bytes = $2, summary = $3, \
             ready_at = $4, expires_at = $5, rows_done = COALESCE(rows_total, rows_done) \
             WHERE id = $6",
        )
        .bind(object)
        .bind(i64::try_from(size).unwrap_or(i64::MAX))
        .bind(summary)
        .bind(self.now())
        .bind(expires_at)
        .bind(id)
        .execute(&self.pool)
        .await
        .or_internal()
        .map(|_| ())
    }

    /// The archives whose time is up, and those asked for before `given_up_before` that never
    /// got ready: their ids and the objects to remove with them.
    pub async fn expired_community_exports(
        &self,
        given_up_before: Millis,
    ) -> Result<Vec<(i64, Option<String>)>> {
        sqlx::query_as(
            "SELECT id, object_name FROM community_exports WHERE expires_at <= $1 \
             OR (ready_at IS NULL AND requested_at < $2) LIMIT 500",
        )
        .bind(self.now())
        .bind(given_up_before)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Forgets archive `id` (its object removed first by the caller).
    pub async fn remove_community_export(&self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM community_exports WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .or_internal()
            .map(|_| ())
    }

    /// The people a community's archive names, by id.
    pub async fn archived_people(&self, ids: &[AccountId]) -> Result<Vec<ArchivedPerson>> {
        let mut people: Vec<ArchivedPerson> = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT id, handle, display_name, bio, organisation, department, country, \
                 time_zone, email, email_verified_at, created_at, deleted_at FROM accounts \
                 WHERE id IN ({}) ORDER BY id",
                marks.join(", ")
            );
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in chunk {
                query = query.bind(*id);
            }
            people.extend(query.fetch_all(&self.pool).await.or_internal()?);
        }
        for person in &mut people {
            person.expertise = self.expertise_of(person.id).await?;
        }
        Ok(people)
    }
}
