//! Communities: creation, the directory (filtered by the access policy), settings, and the history
//! of the domain statement and stage.

use copse_core::OrInternal;
use copse_core::domain::{
    AccountId, Community, CommunityChange, CommunityId, DomainRevision, NewCommunity, Reach, Role,
    StageChange,
};
use copse_core::page::{Cursor, Page};
use copse_core::policy::CommunityFilter;
use copse_core::{Error, Result};

use sqlx::AssertSqlSafe;

use crate::rows::{COMMUNITY_COLUMNS, CommunityRow, RevisionRow, StageChangeRow};
use crate::{Store, abort, flag, unique_or};

/// One entry of the community directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    pub community: Community,
    pub members: i64,
    /// The viewer's own role in it, so that callers need no query per entry.
    pub viewer_role: Option<Role>,
}

#[derive(sqlx::FromRow)]
struct DirectoryRow {
    #[sqlx(flatten)]
    community: CommunityRow,
    members: i64,
    viewer_role: Option<String>,
}

/// What to list from the directory.
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    /// Words to look for in names and domain statements.
    pub text: Option<String>,
    /// Only communities this account belongs to or follows.
    pub member_of: Option<AccountId>,
    /// Whose role to report with each entry.
    pub viewer: Option<AccountId>,
    pub limit: i64,
    pub after: Option<Cursor>,
}

/// Escapes `%`, `_` and `\` so user text matches literally inside a `LIKE` pattern.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for ch in text.trim().to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

impl Store {
    /// Creates a community with its first domain revision and stage, and makes the creator its
    /// first coordinator — all in one transaction.
    pub async fn create_community(
        &self,
        new: &NewCommunity,
        creator: AccountId,
    ) -> Result<Community> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let id = match insert_community(&mut tx, new, creator, now).await {
            Ok(id) => id,
            Err(e) => return abort(tx, e).await,
        };
        tx.commit().await.or_internal()?;
        self.community_by_id(id).await?.ok_or(Error::NotFound)
    }

    pub async fn community_by_slug(&self, slug: &str) -> Result<Option<Community>> {
        let sql = format!("SELECT {COMMUNITY_COLUMNS} FROM communities c WHERE c.slug = $1");
        let row: Option<CommunityRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
        row.map(Community::try_from).transpose()
    }

    pub async fn community_by_id(&self, id: CommunityId) -> Result<Option<Community>> {
        let sql = format!("SELECT {COMMUNITY_COLUMNS} FROM communities c WHERE c.id = $1");
        let row: Option<CommunityRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
        row.map(Community::try_from).transpose()
    }

    /// The directory page that `filter` (from the access policy) admits, sorted by name.
    pub async fn list_communities(
        &self,
        filter: CommunityFilter,
        query: &DirectoryQuery,
    ) -> Result<Page<DirectoryEntry>> {
        let (all, account) = match filter {
            CommunityFilter::All => (true, None),
            CommunityFilter::Visible { account } => (false, account),
        };
        let collate = self.backend.binary_collation();
        let sql = format!(
            "SELECT {COMMUNITY_COLUMNS}, \
               (SELECT COUNT(*) FROM memberships m WHERE m.community_id = c.id AND m.role <> 'observer') AS members, \
               (SELECT v.role FROM memberships v WHERE v.community_id = c.id AND v.account_id = $10) AS viewer_role \
             FROM communities c \
             WHERE ($1 = 1 OR c.visibility = 'public' OR c.listed = 1 \
                    OR c.id IN (SELECT community_id FROM memberships WHERE account_id = $2 AND role <> 'observer') \
                    OR c.id IN (SELECT community_id FROM invitations WHERE account_id = $2 \
                                AND status = 'pending' AND expires_at > $3)) \
               AND ($4 = -1 OR c.id IN (SELECT community_id FROM memberships WHERE account_id = $4)) \
               AND ($5 = '' OR LOWER(c.name) LIKE $5 ESCAPE '\\' OR LOWER(c.domain_statement) LIKE $5 ESCAPE '\\') \
               AND ($6 = 0 OR LOWER(c.name) COLLATE {collate} > $7 OR (LOWER(c.name) = $7 AND c.id > $8)) \
             ORDER BY LOWER(c.name) COLLATE {collate}, c.id LIMIT $9"
        );
        let pattern = query
            .text
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(like_pattern);
        let (after_key, after_id) = query
            .after
            .as_ref()
            .map(|c| (c.key.clone(), c.id))
            .unwrap_or_default();
        let rows: Vec<DirectoryRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(flag(all))
            .bind(account.unwrap_or(AccountId(-1)))
            .bind(self.now())
            .bind(query.member_of.unwrap_or(AccountId(-1)))
            .bind(pattern.unwrap_or_default())
            .bind(flag(query.after.is_some()))
            .bind(after_key)
            .bind(after_id)
            .bind(query.limit + 1)
            .bind(query.viewer.unwrap_or(AccountId(-1)))
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
        let entries = rows
            .into_iter()
            .map(|r| {
                Ok(DirectoryEntry {
                    community: Community::try_from(r.community)?,
                    members: r.members,
                    viewer_role: r.viewer_role.as_deref().map(Role::parse).transpose()?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(entries, query.limit, |e| {
            Cursor::new(e.community.name.to_lowercase(), e.community.id.get())
        }))
    }

    /// Applies a change. A new domain statement becomes a revision (with its reason), a new
    /// stage a stage change; both in the same transaction as the update itself.
    pub async fn update_community(
        &self,
        id: CommunityId,
        change: &CommunityChange,
        author: AccountId,
    ) -> Result<Community> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let sql = format!("SELECT {COMMUNITY_COLUMNS} FROM communities c WHERE c.id = $1");
        let row: CommunityRow = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .or_internal()?
            .ok_or(Error::NotFound)?;
        let current = Community::try_from(row)?;
        let questions = change
            .join_questions
            .as_ref()
            .unwrap_or(&current.join_questions);
        let domain = change
            .domain_statement
            .as_ref()
            .unwrap_or(&current.domain_statement);
        let stage = change.stage.unwrap_or(current.stage);
        sqlx::query(
            "UPDATE communities SET name = $1, domain_statement = $2, visibility = $3, listed = $4, \
             join_policy = $5, join_questions = $6, stage = $7, updated_at = $8 WHERE id = $9",
        )
        .bind(change.name.as_ref().unwrap_or(&current.name))
        .bind(domain)
        .bind(change.visibility.unwrap_or(current.visibility).as_str())
        .bind(flag(change.listed.unwrap_or(current.listed)))
        .bind(change.join_policy.unwrap_or(current.join_policy).as_str())
        .bind(serde_json::to_string(questions).or_internal()?)
        .bind(stage.as_str())
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await
        .or_internal()?;
        if *domain != current.domain_statement {
            sqlx::query(
                "INSERT INTO domain_revisions (community_id, body, reason, author_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(domain)
            .bind(&change.reason)
            .bind(author)
            .bind(now)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        }
        if stage != current.stage {
            sqlx::query(
                "INSERT INTO stage_changes (community_id, from_stage, to_stage, author_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(current.stage.as_str())
            .bind(stage.as_str())
            .bind(author)
            .bind(now)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        }
        tx.commit().await.or_internal()?;
        self.community_by_id(id).await?.ok_or(Error::NotFound)
    }

    /// Every version of the domain statement, newest first.
    pub async fn domain_revisions(&self, id: CommunityId) -> Result<Vec<DomainRevision>> {
        let rows: Vec<RevisionRow> = sqlx::query_as(
            "SELECT r.id, r.body, r.reason, a.handle, a.display_name, r.created_at, r.merged_from \
             FROM domain_revisions r JOIN accounts a ON a.id = r.author_id \
             WHERE r.community_id = $1 ORDER BY r.id DESC LIMIT 500",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().map(DomainRevision::from).collect())
    }

    /// Every change of stage, newest first.
    pub async fn stage_changes(&self, id: CommunityId) -> Result<Vec<StageChange>> {
        let rows: Vec<StageChangeRow> = sqlx::query_as(
            "SELECT s.from_stage, s.to_stage, s.kind, s.note, a.handle, s.created_at, s.merged_from \
             FROM stage_changes s JOIN accounts a ON a.id = s.author_id \
             WHERE s.community_id = $1 ORDER BY s.id DESC LIMIT 500",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter().map(StageChange::try_from).collect()
    }

    /// How many members and observers, and from how many organisations, departments and countries.
    pub async fn reach(&self, id: CommunityId) -> Result<Reach> {
        let (members, observers, organisations, departments, countries): (i64, i64, i64, i64, i64) =
            sqlx::query_as(
                "SELECT \
                   COUNT(CASE WHEN m.role <> 'observer' THEN 1 END), \
                   COUNT(CASE WHEN m.role = 'observer' THEN 1 END), \
                   COUNT(DISTINCT CASE WHEN m.role <> 'observer' THEN LOWER(TRIM(a.organisation)) END), \
                   COUNT(DISTINCT CASE WHEN m.role <> 'observer' AND a.department IS NOT NULL \
                         THEN LOWER(TRIM(a.organisation)) || '/' || LOWER(TRIM(a.department)) END), \
                   COUNT(DISTINCT CASE WHEN m.role <> 'observer' THEN LOWER(TRIM(a.country)) END) \
                 FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE m.community_id = $1",
            )
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .or_internal()?;
        Ok(Reach {
            members,
            observers,
            organisations,
            departments,
            countries,
        })
    }
}

/// Inserts a community with its first domain revision and stage, its creator its first
/// coordinator, in the caller's transaction.
pub(crate) async fn insert_community(
    tx: &mut sqlx::AnyConnection,
    new: &NewCommunity,
    creator: AccountId,
    now: i64,
) -> Result<CommunityId> {
    let questions = serde_json::to_string(&new.join_questions).or_internal()?;
    if leads_elsewhere(tx, new.slug.as_str()).await? {
        let taken = "this slug is taken: it leads to a merged community's new home";
        return Err(Error::conflict_on("slug", taken));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO communities (slug, name, domain_statement, visibility, listed, join_policy, \
         join_questions, stage, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(new.slug.as_str())
    .bind(&new.name)
    .bind(&new.domain_statement)
    .bind(new.visibility.as_str())
    .bind(flag(new.listed))
    .bind(new.join_policy.as_str())
    .bind(questions)
    .bind(new.stage.as_str())
    .bind(creator)
    .bind(now)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| unique_or(e, Error::conflict_on("slug", "this slug is taken")))?;
    found_history(tx, id, new, creator, now).await?;
    let id = CommunityId(id);
    crate::membership::put_membership(tx, id, creator, Role::Coordinator, now).await?;
    crate::membership::log(
        tx,
        id,
        creator,
        "founded",
        Some(Role::Coordinator),
        Some(creator),
        now,
    )
    .await?;
    Ok(id)
}

/// Whether `slug` was a merged community's: its address keeps leading to its new home, so no
/// new community takes it.
async fn leads_elsewhere(tx: &mut sqlx::AnyConnection, slug: &str) -> Result<bool> {
    let redirected: Option<(String,)> =
        sqlx::query_as("SELECT old_slug FROM community_redirects WHERE old_slug = $1")
            .bind(slug)
            .fetch_optional(&mut *tx)
            .await
            .or_internal()?;
    Ok(redirected.is_some())
}

/// A new community's history begins: its first statement and its first stage.
async fn found_history(
    tx: &mut sqlx::AnyConnection,
    id: i64,
    new: &NewCommunity,
    creator: AccountId,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO domain_revisions (community_id, body, reason, author_id, created_at) \
         VALUES ($1, $2, 'Community founded', $3, $4)",
    )
    .bind(id)
    .bind(&new.domain_statement)
    .bind(creator)
    .bind(now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    sqlx::query(
        "INSERT INTO stage_changes (community_id, from_stage, to_stage, author_id, created_at) \
         VALUES ($1, NULL, $2, $3, $4)",
    )
    .bind(id)
    .bind(new.stage.as_str())
    .bind(creator)
    .bind(now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern(" 100%_Sure\\ "), "%100\\%\\_sure\\\\%");
    }
}
