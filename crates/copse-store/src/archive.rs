//! Archiving and reopening a community: the mark on the community and the entry in its stage
//! log, in one transaction.

use copse_core::domain::{AccountId, Community, CommunityId, StageChangeKind};
use copse_core::{Error, OrInternal, Result};

use crate::Store;

impl Store {
    /// Marks the community archived with its reason; a conflict when it already is.
    pub async fn archive_community(
        &self,
        id: CommunityId,
        reason: &str,
        by: AccountId,
    ) -> Result<Community> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE communities SET archived_at = $1, archived_reason = $2, archived_by = $3 \
             WHERE id = $4 AND archived_at IS NULL",
        )
        .bind(now)
        .bind(reason)
        .bind(by)
        .bind(id)
        .execute(&mut *tx)
        .await
        .or_internal()?
        .rows_affected();
        if changed == 0 {
            let _ = tx.rollback().await;
            return Err(Error::conflict("This community is archived already."));
        }
        log(
            &mut tx,
            id,
            StageChangeKind::Archived,
            Some(reason),
            by,
            now,
        )
        .await?;
        tx.commit().await.or_internal()?;
        self.community_by_id(id).await?.ok_or(Error::NotFound)
    }

    /// Lifts the archive; a conflict when the community is not archived.
    pub async fn reopen_community(&self, id: CommunityId, by: AccountId) -> Result<Community> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE communities SET archived_at = NULL, archived_reason = NULL, \
             archived_by = NULL WHERE id = $1 AND archived_at IS NOT NULL",
        )
        .bind(id)
        .execute(&mut *tx)
        .await
        .or_internal()?
        .rows_affected();
        if changed == 0 {
            let _ = tx.rollback().await;
            return Err(Error::conflict("This community is not archived."));
        }
        log(&mut tx, id, StageChangeKind::Reopened, None, by, now).await?;
        tx.commit().await.or_internal()?;
        self.community_by_id(id).await?.ok_or(Error::NotFound)
    }
}

/// An entry of the stage log that is not a change of stage (archived, reopened, merged, split):
/// the stage stays what it is, from and to.
pub(crate) async fn log(
    tx: &mut sqlx::AnyConnection,
    id: CommunityId,
    kind: StageChangeKind,
    note: Option<&str>,
    by: AccountId,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO stage_changes (community_id, from_stage, to_stage, kind, note, author_id, \
         created_at) SELECT id, stage, stage, $2, $3, $4, $5 FROM communities WHERE id = $1",
    )
    .bind(id)
    .bind(kind.as_str())
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    Ok(())
}
