//! What site admins read and change about accounts: the account list with its search and
//! filters, counts for the admin home, suspensions, the admin role, the audit log of their
//! actions, and the one-time setup code that creates a new site's first admin.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::{AccountId, Suspension};
use sqlx::AssertSqlSafe;

use crate::communities::like_pattern;
use crate::{Store, Write, flag};

/// Which accounts the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountKind {
    #[default]
    All,
    Suspended,
    Unverified,
    Admins,
}

impl AccountKind {
    fn condition(self) -> &'static str {
        match self {
            AccountKind::All => "1 = 1",
            AccountKind::Suspended => "suspended_at IS NOT NULL",
            AccountKind::Unverified => "email_verified_at IS NULL",
            AccountKind::Admins => "is_admin = 1",
        }
    }
}

/// One line of the account list: enough to find a person, not their whole profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountLine {
    pub id: AccountId,
    pub handle: String,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub suspended: bool,
    pub email_verified: bool,
    pub created_at: Millis,
}

/// The counts on the admin home.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountCounts {
    pub accounts: i64,
    pub unverified: i64,
    pub suspended: i64,
    pub admins: i64,
}

/// One entry of the audit log. Labels are the handles at the time (or "command line"), so the
/// entry reads the same after an account is gone.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub actor_label: String,
    pub action: String,
    pub target_label: String,
    pub detail: Option<String>,
    pub created_at: Millis,
}

/// A thread or reply someone wrote, for their page in the user administration.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecentPost {
    pub thread_id: i64,
    pub title: String,
    pub community: String,
    /// 1 for a reply to the thread, 0 for the thread itself.
    pub is_reply: i64,
    pub created_at: Millis,
}

/// What an admin did, to be written in the same transaction as the deed.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    pub actor: Option<AccountId>,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub target: AccountId,
    pub target_label: &'a str,
    pub detail: Option<&'a str>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    handle: String,
    email: String,
    display_name: String,
    is_admin: i64,
    suspended_at: Option<i64>,
    email_verified_at: Option<i64>,
    created_at: i64,
}

impl From<LineRow> for AccountLine {
    fn from(row: LineRow) -> Self {
        AccountLine {
            id: AccountId(row.id),
            handle: row.handle,
            email: row.email,
            display_name: row.display_name,
            is_admin: row.is_admin != 0,
            suspended: row.suspended_at.is_some(),
            email_verified: row.email_verified_at.is_some(),
            created_at: row.created_at,
        }
    }
}

const LINE_COLUMNS: &str =
    "id, handle, email, display_name, is_admin, suspended_at, email_verified_at, created_at";

impl Store {
    /// Accounts of one kind whose handle, name or address contains `query`, newest first:
    /// one page of `limit` from `offset`, and how many there are in all.
    pub async fn account_lines(
        &self,
        kind: AccountKind,
        query: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AccountLine>, i64)> {
        let matching = format!(
            "FROM accounts WHERE deleted_at IS NULL AND {} AND ($1 = '%%' OR LOWER(handle) LIKE $1 ESCAPE '\\' \
             OR LOWER(email) LIKE $1 ESCAPE '\\' OR LOWER(display_name) LIKE $1 ESCAPE '\\')",
            kind.condition()
        );
        let pattern = like_pattern(query);
        let sql = format!("SELECT {LINE_COLUMNS} {matching} ORDER BY id DESC LIMIT $2 OFFSET $3");
        let lines = sqlx::query_as::<_, LineRow>(AssertSqlSafe(sql))
            .bind(&pattern)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await
            .or_internal()?
            .into_iter()
            .map(AccountLine::from)
            .collect();
        let count = format!("SELECT COUNT(*) {matching}");
        let (total,): (i64,) = sqlx::query_as(AssertSqlSafe(count))
            .bind(&pattern)
            .fetch_one(&self.pool)
            .await
            .or_internal()?;
        Ok((lines, total))
    }

    pub async fn account_counts(&self) -> Result<AccountCounts> {
        sqlx::query_as(
            "SELECT COUNT(*) AS accounts, \
             COUNT(CASE WHEN email_verified_at IS NULL THEN 1 END) AS unverified, \
             COUNT(CASE WHEN suspended_at IS NOT NULL THEN 1 END) AS suspended, \
             COUNT(CASE WHEN is_admin = 1 THEN 1 END) AS admins FROM accounts \
             WHERE deleted_at IS NULL",
        )
        .fetch_one(&self.pool)
        .await
        .or_internal()
    }

    /// The audit log, newest first; only what concerns `target` when one is given.
    pub async fn audit_log(
        &self,
        target: Option<AccountId>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        sqlx::query_as(
            "SELECT id, actor_label, action, target_label, detail, created_at FROM admin_audit \
             WHERE ($1 = 0 OR target_id = $1) ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(target.map_or(0, |t| t.0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// What the account wrote last — threads and replies, deleted ones left out — newest first,
    /// with where: for a site admin, who may read every space.
    pub async fn recent_posts_by(&self, id: AccountId, limit: i64) -> Result<Vec<RecentPost>> {
        sqlx::query_as(
            "SELECT * FROM ( \
               SELECT t.id AS thread_id, t.title, c.slug AS community, 0 AS is_reply, t.created_at \
               FROM threads t JOIN communities c ON c.id = t.community_id \
               WHERE t.author_id = $1 AND t.deleted_at IS NULL \
               UNION ALL \
               SELECT t.id, t.title, c.slug, 1, r.created_at FROM replies r \
               JOIN threads t ON t.id = r.thread_id JOIN communities c ON c.id = t.community_id \
               WHERE r.author_id = $1 AND r.deleted_at IS NULL AND t.deleted_at IS NULL \
             ) AS posts ORDER BY created_at DESC LIMIT $2",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// How many browser sessions the account has open now.
    pub async fn live_sessions(&self, id: AccountId) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM sessions WHERE account_id = $1 AND expires_at > $2",
        )
        .bind(id)
        .bind(self.now())
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(n)
    }

    /// The accounts whose suspension had an end that has passed.
    pub async fn ended_suspensions(&self, limit: i64) -> Result<Vec<(AccountId, String)>> {
        sqlx::query_as(
            "SELECT id, handle FROM accounts WHERE suspended_at IS NOT NULL \
             AND suspended_until IS NOT NULL AND suspended_until <= $1 ORDER BY id LIMIT $2",
        )
        .bind(self.now())
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Keeps only the hash of a new setup code, replacing any earlier one.
    pub async fn replace_setup_code(&self, code_hash: &str) -> Result<()> {
        let mut w = self.write().await?;
        let replaced = async {
            sqlx::query("DELETE FROM setup_codes")
                .execute(w.conn())
                .await
                .or_internal()?;
            sqlx::query("INSERT INTO setup_codes (code_hash, created_at) VALUES ($1, $2)")
                .bind(code_hash)
                .bind(w.now())
                .execute(w.conn())
                .await
                .or_internal()?;
            Ok(())
        }
        .await;
        w.finish(replaced).await
    }

    /// Suspends (`Some`) or restores (`None`) an account on its own.
    pub async fn set_suspended(&self, id: AccountId, suspended: bool) -> Result<()> {
        let mut w = self.write().await?;
        let suspension = suspended.then(|| Suspension {
            since: w.now(),
            reason: None,
            until: None,
        });
        let done = w.set_suspension(id, suspension.as_ref()).await;
        w.finish(done).await
    }
}

impl Write {
    /// Suspends (`Some`) or restores (`None`) an account. A suspension ends its sessions at
    /// once; its API tokens stop working, as they are checked against it on each use.
    pub async fn set_suspension(
        &mut self,
        id: AccountId,
        suspension: Option<&Suspension>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE accounts SET suspended_at = $1, suspended_reason = $2, suspended_until = $3 \
             WHERE id = $4",
        )
        .bind(suspension.map(|s| s.since))
        .bind(suspension.and_then(|s| s.reason.clone()))
        .bind(suspension.and_then(|s| s.until))
        .bind(id)
        .execute(self.conn())
        .await
        .or_internal()?;
        if suspension.is_some() {
            self.end_sessions(id).await?;
        }
        Ok(())
    }

    /// Restores the account if its suspension had an end that has passed; false when it had
    /// not (or another node restored it first).
    pub async fn end_suspension_if_ended(&mut self, id: AccountId) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE accounts SET suspended_at = NULL, suspended_reason = NULL, \
             suspended_until = NULL WHERE id = $1 AND suspended_until IS NOT NULL \
             AND suspended_until <= $2",
        )
        .bind(id)
        .bind(self.now())
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_admin(&mut self, id: AccountId, is_admin: bool) -> Result<()> {
        sqlx::query("UPDATE accounts SET is_admin = $1, updated_at = $2 WHERE id = $3")
            .bind(flag(is_admin))
            .bind(self.now())
            .bind(id)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }

    /// How many site admins there are, counted inside the transaction (so removing the last
    /// one is refused even when two admins remove each other at once on SQLite; PostgreSQL
    /// locks the admin rows).
    pub async fn admin_count(&mut self) -> Result<i64> {
        let lock = match self.backend() {
            crate::Backend::Postgres => " FOR UPDATE",
            crate::Backend::Sqlite => "",
        };
        let sql = format!("SELECT id FROM accounts WHERE is_admin = 1{lock}");
        let rows: Vec<(i64,)> = sqlx::query_as(AssertSqlSafe(sql))
            .fetch_all(self.conn())
            .await
            .or_internal()?;
        Ok(rows.len() as i64)
    }

    pub async fn record_audit(&mut self, entry: &NewAudit<'_>) -> Result<()> {
        sqlx::query(
            "INSERT INTO admin_audit (actor_id, actor_label, action, target_id, target_label, \
             detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(entry.actor)
        .bind(entry.actor_label)
        .bind(entry.action)
        .bind(entry.target)
        .bind(entry.target_label)
        .bind(entry.detail)
        .bind(self.now())
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// Uses up the setup code with this hash: true once, when it matches and no account
    /// exists yet (then the caller creates the first admin in this same transaction).
    pub async fn take_setup_code(&mut self, code_hash: &str) -> Result<bool> {
        let (accounts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
            .fetch_one(self.conn())
            .await
            .or_internal()?;
        let removed = sqlx::query("DELETE FROM setup_codes WHERE code_hash = $1")
            .bind(code_hash)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(accounts == 0 && removed.rows_affected() == 1)
    }
}
