//! Personal digests: for a batch of people, what happened in their communities in the period
//! that they may read and have not seen on the site — new threads (those in topics they follow
//! marked), open questions matching their expertise, what is coming up, new value stories and
//! newcomers to welcome. A batch reads its data with a fixed number of queries (per batch and per
//! community, never per person or item) and applies the access policy in memory, person by
//! person, with the same `policy` functions every other surface uses.

use std::collections::{BTreeMap, HashMap, HashSet};

use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::email::{DigestPeriod, EmailMode, modes_from};
use copse_core::domain::value::StoryVisibility;
use copse_core::domain::{Community, CommunityId, NotificationKind, Role, Space, ThreadKind};
use copse_core::policy::{
    self, Actor, CommunityFacts, Standing, StoryFacts, ThreadAction, ThreadFacts,
};
use copse_store::{Recipient, RecipientFacts};

use crate::app::App;

/// How far ahead a digest looks for occurrences.
const UPCOMING_DAYS: i64 = 14;
/// At most this many lines per section.
const MAX_LINES: usize = 10;

/// One line of a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// Absolute when the site's base URL is configured.
    pub url: String,
    pub note: String,
}

/// What one community brings to a person's digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityDigest {
    pub name: String,
    pub url: String,
    pub threads: Vec<Line>,
    pub questions: Vec<Line>,
    /// Questions they follow (a topic of theirs, or they replied) whose answer was accepted.
    pub answered: Vec<Line>,
    pub upcoming: Vec<Line>,
    pub stories: Vec<Line>,
    pub newcomers: Vec<String>,
}

impl CommunityDigest {
    fn items(&self) -> usize {
        self.threads.len()
            + self.questions.len()
            + self.answered.len()
            + self.upcoming.len()
            + self.stories.len()
            + self.newcomers.len()
    }
}

/// A person's digest: empty ones are not sent.
#[derive(Debug, Clone)]
pub struct Digest {
    pub recipient: Recipient,
    /// Their unread notifications of the kinds they want in the digest.
    pub for_you: Vec<Line>,
    pub communities: Vec<CommunityDigest>,
}

impl Digest {
    pub fn items(&self) -> usize {
        self.for_you.len()
            + self
                .communities
                .iter()
                .map(CommunityDigest::items)
                .sum::<usize>()
    }
}

/// A thread of the period, parsed once per batch rather than once per person.
struct PeriodThread {
    row: copse_store::NewThreadRow,
    space: Space,
    kind: ThreadKind,
    title_lower: String,
    /// (topic id, topic name in lower case)
    topics: Vec<(i64, String)>,
}

/// A question answered in the period, with who of the batch replied to it and its topics.
struct AnsweredQuestion {
    row: copse_store::AnsweredRow,
    space: Space,
    repliers: HashSet<i64>,
    topics: Vec<i64>,
}

/// A coming occurrence, expanded once per batch; a community's are kept in order of start.
struct ComingEvent {
    space: Space,
    circle_id: Option<i64>,
    start: Millis,
    line: Line,
}

/// What a period brings, read once per batch.
struct PeriodData {
    threads: Vec<PeriodThread>,
    answered: Vec<AnsweredQuestion>,
    stories: Vec<copse_store::NewStoryRow>,
    /// (community, account, display name)
    newcomers: Vec<(CommunityId, i64, String)>,
}

/// The digests of a batch of people for a period, built with a fixed number of queries.
pub async fn build(
    state: &App,
    period: &DigestPeriod,
    recipients: Vec<Recipient>,
) -> Result<Vec<Digest>> {
    let (Some(lo), Some(hi)) = (
        recipients.first().map(|r| r.id),
        recipients.last().map(|r| r.id),
    ) else {
        return Ok(Vec::new());
    };
    let store = &state.store;
    let facts = store.recipient_facts(lo, hi).await?;
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
    let answered = store
        .questions_answered_between(period.since, period.until, lo, hi)
        .await?;
    let mut repliers: HashMap<i64, HashSet<i64>> = HashMap::new();
    for (account, thread) in answered.repliers {
        repliers.entry(thread).or_default().insert(account);
    }
    let mut answered_topics: HashMap<i64, Vec<i64>> = HashMap::new();
    for (thread, topic) in answered.topics {
        answered_topics.entry(thread).or_default().push(topic);
    }
    let answered = answered
        .questions
        .into_iter()
        .map(|row| {
            Ok(AnsweredQuestion {
                space: Space::parse(&row.space)?,
                repliers: repliers.remove(&row.id).unwrap_or_default(),
                topics: answered_topics.remove(&row.id).unwrap_or_default(),
                row,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let data = PeriodData {
        threads,
        answered,
        stories: store
            .stories_told_between(period.since, period.until)
            .await?,
        newcomers: store.newcomers_between(period.since, period.until).await?,
    };
    // Per community of the batch: its facts and its events (with their occurrences).
    let now = store.now();
    let mut communities: BTreeMap<CommunityId, (Community, Vec<ComingEvent>)> = BTreeMap::new();
    for id in store.community_ids_in_use(lo, hi).await? {
        let Some(c) = store.community_by_id(id).await? else {
            continue;
        };
        let mut coming = Vec::new();
        for e in store.list_events(id, policy::ThreadFilter::All).await? {
            if e.space == Space::Direct {
                continue; // meetings of two people are theirs, not news
            }
            for o in e.occurrences(now, now + UPCOMING_DAYS * 86_400_000, 3)? {
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
    let by_person = index(&facts);
    // Unread notifications of the batch that each may still read, in one query; kept for
    // those who want that kind in the digest.
    let modes = store.email_kinds_between(lo, hi).await?;
    let mut for_you: HashMap<i64, Vec<Line>> = HashMap::new();
    for (account, n) in store
        .unread_notifications_between(lo, hi, period.since, period.until)
        .await?
    {
        let wanted = modes_from(modes.get(&account).map_or("", String::as_str))
            .iter()
            .any(|(k, m)| *k == n.kind && *m == EmailMode::Digest);
        let lines = for_you.entry(account).or_default();
        if wanted && lines.len() < MAX_LINES {
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
    // Unread conversation messages of the period, for those who want messages in the digest.
    for (account, conversation, subject, unread) in store
        .unread_conversations_between(lo, hi, period.since, period.until)
        .await?
    {
        let wanted = modes_from(modes.get(&account).map_or("", String::as_str))
            .iter()
            .any(|(k, m)| *k == NotificationKind::Message && *m == EmailMode::Digest);
        let lines = for_you.entry(account).or_default();
        if wanted && lines.len() < MAX_LINES {
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
    let mut out = Vec::with_capacity(recipients.len());
    for r in recipients {
        let mine = by_person.get(&r.id);
        let digest = Digest {
            for_you: for_you.remove(&r.id).unwrap_or_default(),
            communities: match mine {
                Some(mine) => communities
                    .values()
                    .filter_map(|(c, events)| {
                        let role = *mine.roles.get(&c.id)?;
                        Some(for_community(state, &r, mine, role, c, events, &data))
                    })
                    .collect::<Result<Vec<_>>>()?
                    .into_iter()
                    .filter(|d| d.items() > 0)
                    .collect(),
                None => Vec::new(),
            },
            recipient: r,
        };
        out.push(digest);
    }
    Ok(out)
}

/// One person's facts, gathered from the batch's rows.
#[derive(Default)]
struct Mine {
    roles: HashMap<CommunityId, Role>,
    circles: HashSet<i64>,
    expertise: Vec<String>,
    topics: HashSet<i64>,
    visits: HashMap<CommunityId, Millis>,
}

fn index(f: &RecipientFacts) -> HashMap<i64, Mine> {
    let mut by: HashMap<i64, Mine> = HashMap::new();
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

#[allow(clippy::too_many_arguments)]
fn for_community(
    state: &App,
    r: &Recipient,
    mine: &Mine,
    role: Role,
    c: &Community,
    events: &[ComingEvent],
    data: &PeriodData,
) -> Result<CommunityDigest> {
    let actor = Actor::Account {
        id: r.id,
        is_admin: r.is_admin != 0,
    };
    let standing = Standing {
        role: Some(role),
        invited: false,
    };
    let facts = CommunityFacts::from(c);
    // What they saw on the site is not repeated: only what came after their last visit.
    let seen_until = mine.visits.get(&c.id).copied().unwrap_or(i64::MIN);
    let abs = |path: String| state.absolute(&path);
    // Lines are made only while their section has room: a digest shows the first few of
    // thousands of threads, so the policy check is the only per-thread work.
    let (mut followed_lines, mut other_lines, mut questions) = (Vec::new(), Vec::new(), Vec::new());
    for pt in data.threads.iter().filter(|t| t.row.community_id == c.id) {
        let t = &pt.row;
        if t.author_id == r.id || t.created_at <= seen_until {
            continue;
        }
        if followed_lines.len() >= MAX_LINES
            && other_lines.len() >= MAX_LINES
            && questions.len() >= MAX_LINES
        {
            break;
        }
        let kind = pt.kind;
        let thread = ThreadFacts {
            space: pt.space,
            kind,
            author: t.author_id,
            private_member: t.circle_id.is_some_and(|ci| mine.circles.contains(&ci)),
        };
        if !policy::decide_thread(&actor, &standing, &facts, &thread, ThreadAction::Read).allowed()
        {
            continue;
        }
        let topics = &pt.topics;
        let followed = topics.iter().any(|(id, _)| mine.topics.contains(id));
        let open_question = kind == ThreadKind::Question && t.accepted_reply_id.is_none();
        let matches_expertise = open_question
            && mine
                .expertise
                .iter()
                .any(|e| pt.title_lower.contains(e.as_str()) || topics.iter().any(|(_, n)| n == e));
        let section = if matches_expertise {
            &mut questions
        } else if followed {
            &mut followed_lines
        } else {
            &mut other_lines
        };
        if section.len() < MAX_LINES {
            section.push(Line {
                text: t.title.clone(),
                url: abs(format!("/t/{}", t.id)),
                note: if followed {
                    "in a topic you follow".into()
                } else {
                    String::new()
                },
            });
        }
    }
    // Followed topics first, then the newest (the rows are newest first).
    let mut threads = followed_lines;
    threads.extend(other_lines);
    threads.truncate(MAX_LINES);

    // Answered questions they follow: by a topic of theirs or because they replied — not
    // their own question, nor the answer they wrote (they hear of that at once).
    let mut answered = Vec::new();
    for q in data.answered.iter().filter(|q| q.row.community_id == c.id) {
        if answered.len() == MAX_LINES {
            break;
        }
        let row = &q.row;
        if row.author_id == r.id || row.answerer_id == r.id || row.accepted_at <= seen_until {
            continue;
        }
        let follows =
            q.repliers.contains(&r.id) || q.topics.iter().any(|t| mine.topics.contains(t));
        let thread = ThreadFacts {
            space: q.space,
            kind: ThreadKind::Question,
            author: row.author_id,
            private_member: row.circle_id.is_some_and(|ci| mine.circles.contains(&ci)),
        };
        if follows
            && policy::decide_thread(&actor, &standing, &facts, &thread, ThreadAction::Read)
                .allowed()
        {
            answered.push(Line {
                text: row.title.clone(),
                url: abs(format!("/t/{}#reply-{}", row.id, row.accepted_reply_id)),
                note: "answered".into(),
            });
        }
    }

    let upcoming: Vec<Line> = events
        .iter()
        .filter(|e| {
            let private_member = e.circle_id.is_some_and(|ci| mine.circles.contains(&ci));
            policy::thread_filter(&actor).admits(&standing, &facts, e.space, private_member)
        })
        .take(MAX_LINES)
        .map(|e| e.line.clone())
        .collect();

    let mut stories = Vec::new();
    for s in data.stories.iter().filter(|s| s.community_id == c.id) {
        if s.author_id == r.id || s.created_at <= seen_until {
            continue;
        }
        let story = StoryFacts {
            visibility: StoryVisibility::parse(&s.visibility)?,
            in_circle: s.circle_id.is_some_and(|ci| mine.circles.contains(&ci)),
            is_author: false,
            anonymous: true,
        };
        if policy::decide_story(&actor, &standing, &story).allowed() {
            stories.push(Line {
                text: s.took.chars().take(140).collect(),
                url: abs(format!("/stories/{}", s.id)),
                note: String::new(),
            });
        }
        if stories.len() == MAX_LINES {
            break;
        }
    }
    // Newcomers are for members to welcome; observers do not see the member list.
    let newcomers = if role.is_member() {
        data.newcomers
            .iter()
            .filter(|(cid, who, _)| *cid == c.id && *who != r.id)
            .map(|(_, _, name)| name.clone())
            .take(MAX_LINES)
            .collect()
    } else {
        Vec::new()
    };
    Ok(CommunityDigest {
        name: c.name.clone(),
        url: abs(format!("/c/{}", c.slug)),
        threads,
        questions,
        answered,
        upcoming,
        stories,
        newcomers,
    })
}
