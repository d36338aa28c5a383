//! What a batch of digests is made from, read with a fixed number of queries per batch (and per
//! community, for events), never per person or per item: the period's threads, answered
//! questions, stories and newcomers; the batch's people's facts; coming occurrences; and the
//! unread notifications and messages each wants in the digest.

use copse_core::domain::AccountId;
use std::collections::{BTreeMap, HashMap, HashSet};

use copse_core::Result;
use copse_core::clock::{DAY, Millis};
use copse_core::domain::email::{DigestPeriod, EmailMode, modes_from};
use copse_core::domain::{Community, CommunityId, NotificationKind, Role, Space, ThreadKind};
use copse_core::policy;
use copse_store::RecipientFacts;

use super::model::Line;
use crate::app::App;

/// How far ahead a digest looks for occurrences.
const UPCOMING_DAYS: i64 = 14;
/// At most this many lines per section.
pub(super) const MAX_LINES: usize = 10;

/// A thread of the period, parsed once per batch rather than once per person.
pub(super) struct PeriodThread {
    pub(super) row: copse_store::NewThreadRow,
    pub(super) space: Space,
    pub(super) kind: ThreadKind,
    pub(super) title_lower: String,
    /// (topic id, topic name in lower case)
    pub(super) topics: Vec<(i64, String)>,
}

/// A question answered in the period, with who of the batch replied to it and its topics.
pub(super) struct AnsweredQuestion {
    pub(super) row: copse_store::AnsweredRow,
    pub(super) space: Space,
    pub(super) repliers: HashSet<AccountId>,
    pub(super) topics: Vec<i64>,
}

/// A coming occurrence, expanded once per batch; a community's are kept in order of start.
pub(super) struct ComingEvent {
    pub(super) space: Space,
    pub(super) circle_id: Option<i64>,
    pub(super) start: Millis,
    pub(super) line: Line,
}

/// What a period brings, read once per batch.
pub(super) struct PeriodData {
    pub(super) threads: Vec<PeriodThread>,
    pub(super) answered: Vec<AnsweredQuestion>,
    pub(super) stories: Vec<copse_store::NewStoryRow>,
    /// (community, account, display name)
    pub(super) newcomers: Vec<(CommunityId, AccountId, String)>,
}

/// One person's facts, gathered from the batch's rows.
#[derive(Default)]
pub(super) struct Mine {
    pub(super) roles: HashMap<CommunityId, Role>,
    pub(super) circles: HashSet<i64>,
    pub(super) expertise: Vec<String>,
    pub(super) topics: HashSet<i64>,
    pub(super) visits: HashMap<CommunityId, Millis>,
}

pub(super) fn index(f: &RecipientFacts) -> HashMap<AccountId, Mine> {
    let mut by: HashMap<AccountId, Mine> = HashMap::new();
    for (a, c, role, _) in &f.memberships {
        by.entry(*a).or_default().roles.insert(*c, *role);
    }
    for (a, circle) in &f.circles {
        by.entry(*a).or_default().circles.insert(*circle);
    }
    for (a, label) in &f.expertise {
        by.entry(*a)
            .or_default()
            .expertise
            .push(label.to_lowercase());
    }
    for (a, topic) in &f.followed_topics {
        by.entry(*a).or_default().topics.insert(*topic);
    }
    for (a, c, at) in &f.last_visits {
        by.entry(*a).or_default().visits.insert(*c, *at);
    }
    by
}

/// The period's threads (with their topics) and answered questions, parsed once per batch.
pub(super) async fn period_data(
    state: &App,
    period: &DigestPeriod,
    (lo, hi): (AccountId, AccountId),
) -> Result<PeriodData> {
    let store = &state.store;
    let (threads, topic_rows) = store
        .threads_started_between(period.since, period.until)
        .await?;
    let mut thread_topics: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (thread, topic, name) in topic_rows {
        thread_topics
            .entry(thread)
            .or_default()
            .push((topic, name.to_lowercase()));
    }
    let threads = threads
        .into_iter()
        .map(|row| {
            Ok(PeriodThread {
                space: Space::parse(&row.space)?,
                kind: ThreadKind::parse(&row.kind)?,
                title_lower: row.title.to_lowercase(),
                topics: thread_topics.remove(&row.id).unwrap_or_default(),
                row,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(PeriodData {
        threads,
        answered: answered_questions(state, period, (lo, hi)).await?,
        stories: store
            .stories_told_between(period.since, period.until)
            .await?,
        newcomers: store.newcomers_between(period.since, period.until).await?,
    })
}

async fn answered_questions(
    state: &App,
    period: &DigestPeriod,
    (lo, hi): (AccountId, AccountId),
) -> Result<Vec<AnsweredQuestion>> {
    let answered = state
        .store
        .questions_answered_between(period.since, period.until, lo, hi)
        .await?;
    let mut repliers: HashMap<i64, HashSet<AccountId>> = HashMap::new();
    for (account, thread) in answered.repliers {
        repliers.entry(thread).or_default().insert(account);
    }
    let mut topics: HashMap<i64, Vec<i64>> = HashMap::new();
    for (thread, topic) in answered.topics {
        topics.entry(thread).or_default().push(topic);
    }
    answered
        .questions
        .into_iter()
        .map(|row| {
            Ok(AnsweredQuestion {
                space: Space::parse(&row.space)?,
                repliers: repliers.remove(&row.id).unwrap_or_default(),
                topics: topics.remove(&row.id).unwrap_or_default(),
                row,
            })
        })
        .collect()
}

/// Per community of the batch: its facts and its coming occurrences (in order of start).
pub(super) async fn communities(
    state: &App,
    (lo, hi): (AccountId, AccountId),
) -> Result<BTreeMap<CommunityId, (Community, Vec<ComingEvent>)>> {
    let store = &state.store;
    let now = store.now();
    let mut communities = BTreeMap::new();
    for id in store.community_ids_in_use(lo, hi).await? {
        let Some(c) = store.community_by_id(id).await? else {
            continue;
        };
        let mut coming = Vec::new();
        for e in store.list_events(id, policy::ThreadFilter::All).await? {
            if e.space == Space::Direct {
                continue; // meetings of two people are theirs, not news
            }
            for o in e.occurrences(now, now + UPCOMING_DAYS * DAY, 3)? {
                if !o.cancelled {
                    coming.push(ComingEvent {
                        space: e.space,
                        circle_id: e.circle_id,
                        start: o.start,
                        line: Line {
                            text: e.title.clone(),
                            url: state.absolute(&format!("/e/{}", e.id)),
                            note: copse_core::domain::when_text(&e, &o),
                        },
                    });
                }
            }
        }
        coming.sort_by_key(|e| e.start);
        communities.insert(id, (c, coming));
    }
    Ok(communities)
}

/// Per person of the batch: their unread notifications (that they may still read) and unread
/// conversation messages of the period, of the kinds they want in the digest.
pub(super) async fn for_you(
    state: &App,
    period: &DigestPeriod,
    (lo, hi): (AccountId, AccountId),
) -> Result<HashMap<AccountId, Vec<Line>>> {
    let store = &state.store;
    let modes = store.email_kinds_between(lo, hi).await?;
    let wants = |account: AccountId, kind: NotificationKind| {
        modes_from(modes.get(&account).map_or("", String::as_str))
            .iter()
            .any(|(k, m)| *k == kind && *m == EmailMode::Digest)
    };
    let mut for_you: HashMap<AccountId, Vec<Line>> = HashMap::new();
    for (account, n) in store
        .unread_notifications_between(lo, hi, period.since, period.until)
        .await?
    {
        let lines = for_you.entry(account).or_default();
        if wants(account, n.kind) && lines.len() < MAX_LINES {
            let who = if n.actor_handle.is_empty() {
                n.actor_name.clone()
            } else {
                format!("@{}", n.actor_handle)
            };
            lines.push(Line {
                text: n.title.clone(),
                url: state.absolute(&n.url()),
                note: format!("{who} {}", n.verb()),
            });
        }
    }
    for (account, conversation, subject, unread) in store
        .unread_conversations_between(lo, hi, period.since, period.until)
        .await?
    {
        let lines = for_you.entry(account).or_default();
        if wants(account, NotificationKind::Message) && lines.len() < MAX_LINES {
            lines.push(Line {
                text: subject,
                url: state.absolute(&format!("/conversations/{conversation}")),
                note: if unread == 1 {
                    "1 unread message in".into()
                } else {
                    format!("{unread} unread messages in")
                },
            });
        }
    }
    Ok(for_you)
}
