//! Splitting a new community off an old one, in the caller's transaction: chosen topics move
//! with every thread in them (library items are threads too) and chosen events, into a new
//! community with its own statement and coordinators; the old members are invited; the topics'
//! old addresses lead to their new home.
//!
//! A thread in a circle stays with its circle (circles belong to the old community), and a
//! moved thread loses only the links to topics that stay behind.

use copse_core::domain::{AccountId, Community, CommunityId, NewCommunity, Role, StageChangeKind};
use copse_core::{Error, OrInternal, Result};

use crate::Write;
use crate::invitations::Invitee;

/// What a split takes along, beyond the new community itself.
#[derive(Debug, Clone)]
pub struct SplitPlan {
    pub community: NewCommunity,
    /// Topics of the old community (ids).
    pub topics: Vec<i64>,
    /// Events of the old community (ids), outside any circle.
    pub events: Vec<i64>,
    /// People of the old community who coordinate the new one beside its creator.
    pub coordinators: Vec<AccountId>,
}

/// What a split did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SplitReport {
    pub topics: i64,
    pub threads: i64,
    pub events: i64,
    /// Invitations to the old community's members (their ids, for the e-mails).
    pub invitations: Vec<i64>,
}

impl Write {
    /// Splits `plan` off `from` into a new community created by `by`; answers its id.
    pub async fn split_community(
        &mut self,
        from: &Community,
        plan: &SplitPlan,
        by: AccountId,
        secret_hash: impl Fn() -> String,
    ) -> Result<(CommunityId, SplitReport)> {
        let now = self.now();
        let to =
            crate::communities::insert_community(self.conn(), &plan.community, by, now).await?;
        let mut report = SplitReport::default();
        for topic in &plan.topics {
            self.move_topic(from.id, *topic, to).await?;
            report.topics += 1;
        }
        for thread in self.threads_in(from.id, &plan.topics).await? {
            self.move_split_thread(thread, &plan.topics, to).await?;
            report.threads += 1;
        }
        for event in &plan.events {
            self.move_event(from.id, *event, to).await?;
            report.events += 1;
        }
        for person in &plan.coordinators {
            crate::membership::put_membership(self.conn(), to, *person, Role::Coordinator, now)
                .await?;
            crate::membership::log(
                self.conn(),
                to,
                *person,
                "joined",
                Some(Role::Coordinator),
                Some(by),
                now,
            )
            .await?;
        }
        for person in self.members_to_invite(from.id, to).await? {
            let invitee = Invitee::Account(person);
            let id = self
                .invite(to, &invitee, Role::Member, &secret_hash(), by)
                .await?;
            report.invitations.push(id);
        }
        self.log_split(from, to, by).await?;
        Ok((to, report))
    }

    /// The topic becomes `to`'s with its followers; its address in the old community leads
    /// to it (and so do the old community's older addresses for it).
    async fn move_topic(&mut self, from: CommunityId, topic: i64, to: CommunityId) -> Result<()> {
        let moved =
            sqlx::query("UPDATE topics SET community_id = $3 WHERE id = $1 AND community_id = $2")
                .bind(topic)
                .bind(from)
                .bind(to)
                .execute(self.conn())
                .await
                .or_internal()?
                .rows_affected();
        if moved == 0 {
            return Err(Error::invalid("topics", "choose topics of this community"));
        }
        sqlx::query("UPDATE topic_follows SET community_id = $2 WHERE topic_id = $1")
            .bind(topic)
            .bind(to)
            .execute(self.conn())
            .await
            .or_internal()?;
        sqlx::query(
            "INSERT INTO topic_redirects (community_id, old_slug, topic_id, created_at) \
             SELECT $1, slug, id, $3 FROM topics WHERE id = $2 \
             ON CONFLICT (community_id, old_slug) DO UPDATE SET topic_id = excluded.topic_id",
        )
        .bind(from)
        .bind(topic)
        .bind(self.now())
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// The old community's threads outside circles in any of `topics`.
    async fn threads_in(&mut self, from: CommunityId, topics: &[i64]) -> Result<Vec<i64>> {
        let mut threads = Vec::new();
        for topic in topics {
            let rows: Vec<(i64,)> = sqlx::query_as(
                "SELECT t.id FROM threads t JOIN thread_topics tt ON tt.thread_id = t.id \
                 WHERE tt.topic_id = $1 AND t.community_id = $2 AND t.circle_id IS NULL",
            )
            .bind(topic)
            .bind(from)
            .fetch_all(self.conn())
            .await
            .or_internal()?;
            threads.extend(rows.into_iter().map(|(t,)| t));
        }
        threads.sort_unstable();
        threads.dedup();
        Ok(threads)
    }

    async fn move_split_thread(
        &mut self,
        thread: i64,
        topics: &[i64],
        to: CommunityId,
    ) -> Result<()> {
        // Links to topics that stay behind go; the others follow the thread.
        let keep: Vec<String> = topics.iter().map(i64::to_string).collect();
        let sql = format!(
            "DELETE FROM thread_topics WHERE thread_id = $1 AND topic_id NOT IN ({}) AND $2 = $2",
            keep.join(", ")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(thread)
            .bind(to)
            .execute(self.conn())
            .await
            .or_internal()?;
        sqlx::query("UPDATE thread_topics SET community_id = $2 WHERE thread_id = $1")
            .bind(thread)
            .bind(to)
            .execute(self.conn())
            .await
            .or_internal()?;
        self.move_thread_rows(thread, to).await
    }

    /// An event (outside any circle) with its answers, attendance, hosts and recap files.
    async fn move_event(&mut self, from: CommunityId, event: i64, to: CommunityId) -> Result<()> {
        let moved = sqlx::query(
            "UPDATE events SET community_id = $3 WHERE id = $1 AND community_id = $2 \
             AND circle_id IS NULL AND deleted_at IS NULL",
        )
        .bind(event)
        .bind(from)
        .bind(to)
        .execute(self.conn())
        .await
        .or_internal()?
        .rows_affected();
        if moved == 0 {
            return Err(Error::invalid(
                "events",
                "choose events of this community, outside its circles",
            ));
        }
        for sql in [
            "UPDATE rsvps SET community_id = $2 WHERE event_id = $1",
            "UPDATE attendance SET community_id = $2 WHERE event_id = $1",
            "UPDATE event_hosts SET community_id = $2 WHERE event_id = $1",
            "UPDATE files SET community_id = $2 WHERE attached_kind = 'recap' AND attached_id = $1",
        ] {
            sqlx::query(sql)
                .bind(event)
                .bind(to)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        Ok(())
    }

    /// The old community's members (not observers, not suspended) who are not in the new one
    /// yet — as many as a community may have open invitations; the others find it on the old
    /// community's history and join from its page.
    async fn members_to_invite(
        &mut self,
        from: CommunityId,
        to: CommunityId,
    ) -> Result<Vec<AccountId>> {
        let rows: Vec<(AccountId,)> = sqlx::query_as(
            "SELECT m.account_id FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE m.community_id = $1 AND m.role <> 'observer' AND a.suspended_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM memberships n WHERE n.community_id = $2 \
               AND n.account_id = m.account_id) ORDER BY m.account_id LIMIT $3",
        )
        .bind(from)
        .bind(to)
        .bind(crate::invitations::MAX_OPEN_INVITATIONS)
        .fetch_all(self.conn())
        .await
        .or_internal()?;
        Ok(rows.into_iter().map(|(a,)| a).collect())
    }

    /// Both stage logs say where the new community came from and where the topics went.
    async fn log_split(&mut self, from: &Community, to: CommunityId, by: AccountId) -> Result<()> {
        let (slug, name): (String, String) =
            sqlx::query_as("SELECT slug, name FROM communities WHERE id = $1")
                .bind(to)
                .fetch_one(self.conn())
                .await
                .or_internal()?;
        for (community, kind, note) in [
            (
                from.id,
                StageChangeKind::SplitOff,
                format!("{name} ({slug})"),
            ),
            (
                to,
                StageChangeKind::SplitFrom,
                format!("{} ({})", from.name, from.slug.as_str()),
            ),
        ] {
            let now = self.now();
            crate::archive::log(self.conn(), community, kind, Some(&note), by, now).await?;
        }
        Ok(())
    }
}

impl crate::Store {
    /// The events a split may take along: the community's, outside circles, newest first.
    pub async fn events_to_split(&self, community: CommunityId) -> Result<Vec<(i64, String)>> {
        sqlx::query_as(
            "SELECT id, title FROM events WHERE community_id = $1 AND circle_id IS NULL \
             AND deleted_at IS NULL ORDER BY first_start DESC, id DESC LIMIT 200",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Where a topic split off community `old_slug` lives now: its community's address and
    /// its own.
    pub async fn moved_topic(
        &self,
        old_slug: &str,
        topic: &str,
    ) -> Result<Option<(String, String)>> {
        sqlx::query_as(
            "SELECT c.slug, t.slug FROM topic_redirects r JOIN communities o ON o.id = r.community_id \
             JOIN topics t ON t.id = r.topic_id JOIN communities c ON c.id = t.community_id \
             WHERE o.slug = $1 AND r.old_slug = $2 AND t.community_id <> r.community_id",
        )
        .bind(old_slug)
        .bind(topic)
        .fetch_optional(&self.pool)
        .await
        .or_internal()
    }
}
