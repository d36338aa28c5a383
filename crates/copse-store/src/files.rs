//! Uploaded files' rows: added unattached, attached in the post's transaction, read for the
//! gate that decides who may see them, counted for the limits, and removed by the worker.

use copse_core::domain::files::FileKind;
use copse_core::domain::uploads::{AttachedTo, FileId, StoredFile};
use copse_core::domain::{AccountId, CommunityId};
use copse_core::{Error, OrInternal, Result};

use sqlx::AssertSqlSafe;

use crate::{Store, Write};

const FILE_COLUMNS: &str = "id, owner_id, kind, size, name, attached_kind, attached_id, \
                            attached_key, community_id, supersedes, created_at";

type FileRow = (
    String,
    AccountId,
    String,
    i64,
    String,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<CommunityId>,
    Option<String>,
    i64,
);

fn file_from_row(row: FileRow) -> Result<StoredFile> {
    let (
        id,
        owner,
        kind,
        size,
        name,
        attached_kind,
        attached_id,
        attached_key,
        community,
        supersedes,
        created_at,
    ) = row;
    let attached = match (attached_kind, attached_id) {
        (Some(kind), Some(id)) => Some(
            AttachedTo::from_parts(&kind, id, attached_key)
                .ok_or_else(|| Error::internal(format!("a file attached to {kind:?}")))?,
        ),
        _ => None,
    };
    Ok(StoredFile {
        id: FileId::parse(&id).map_err(|_| Error::internal("a stored file id"))?,
        owner,
        kind: FileKind::parse(&kind).map_err(|e| Error::internal(e.to_string()))?,
        size,
        name,
        attached,
        community,
        supersedes: supersedes.and_then(|s| FileId::parse(&s).ok()),
        created_at,
    })
}

impl Write {
    /// Records an upload whose bytes are stored (unattached until its post is saved).
    pub async fn add_file(&mut self, file: &StoredFile) -> Result<()> {
        sqlx::query(
            "INSERT INTO files (id, owner_id, kind, size, name, community_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(file.id.as_str())
        .bind(file.owner)
        .bind(file.kind.as_str())
        .bind(file.size)
        .bind(&file.name)
        .bind(file.community)
        .bind(file.created_at)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// Attaches the owner's unattached uploads to what they were uploaded for, counting them in
    /// `community`; answers how many were attached (fewer than asked: some were not theirs to
    /// attach, and the caller refuses the post).
    pub async fn attach_files(
        &mut self,
        owner: AccountId,
        files: &[FileId],
        to: AttachedTo,
        community: Option<CommunityId>,
    ) -> Result<usize> {
        let (kind, id, key) = to.parts();
        let mut attached = 0;
        for file in files {
            let done = sqlx::query(
                "UPDATE files SET attached_kind = $1, attached_id = $2, attached_key = $6, \
                 community_id = $3 \
                 WHERE id = $4 AND owner_id = $5 AND attached_kind IS NULL AND deleted_at IS NULL",
            )
            .bind(kind)
            .bind(id)
            .bind(community)
            .bind(file.as_str())
            .bind(owner)
            .bind(key)
            .execute(self.conn())
            .await
            .or_internal()?;
            attached += done.rows_affected() as usize;
        }
        Ok(attached)
    }

    /// Makes `file` a new version of `earlier` (both attached to the same library item).
    pub async fn set_supersedes(&mut self, file: &FileId, earlier: &FileId) -> Result<()> {
        sqlx::query("UPDATE files SET supersedes = $1 WHERE id = $2")
            .bind(earlier.as_str())
            .bind(file.as_str())
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }

    /// Marks a file deleted: it answers as missing at once; the worker removes its bytes.
    pub async fn delete_file(&mut self, file: &FileId) -> Result<()> {
        let now = self.now();
        sqlx::query("UPDATE files SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL")
            .bind(now)
            .bind(file.as_str())
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }

    /// Sets the account's picture (its upload, attached here) and deletes the one before.
    pub async fn set_avatar(&mut self, account: AccountId, file: Option<&FileId>) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "UPDATE files SET deleted_at = $1 WHERE attached_kind = 'avatar' AND attached_id = $2 \
             AND deleted_at IS NULL",
        )
        .bind(now)
        .bind(account)
        .execute(self.conn())
        .await
        .or_internal()?;
        if let Some(file) = file {
            self.attach_files(
                account,
                std::slice::from_ref(file),
                AttachedTo::Avatar(account),
                None,
            )
            .await?;
        }
        sqlx::query("UPDATE accounts SET avatar_file = $1 WHERE id = $2")
            .bind(file.map(FileId::as_str))
            .bind(account)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Records an upload whose bytes are stored.
    fn add_file(&self, file: &StoredFile) -> ();
    fn set_avatar(&self, account: AccountId, file: Option<&FileId>) -> ();
    fn delete_file(&self, file: &FileId) -> ();
}

impl Store {
    /// A file that is not deleted.
    pub async fn file(&self, id: &FileId) -> Result<Option<StoredFile>> {
        let row: Option<FileRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {FILE_COLUMNS} FROM files WHERE id = $1 AND deleted_at IS NULL"
        )))
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        row.map(file_from_row).transpose()
    }

    /// The files of a thread and of its replies, oldest first.
    pub async fn files_of_thread(&self, thread: i64) -> Result<Vec<StoredFile>> {
        let rows: Vec<FileRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {FILE_COLUMNS} FROM files WHERE deleted_at IS NULL AND ( \
               (attached_kind = 'thread' AND attached_id = $1) OR (attached_kind = 'reply' AND \
                attached_id IN (SELECT id FROM replies WHERE thread_id = $1))) \
             ORDER BY created_at, id"
        )))
        .bind(thread)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter().map(file_from_row).collect()
    }

    /// The files attached to one story, message or recap, oldest first.
    pub async fn files_of(&self, to: AttachedTo) -> Result<Vec<StoredFile>> {
        let (kind, id, key) = to.parts();
        let rows: Vec<FileRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {FILE_COLUMNS} FROM files WHERE deleted_at IS NULL AND attached_kind = $1 \
             AND attached_id = $2 AND COALESCE(attached_key, -1) = $3 ORDER BY created_at, id"
        )))
        .bind(kind)
        .bind(id)
        .bind(key.unwrap_or(-1))
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter().map(file_from_row).collect()
    }

    /// The account's own uploads that are not deleted, oldest first (for its data export).
    pub async fn files_of_owner(&self, owner: AccountId, limit: i64) -> Result<Vec<StoredFile>> {
        let rows: Vec<FileRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {FILE_COLUMNS} FROM files WHERE deleted_at IS NULL AND owner_id = $1 \
             ORDER BY created_at, id LIMIT $2"
        )))
        .bind(owner)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter().map(file_from_row).collect()
    }

    /// The files of a conversation's messages, oldest first.
    pub async fn files_of_conversation(&self, conversation: i64) -> Result<Vec<StoredFile>> {
        let rows: Vec<FileRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {FILE_COLUMNS} FROM files WHERE deleted_at IS NULL \
             AND attached_kind = 'message' AND attached_id IN \
               (SELECT id FROM messages WHERE conversation_id = $1) ORDER BY created_at, id"
        )))
        .bind(conversation)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter().map(file_from_row).collect()
    }

    /// The current document of each of `threads` (the newest file attached to the thread
    /// itself), for a library list of threads its reader was already let read.
    pub async fn documents_of(&self, threads: &[i64]) -> Result<Vec<StoredFile>> {
        if threads.is_empty() {
            return Ok(Vec::new());
        }
        // The ids are numbers, written into the statement as such.
        let list: Vec<String> = threads.iter().map(i64::to_string).collect();
        let rows: Vec<FileRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {FILE_COLUMNS} FROM files WHERE deleted_at IS NULL \
             AND attached_kind = 'thread' AND attached_id IN ({}) ORDER BY created_at, id",
            list.join(", ")
        )))
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter().map(file_from_row).collect()
    }

    /// Bytes the account uploaded since `since`, removed ones included (deleting does not
    /// give the day's allowance back).
    pub async fn uploaded_since(&self, owner: AccountId, since: i64) -> Result<i64> {
        let (sum,): (Option<i64>,) = sqlx::query_as(
            "SELECT CAST(SUM(size) AS BIGINT) FROM files WHERE owner_id = $1 AND created_at >= $2",
        )
        .bind(owner)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(sum.unwrap_or(0))
    }

    /// Bytes a community's files hold, and how many files.
    pub async fn community_files(&self, community: CommunityId) -> Result<(i64, i64)> {
        let (sum, count): (Option<i64>, i64) = sqlx::query_as(
            "SELECT CAST(SUM(size) AS BIGINT), COUNT(*) FROM files \
             WHERE community_id = $1 AND deleted_at IS NULL",
        )
        .bind(community)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok((sum.unwrap_or(0), count))
    }

    /// The account's picture, if it has one.
    pub async fn avatar_of(&self, account: AccountId) -> Result<Option<FileId>> {
        let row: Option<(Option<String>,)> =
            sqlx::query_as("SELECT avatar_file FROM accounts WHERE id = $1")
                .bind(account)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        Ok(row.and_then(|(f,)| f).and_then(|f| FileId::parse(&f).ok()))
    }

    /// Marks deleted what no one may read any more — uploads never attached by
    /// `orphaned_before`, files of deleted threads, replies, stories, messages and events,
    /// pictures no one has — and
    /// answers up to `limit` deleted files whose bytes are to be removed.
    pub async fn files_to_remove(&self, orphaned_before: i64, limit: i64) -> Result<Vec<FileId>> {
        sqlx::query(
            "UPDATE files SET deleted_at = $1 WHERE deleted_at IS NULL AND ( \
               (attached_kind IS NULL AND created_at < $2) \
               OR (attached_kind = 'thread' AND NOT EXISTS (SELECT 1 FROM threads t \
                    WHERE t.id = files.attached_id AND t.deleted_at IS NULL)) \
               OR (attached_kind = 'reply' AND NOT EXISTS (SELECT 1 FROM replies r \
                    WHERE r.id = files.attached_id AND r.deleted_at IS NULL)) \
               OR (attached_kind = 'story' AND NOT EXISTS (SELECT 1 FROM value_stories s \
                    WHERE s.id = files.attached_id)) \
               OR (attached_kind = 'message' AND NOT EXISTS (SELECT 1 FROM messages m \
                    WHERE m.id = files.attached_id)) \
               OR (attached_kind = 'recap' AND NOT EXISTS (SELECT 1 FROM events e \
                    WHERE e.id = files.attached_id AND e.deleted_at IS NULL)) \
               OR (attached_kind = 'avatar' AND NOT EXISTS (SELECT 1 FROM accounts a \
                    WHERE a.avatar_file = files.id)))",
        )
        .bind(self.now())
        .bind(orphaned_before)
        .execute(&self.pool)
        .await
        .or_internal()?;
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM files WHERE deleted_at IS NOT NULL ORDER BY deleted_at LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .filter_map(|(id,)| FileId::parse(&id).ok())
            .collect())
    }

    /// Forgets a deleted file whose bytes are removed.
    pub async fn forget_file(&self, id: &FileId) -> Result<()> {
        sqlx::query("DELETE FROM files WHERE id = $1 AND deleted_at IS NOT NULL")
            .bind(id.as_str())
            .execute(&self.pool)
            .await
            .or_internal()?;
        Ok(())
    }
}
