//! Following topics, renaming and merging topics (old addresses redirect), and in-app
//! notifications. Notifications are filtered through the access policy when read, so a
//! notification about something the person can no longer read simply disappears.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::{
    AccountId, CommunityId, Notification, NotificationKind, ReplyId, ThreadId, Topic,
};
use copse_core::page::{Cursor, Page};
use copse_core::{Error, Result};
use sqlx::AssertSqlSafe;

use crate::{Store, Write, unique_or};

/// A notification to write.
#[derive(Debug, Clone)]
pub struct NewNotification {
    pub account: AccountId,
    pub community: CommunityId,
    pub kind: NotificationKind,
    /// What it is about: a thread (and maybe a reply), a story or a check-in round.
    pub thread: Option<ThreadId>,
    pub reply: Option<ReplyId>,
    pub story: Option<i64>,
    pub checkin: Option<i64>,
    pub actor: AccountId,
}

impl NewNotification {
    /// A notification about the community itself: a join request, the answer to one.
    pub fn community(
        account: AccountId,
        community: CommunityId,
        kind: NotificationKind,
        actor: AccountId,
    ) -> NewNotification {
        NewNotification {
            account,
            community,
            kind,
            thread: None,
            reply: None,
            story: None,
            checkin: None,
            actor,
        }
    }

    /// A notification about a thread, or a reply in it.
    pub fn thread(
        account: AccountId,
        community: CommunityId,
        kind: NotificationKind,
        thread: ThreadId,
        reply: Option<ReplyId>,
        actor: AccountId,
    ) -> NewNotification {
        NewNotification {
            thread: Some(thread),
            reply,
            ..NewNotification::community(account, community, kind, actor)
        }
    }
}

/// Notifications the recipient may still read (alias `n` for notifications): about a thread,
/// the thread filter of the access policy; about a story, the SQL form of
/// `policy::decide_story` for a current member; about a check-in round, current membership; a
/// join request while they coordinate; the answer to their own request always.
fn readable() -> String {
    format!(
        "((n.thread_id IS NOT NULL AND t.deleted_at IS NULL AND {} \
            AND NOT EXISTS (SELECT 1 FROM replies hr WHERE hr.id = n.reply_id AND hr.hidden_at IS NOT NULL)) \
          OR (n.story_id IS NOT NULL AND {}) \
          OR (n.checkin_id IS NOT NULL AND vm.role IN ('member', 'leader', 'coordinator')) \
          OR (n.kind = 'join_request' AND vm.role = 'coordinator') \
          OR n.kind IN ('join_approved', 'join_declined') \
          OR (n.kind = 'merged' AND vm.role IS NOT NULL))",
        crate::visibility::readable("0"),
        crate::visibility::story_readable("n.account_id"),
    )
}

fn from_readable() -> String {
    "FROM notifications n LEFT JOIN threads t ON t.id = n.thread_id \
     LEFT JOIN value_stories s ON s.id = n.story_id LEFT JOIN checkins k ON k.id = n.checkin_id \
     JOIN communities c ON c.id = n.community_id \
     LEFT JOIN memberships vm ON vm.community_id = n.community_id AND vm.account_id = n.account_id"
        .to_string()
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    account_id: AccountId,
    id: i64,
    kind: String,
    thread_id: Option<i64>,
    story_id: Option<i64>,
    checkin_id: Option<i64>,
    title: String,
    reply_id: Option<i64>,
    slug: String,
    handle: String,
    display_name: String,
    created_at: i64,
    read_at: Option<i64>,
}

impl Store {
    /// The topic at this address, following a redirect left by a rename or merge. The flag
    /// says whether the address was an old one.
    pub async fn topic_by_slug(
        &self,
        community: CommunityId,
        slug: &str,
    ) -> Result<Option<(Topic, bool)>> {
        let mut conn = self.pool.acquire().await.or_internal()?;
        topic_by_slug_on(&mut conn, community, slug).await
    }

    pub async fn set_topic_follow(
        &self,
        community: CommunityId,
        topic: i64,
        account: AccountId,
        follow: bool,
    ) -> Result<()> {
        if follow {
            sqlx::query(
                "INSERT INTO topic_follows (topic_id, account_id, community_id, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (topic_id, account_id) DO NOTHING",
            )
            .bind(topic)
            .bind(account)
            .bind(community)
            .bind(self.now())
            .execute(&self.pool)
            .await
            .or_internal()?;
        } else {
            sqlx::query("DELETE FROM topic_follows WHERE topic_id = $1 AND account_id = $2")
                .bind(topic)
                .bind(account)
                .execute(&self.pool)
                .await
                .or_internal()?;
        }
        Ok(())
    }

    /// The topics of a community the account follows.
    pub async fn followed_topics(
        &self,
        community: CommunityId,
        account: AccountId,
    ) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT topic_id FROM topic_follows WHERE community_id = $1 AND account_id = $2",
        )
        .bind(community)
        .bind(account)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().map(|(t,)| t).collect())
    }

    /// Followers of any of the thread's topics, except `except`.
    pub async fn topic_followers(
        &self,
        thread: ThreadId,
        except: AccountId,
    ) -> Result<Vec<AccountId>> {
        let mut conn = self.pool.acquire().await.or_internal()?;
        topic_followers_on(&mut conn, thread, except).await
    }

    /// A page of the account's notifications that it may still read, newest first.
    pub async fn notifications(
        &self,
        account: AccountId,
        limit: i64,
        after: Option<&Cursor>,
    ) -> Result<Page<Notification>> {
        let rows = self
            .notification_rows(
                "n.account_id = $1 AND n.id < $2 AND $4 = 0 ORDER BY n.id DESC LIMIT $3",
                [
                    account.get(),
                    after.map_or(i64::MAX, |c| c.id),
                    limit + 1,
                    0,
                ],
            )
            .await?;
        let items = rows.into_iter().map(|(_, n)| n).collect();
        Ok(Page::from_rows(items, limit, |n| Cursor::new("", n.id)))
    }

    /// One notification, if its account may still read it.
    pub async fn notification_for(
        &self,
        account: AccountId,
        id: i64,
    ) -> Result<Option<Notification>> {
        Ok(self
            .notification_rows(
                "n.account_id = $1 AND n.id = $2 AND $3 = $4",
                [account.get(), id, 0, 0],
            )
            .await?
            .pop()
            .map(|(_, n)| n))
    }

    /// The unread notifications of the accounts `lo..=hi` made in `[since, until)` that each may
    /// still read, newest first — one query for a batch of digests: (account, notification).
    pub async fn unread_notifications_between(
        &self,
        lo: AccountId,
        hi: AccountId,
        since: Millis,
        until: Millis,
    ) -> Result<Vec<(AccountId, Notification)>> {
        self.notification_rows(
            "n.account_id BETWEEN $1 AND $2 AND n.created_at >= $3 AND n.created_at < $4 \
             AND n.read_at IS NULL ORDER BY n.id DESC LIMIT 20000",
            [lo.get(), hi.get(), since, until],
        )
        .await
    }

    /// Notifications matching `filter` (which binds `$1`..`$4` to `binds`) that their accounts
    /// may read.
    async fn notification_rows(
        &self,
        filter: &str,
        binds: [i64; 4],
    ) -> Result<Vec<(AccountId, Notification)>> {
        let (readable, from) = (readable(), from_readable());
        // An anonymous teller stays anonymous in the notifications their story causes, except
        // to coordinators (as on the story itself).
        let hidden = "CASE WHEN n.story_id IS NOT NULL AND n.kind = 'credited' AND s.anonymous = 1 \
                      AND s.author_id <> n.account_id AND vm.role <> 'coordinator'";
        let (filter, order) = match filter.find(" ORDER BY") {
            Some(at) => filter.split_at(at),
            None => (filter, ""),
        };
        let sql = format!(
            "SELECT n.account_id, n.id, n.kind, n.thread_id, n.story_id, n.checkin_id, \
             COALESCE(t.title, substr(s.took, 1, 120), k.prompt, c.name) AS title, n.reply_id, c.slug, \
             {hidden} THEN '' ELSE a.handle END AS handle, {hidden} THEN 'A member (anonymous)' ELSE a.display_name END AS display_name, \
             n.created_at, n.read_at \
             {from} JOIN accounts a ON a.id = n.actor_id \
             WHERE {filter} AND {readable}{order}"
        );
        let mut q = sqlx::query_as::<_, NotificationRow>(AssertSqlSafe(sql));
        for b in binds {
            q = q.bind(b);
        }
        let rows = q.fetch_all(&self.pool).await.or_internal()?;
        rows.into_iter()
            .map(|r| {
                Ok((
                    r.account_id,
                    Notification {
                        id: r.id,
                        kind: NotificationKind::parse(&r.kind)?,
                        thread_id: r.thread_id,
                        story_id: r.story_id,
                        checkin_id: r.checkin_id,
                        title: r.title,
                        reply_id: r.reply_id,
                        community_slug: r.slug,
                        actor_handle: r.handle,
                        actor_name: r.display_name,
                        created_at: r.created_at,
                        read: r.read_at.is_some(),
                    },
                ))
            })
            .collect()
    }

    /// How many unread notifications the account may read.
    pub async fn unread_notifications(&self, account: AccountId) -> Result<i64> {
        let (readable, from) = (readable(), from_readable());
        let sql = format!(
            "SELECT COUNT(*) {from} WHERE n.account_id = $1 AND n.read_at IS NULL AND {readable}"
        );
        let (n,): (i64,) = sqlx::query_as(AssertSqlSafe(sql))
            .bind(account)
            .fetch_one(&self.pool)
            .await
            .or_internal()?;
        Ok(n)
    }

    /// Marks all (or one) of the account's notifications read.
    pub async fn mark_notifications_read(
        &self,
        account: AccountId,
        only: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL AND ($3 = -1 OR id = $3)",
        )
        .bind(self.now())
        .bind(account)
        .bind(only.unwrap_or(-1))
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }
}

impl Write {
    /// Who follows a topic of the thread (the thread's own writes included), except one person.
    pub async fn topic_followers(
        &mut self,
        thread: ThreadId,
        except: AccountId,
    ) -> Result<Vec<AccountId>> {
        topic_followers_on(self.conn(), thread, except).await
    }

    /// Writes notifications in one transaction.
    pub async fn notify(&mut self, notes: &[NewNotification]) -> Result<()> {
        if notes.is_empty() {
            return Ok(());
        }
        let now = self.now();
        for n in notes {
            sqlx::query(
                "INSERT INTO notifications (account_id, community_id, kind, thread_id, reply_id, story_id, checkin_id, actor_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(n.account)
            .bind(n.community)
            .bind(n.kind.as_str())
            .bind(n.thread)
            .bind(n.reply)
            .bind(n.story)
            .bind(n.checkin)
            .bind(n.actor)
            .bind(now)
            .execute(self.conn())
            .await
            .or_internal()?;
        }
        Ok(())
    }
}

crate::write::write_alone! {
    /// Writes notifications in one transaction.
    fn notify(&self, notes: &[NewNotification]) -> ();
}

/// A topic by its slug, or by an old slug that redirects to it (then `true`).
pub(crate) async fn topic_by_slug_on(
    conn: &mut sqlx::AnyConnection,
    community: CommunityId,
    slug: &str,
) -> Result<Option<(Topic, bool)>> {
    let direct: Option<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, slug, name, description FROM topics WHERE community_id = $1 AND slug = $2",
    )
    .bind(community)
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await
    .or_internal()?;
    if let Some((id, slug, name, description)) = direct {
        return Ok(Some((
            Topic {
                id,
                slug,
                name,
                description,
            },
            false,
        )));
    }
    let redirected: Option<(i64, String, String, Option<String>)> = sqlx::query_as(
        "SELECT t.id, t.slug, t.name, t.description FROM topic_redirects r JOIN topics t ON t.id = r.topic_id \
         WHERE r.community_id = $1 AND r.old_slug = $2 AND t.community_id = r.community_id",
    )
    .bind(community)
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await
    .or_internal()?;
    Ok(redirected.map(|(id, slug, name, description)| {
        (
            Topic {
                id,
                slug,
                name,
                description,
            },
            true,
        )
    }))
}

/// Followers of any of the thread's topics, except `except`.
pub(crate) async fn topic_followers_on(
    conn: &mut sqlx::AnyConnection,
    thread: ThreadId,
    except: AccountId,
) -> Result<Vec<AccountId>> {
    let rows: Vec<(AccountId,)> = sqlx::query_as(
        "SELECT DISTINCT f.account_id FROM topic_follows f JOIN thread_topics tt ON tt.topic_id = f.topic_id \
         WHERE tt.thread_id = $1 AND f.account_id <> $2 LIMIT 10000",
    )
    .bind(thread)
    .bind(except)
    .fetch_all(&mut *conn)
    .await
    .or_internal()?;
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

impl Write {
    /// Renames a topic; a new address leaves the old one redirecting here.
    pub async fn rename_topic(
        &mut self,
        community: CommunityId,
        topic: &Topic,
        name: &str,
        slug: &str,
    ) -> Result<()> {
        let now = self.now();
        let renamed = sqlx::query("UPDATE topics SET name = $1, slug = $2 WHERE id = $3")
            .bind(name)
            .bind(slug)
            .bind(topic.id)
            .execute(self.conn())
            .await;
        if let Err(e) = renamed {
            return Err(unique_or(
                e,
                Error::conflict_on("slug", "another topic has this address"),
            ));
        }
        if slug != topic.slug {
            // The new address must not also be an old one that points elsewhere.
            sqlx::query("DELETE FROM topic_redirects WHERE community_id = $1 AND old_slug = $2")
                .bind(community)
                .bind(slug)
                .execute(self.conn())
                .await
                .or_internal()?;
            sqlx::query(
                "INSERT INTO topic_redirects (community_id, old_slug, topic_id, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (community_id, old_slug) DO UPDATE SET topic_id = excluded.topic_id",
            )
            .bind(community)
            .bind(&topic.slug)
            .bind(topic.id)
            .bind(now)
            .execute(self.conn())
            .await
            .or_internal()?;
        }
        Ok(())
    }

    /// Merges `from` into `into`: its threads and followers move, its address redirects.
    pub async fn merge_topics(
        &mut self,
        community: CommunityId,
        from: &Topic,
        into: &Topic,
    ) -> Result<()> {
        if from.id == into.id {
            return Err(Error::invalid(
                "into",
                "a topic cannot be merged into itself",
            ));
        }
        let now = self.now();
        for sql in [
            "INSERT INTO thread_topics (thread_id, topic_id, community_id) \
             SELECT thread_id, $2, community_id FROM thread_topics WHERE topic_id = $1 \
             ON CONFLICT (thread_id, topic_id) DO NOTHING",
            "INSERT INTO topic_follows (topic_id, account_id, community_id, created_at) \
             SELECT $2, account_id, community_id, created_at FROM topic_follows WHERE topic_id = $1 \
             ON CONFLICT (topic_id, account_id) DO NOTHING",
            "UPDATE topic_redirects SET topic_id = $2 WHERE topic_id = $1",
        ] {
            sqlx::query(sql)
                .bind(from.id)
                .bind(into.id)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        sqlx::query(
            "INSERT INTO topic_redirects (community_id, old_slug, topic_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (community_id, old_slug) DO UPDATE SET topic_id = excluded.topic_id",
        )
        .bind(community)
        .bind(&from.slug)
        .bind(into.id)
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        sqlx::query("DELETE FROM topics WHERE id = $1")
            .bind(from.id)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Renames a topic; a new address leaves the old one redirecting here.
    fn rename_topic(&self, community: CommunityId, topic: &Topic, name: &str, slug: &str) -> ();
    /// Merges `from` into `into`: its threads and followers move, its address redirects.
    fn merge_topics(&self, community: CommunityId, from: &Topic, into: &Topic) -> ();
}
