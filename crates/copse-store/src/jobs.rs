//! The job queue: background work kept in the database, so that any number of copse nodes on
//! one database share it and each job runs once.
//!
//! A job has a unique `key` (enqueueing the same key twice keeps one job), a due time and a
//! payload. A node claims due jobs by setting a lease on them — on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so nodes never wait for or take each other's jobs; on SQLite inside
//! a `BEGIN IMMEDIATE` transaction, which serialises claims. A job whose node died is claimed
//! again when its lease runs out. A failed job is retried with backoff up to its maximum
//! attempts, then kept as `failed` for admins to see.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::{Error, Result};

use crate::write::write_alone;
use crate::{Backend, Store, Write, db_err};

/// A job as stored: claimed by a node, or listed for admins. What `kind` and `payload` mean is
/// the business of the job runner (copse-app's `Job`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub key: String,
    pub payload: String,
    pub status: String,
    pub run_at: Millis,
    pub attempts: i64,
    pub max_attempts: i64,
    pub last_error: Option<String>,
    pub updated_at: Millis,
}

const JOB_COLUMNS: &str =
    "id, kind, key, payload, status, run_at, attempts, max_attempts, last_error, updated_at";

/// A job to add.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub key: &'a str,
    pub payload: &'a str,
    pub run_at: Millis,
    pub max_attempts: i64,
}

impl Store {
    /// Claims up to `limit` due jobs for `node` for `lease_ms`: pending jobs whose time has come
    /// and running jobs whose lease ran out (their node is gone).
    pub async fn claim_jobs(&self, node: &str, limit: i64, lease_ms: i64) -> Result<Vec<JobRow>> {
        let now = self.now();
        let lock = match self.backend {
            Backend::Postgres => "FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', locked_by = $1, lease_until = $2, attempts = attempts + 1, \
             updated_at = $3 WHERE id IN (SELECT id FROM jobs WHERE attempts < max_attempts AND \
             ((status = 'pending' AND run_at <= $3) OR (status = 'running' AND lease_until < $3)) \
             ORDER BY run_at, id LIMIT $4 {lock}) RETURNING {JOB_COLUMNS}"
        );
        let mut tx = self.begin_write().await?;
        let mut jobs: Vec<JobRow> = match sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(node)
            .bind(now + lease_ms)
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await
        {
            Ok(jobs) => jobs,
            Err(e) => return crate::abort(tx, db_err(e)).await,
        };
        // A job whose last attempt died with its node has no attempts left: it failed.
        if let Err(e) = sqlx::query(
            "UPDATE jobs SET status = 'failed', last_error = COALESCE(last_error, 'lease expired'), updated_at = $1 \
             WHERE status = 'running' AND lease_until < $1 AND attempts >= max_attempts",
        )
        .bind(now)
        .execute(&mut *tx)
        .await
        {
            return crate::abort(tx, db_err(e)).await;
        }
        tx.commit().await.or_internal()?;
        jobs.sort_by_key(|j| (j.run_at, j.id));
        Ok(jobs)
    }

    /// Marks a claimed job done. Fails with a conflict when `node` no longer holds it.
    pub async fn complete_job(&self, id: i64, node: &str) -> Result<()> {
        let done = sqlx::query(
            "UPDATE jobs SET status = 'done', lease_until = NULL, last_error = NULL, updated_at = $3 \
             WHERE id = $1 AND locked_by = $2 AND status = 'running'",
        )
        .bind(id)
        .bind(node)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        if done.rows_affected() == 0 {
            return Err(Error::conflict("the job's lease was lost"));
        }
        Ok(())
    }

    /// Records a failed attempt: the job runs again after `backoff_ms`, or, with no attempts
    /// left, stays failed.
    pub async fn fail_job(&self, id: i64, node: &str, error: &str, backoff_ms: i64) -> Result<()> {
        let now = self.now();
        let error: String = error.chars().take(2000).collect();
        sqlx::query(
            "UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'pending' END, \
             run_at = $4, lease_until = NULL, last_error = $3, updated_at = $5 \
             WHERE id = $1 AND locked_by = $2 AND status = 'running'",
        )
        .bind(id)
        .bind(node)
        .bind(error)
        .bind(now + backoff_ms)
        .bind(now)
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// Puts a claimed job back to run at `run_at`, without counting the attempt.
    pub async fn postpone_job(&self, id: i64, node: &str, run_at: Millis) -> Result<()> {
        sqlx::query(
            "UPDATE jobs SET status = 'pending', run_at = $3, attempts = attempts - 1, lease_until = NULL, \
             updated_at = $4 WHERE id = $1 AND locked_by = $2 AND status = 'running'",
        )
        .bind(id)
        .bind(node)
        .bind(run_at)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// Jobs in one status, newest change first (at most 200): what admins look at.
    pub async fn jobs_with_status(&self, status: &str, limit: i64) -> Result<Vec<JobRow>> {
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE status = $1 ORDER BY updated_at DESC, id DESC LIMIT $2"
        );
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(status)
            .bind(limit.clamp(1, 200))
            .fetch_all(&self.pool)
            .await
            .or_internal()
    }

    /// How many jobs there are in each status.
    pub async fn job_counts(&self) -> Result<Vec<(String, i64)>> {
        sqlx::query_as("SELECT status, COUNT(*) FROM jobs GROUP BY status ORDER BY status")
            .fetch_all(&self.pool)
            .await
            .or_internal()
    }

    /// Puts a failed job back in the queue with fresh attempts.
    pub async fn retry_job(&self, id: i64) -> Result<()> {
        let now = self.now();
        let done = sqlx::query(
            "UPDATE jobs SET status = 'pending', attempts = 0, run_at = $2, locked_by = NULL, updated_at = $2 \
             WHERE id = $1 AND status = 'failed'",
        )
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await
        .or_internal()?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}

impl Write {
    /// Adds a job unless one with its key exists, with the transaction that implies it. Returns
    /// whether it was added.
    pub async fn enqueue(&mut self, job: &NewJob<'_>) -> Result<bool> {
        let now = self.now();
        let done = sqlx::query(
            "INSERT INTO jobs (kind, key, payload, status, run_at, max_attempts, created_at, updated_at) \
             VALUES ($1, $2, $3, 'pending', $4, $5, $6, $6) ON CONFLICT (key) DO NOTHING",
        )
        .bind(job.kind)
        .bind(job.key)
        .bind(job.payload)
        .bind(job.run_at)
        .bind(job.max_attempts)
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(done.rows_affected() == 1)
    }
}

write_alone! {
    /// Adds a job unless one with its key exists. Returns whether it was added.
    fn enqueue(&self, job: &NewJob<'_>) -> bool;
}
