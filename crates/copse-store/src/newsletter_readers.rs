//! For a batch of an issue's readers: who they are, their circles, and what the issue's
//! references stand for — read with a fixed number of queries whatever the batch's size.

use copse_core::OrInternal;
use std::collections::HashSet;

use copse_core::Result;
use copse_core::domain::newsletter::{
    AnswerRef, MemberRef, Reference, Referenced, StoryRef, ThreadRef,
};
use copse_core::domain::value::StoryVisibility;
use copse_core::domain::{AccountId, CommunityId, Role, Space, ThreadKind};
use sqlx::AssertSqlSafe;

use crate::newsletters::placeholders;
use crate::{Recipient, Store};

impl Store {
    /// The next readers of a community's newsletter after `after`, by id: its members and
    /// observers, not suspended, not opted out — with their role.
    pub async fn newsletter_recipients(
        &self,
        community: CommunityId,
        after: AccountId,
        limit: i64,
    ) -> Result<Vec<(Recipient, Role)>> {
        let rows: Vec<(i64, String, String, i64, String)> = sqlx::query_as(
            "SELECT a.id, a.email, a.display_name, a.is_admin, m.role FROM memberships m \
             JOIN accounts a ON a.id = m.account_id \
             WHERE m.community_id = $1 AND a.id > $2 AND a.suspended_at IS NULL \
             AND a.email_verified_at IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM newsletter_optouts o WHERE o.account_id = a.id AND o.community_id = $1) \
             ORDER BY a.id LIMIT $3",
        )
        .bind(community)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter()
            .map(|(id, email, display_name, is_admin, role)| {
                Ok((
                    Recipient {
                        id: AccountId(id),
                        email,
                        display_name,
                        is_admin,
                    },
                    Role::parse(&role)?,
                ))
            })
            .collect()
    }

    /// (account, circle) for the accounts `lo..=hi` in this community's circles.
    pub async fn circle_memberships_between(
        &self,
        community: CommunityId,
        lo: AccountId,
        hi: AccountId,
    ) -> Result<Vec<(AccountId, i64)>> {
        sqlx::query_as(
            "SELECT account_id, circle_id FROM circle_members \
             WHERE community_id = $1 AND account_id BETWEEN $2 AND $3",
        )
        .bind(community)
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// What an issue's references stand for, as far as they are in this community and still
    /// there (events are the caller's: they need their occurrences). Four queries at most.
    pub async fn newsletter_referenced(
        &self,
        community: CommunityId,
        refs: &[Reference],
    ) -> Result<Referenced> {
        let ids = |want: fn(&Reference) -> Option<i64>| -> Vec<i64> {
            let set: HashSet<i64> = refs.iter().filter_map(want).collect();
            set.into_iter().collect()
        };
        let mut out = Referenced::default();
        let threads = ids(|r| match r {
            Reference::Thread(id) => Some(*id),
            _ => None,
        });
        for t in self.referenced_threads(community, &threads).await? {
            out.threads.insert(t.id, t);
        }
        let answers = ids(|r| match r {
            Reference::Answer(id) => Some(*id),
            _ => None,
        });
        for a in self.referenced_answers(community, &answers).await? {
            out.answers.insert(a.id, a);
        }
        let stories = ids(|r| match r {
            Reference::Story(id) => Some(*id),
            _ => None,
        });
        for s in self.referenced_stories(community, &stories).await? {
            out.stories.insert(s.id, s);
        }
        let members = ids(|r| match r {
            Reference::Member(id) => Some(*id),
            _ => None,
        });
        for m in self.referenced_members(community, &members).await? {
            out.members.insert(m.id.get(), m);
        }
        Ok(out)
    }

    async fn referenced_threads(
        &self,
        community: CommunityId,
        ids: &[i64],
    ) -> Result<Vec<ThreadRef>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, space, kind, author_id, circle_id, title, accepted_reply_id, reply_count FROM threads \
             WHERE community_id = $1 AND deleted_at IS NULL AND hidden_at IS NULL AND id IN ({})",
            placeholders(2, ids.len())
        );
        let mut q = sqlx::query_as::<_, ThreadRow>(AssertSqlSafe(sql)).bind(community);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(&self.pool)
            .await
            .or_internal()?
            .into_iter()
            .map(thread_ref)
            .collect()
    }

    async fn referenced_answers(
        &self,
        community: CommunityId,
        ids: &[i64],
    ) -> Result<Vec<AnswerRef>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT t.id, t.space, t.kind, t.author_id, t.circle_id, t.title, t.accepted_reply_id, t.reply_count, \
             r.id, a.display_name, (SELECT COUNT(*) FROM helpful_marks h WHERE h.reply_id = r.id) \
             FROM replies r JOIN threads t ON t.id = r.thread_id JOIN accounts a ON a.id = r.author_id \
             WHERE r.community_id = $1 AND r.deleted_at IS NULL AND t.deleted_at IS NULL AND r.hidden_at IS NULL AND t.hidden_at IS NULL AND r.id IN ({})",
            placeholders(2, ids.len())
        );
        let mut q = sqlx::query_as::<_, AnswerRow>(AssertSqlSafe(sql)).bind(community);
        for id in ids {
            q = q.bind(*id);
        }
        let mut out = Vec::new();
        for (tid, space, kind, author, circle, title, accepted, replies, id, name, helpful) in
            q.fetch_all(&self.pool).await.or_internal()?
        {
            let thread = thread_ref((tid, space, kind, author, circle, title, accepted, replies))?;
            out.push(AnswerRef {
                id,
                accepted: accepted == Some(id),
                thread,
                author_name: name,
                helpful,
            });
        }
        Ok(out)
    }

    async fn referenced_stories(
        &self,
        community: CommunityId,
        ids: &[i64],
    ) -> Result<Vec<StoryRef>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT id, visibility, circle_id, author_id, took FROM value_stories \
             WHERE community_id = $1 AND hidden_at IS NULL AND id IN ({})",
            placeholders(2, ids.len())
        );
        let mut q =
            sqlx::query_as::<_, (i64, String, Option<i64>, i64, String)>(AssertSqlSafe(sql))
                .bind(community);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(&self.pool)
            .await
            .or_internal()?
            .into_iter()
            .map(|(id, visibility, circle_id, author, took)| {
                Ok(StoryRef {
                    id,
                    visibility: StoryVisibility::parse(&visibility)?,
                    circle_id,
                    author: AccountId(author),
                    took,
                })
            })
            .collect()
    }

    /// Members still in the community (not observers) and not suspended.
    async fn referenced_members(
        &self,
        community: CommunityId,
        ids: &[i64],
    ) -> Result<Vec<MemberRef>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT a.id, a.display_name, a.handle FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE m.community_id = $1 AND m.role <> 'observer' AND a.suspended_at IS NULL AND a.id IN ({})",
            placeholders(2, ids.len())
        );
        let mut q = sqlx::query_as::<_, (i64, String, String)>(AssertSqlSafe(sql)).bind(community);
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(&self.pool)
            .await
            .or_internal()?
            .into_iter()
            .map(|(id, name, handle)| MemberRef {
                id: AccountId(id),
                name,
                handle,
            })
            .collect())
    }
}

type ThreadRow = (
    i64,
    String,
    String,
    i64,
    Option<i64>,
    String,
    Option<i64>,
    i64,
);

type AnswerRow = (
    i64,
    String,
    String,
    i64,
    Option<i64>,
    String,
    Option<i64>,
    i64,
    i64,
    String,
    i64,
);

fn thread_ref(row: ThreadRow) -> Result<ThreadRef> {
    let (id, space, kind, author, circle_id, title, accepted, replies) = row;
    Ok(ThreadRef {
        id,
        space: Space::parse(&space)?,
        kind: ThreadKind::parse(&kind)?,
        author: AccountId(author),
        circle_id,
        title,
        answered: accepted.is_some(),
        replies,
    })
}
