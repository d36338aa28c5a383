//! One person's sections of one community's part of their digest, each filtered through the
//! access policy in memory as that person: new threads (those in topics they follow first),
//! open questions matching their expertise, answered questions they follow, what is coming,
//! new stories, newcomers to welcome. Lines are made only while their section has room.

use copse_core::Result;
use copse_core::domain::value::StoryVisibility;
use copse_core::domain::{Community, Role, ThreadKind};
use copse_core::policy::{
    self, Actor, CommunityFacts, Standing, StoryFacts, ThreadAction, ThreadFacts,
};
use copse_store::Recipient;

use super::gather::{ComingEvent, MAX_LINES, Mine, PeriodData, PeriodThread};
use super::model::{CommunityDigest, Line};
use crate::app::App;

/// One reader of one community: who they are to the policy, and what they have seen.
struct Reader<'a> {
    state: &'a App,
    recipient: &'a Recipient,
    mine: &'a Mine,
    actor: Actor,
    standing: Standing,
    facts: CommunityFacts,
    /// What they saw on the site is not repeated: only what came after their last visit.
    seen_until: i64,
}

impl Reader<'_> {
    fn may_read(&self, thread: &ThreadFacts) -> bool {
        policy::decide_thread(
            &self.actor,
            &self.standing,
            &self.facts,
            thread,
            ThreadAction::Read,
        )
        .allowed()
    }

    fn in_circle(&self, circle: Option<i64>) -> bool {
        circle.is_some_and(|c| self.mine.circles.contains(&c))
    }

    fn url(&self, path: String) -> String {
        self.state.absolute(&path)
    }
}

/// What one community brings to one person's digest.
pub(super) fn for_community(
    state: &App,
    r: &Recipient,
    mine: &Mine,
    role: Role,
    c: &Community,
    events: &[ComingEvent],
    data: &PeriodData,
) -> Result<CommunityDigest> {
    let reader = Reader {
        state,
        recipient: r,
        mine,
        actor: Actor::Account {
            id: r.id,
            is_admin: r.is_admin != 0,
            must_verify: false,
        },
        standing: Standing {
            role: Some(role),
            invited: false,
            silenced_until: None,
        },
        facts: CommunityFacts::from(c),
        seen_until: mine.visits.get(&c.id).copied().unwrap_or(i64::MIN),
    };
    let (threads, questions) = threads(&reader, c, data);
    Ok(CommunityDigest {
        name: c.name.clone(),
        url: reader.url(format!("/c/{}", c.slug)),
        threads,
        questions,
        answered: answered(&reader, c, data),
        upcoming: upcoming(&reader, events),
        stories: stories(&reader, c, data)?,
        newcomers: newcomers(&reader, role, c, data),
    })
}

/// New threads (those in topics they follow first, then the newest) and open questions that
/// match their expertise. A digest shows the first few of thousands of threads, so the policy
/// check is the only per-thread work.
fn threads(reader: &Reader<'_>, c: &Community, data: &PeriodData) -> (Vec<Line>, Vec<Line>) {
    let (mut followed, mut others, mut questions) = (Vec::new(), Vec::new(), Vec::new());
    for pt in data.threads.iter().filter(|t| t.row.community_id == c.id) {
        let t = &pt.row;
        if t.author_id == reader.recipient.id || t.created_at <= reader.seen_until {
            continue;
        }
        if [&followed, &others, &questions]
            .iter()
            .all(|s| s.len() >= MAX_LINES)
        {
            break;
        }
        let thread = ThreadFacts {
            space: pt.space,
            kind: pt.kind,
            author: t.author_id,
            private_member: reader.in_circle(t.circle_id),
            // The store leaves hidden posts out of every digest.
            hidden: false,
            locked: false,
        };
        if !reader.may_read(&thread) {
            continue;
        }
        let in_followed_topic = pt
            .topics
            .iter()
            .any(|(id, _)| reader.mine.topics.contains(id));
        let section = if for_their_expertise(reader, pt) {
            &mut questions
        } else if in_followed_topic {
            &mut followed
        } else {
            &mut others
        };
        if section.len() < MAX_LINES {
            section.push(Line {
                text: t.title.clone(),
                url: reader.url(format!("/t/{}", t.id)),
                note: if in_followed_topic {
                    "in a topic you follow".into()
                } else {
                    String::new()
                },
            });
        }
    }
    followed.extend(others);
    followed.truncate(MAX_LINES);
    (followed, questions)
}

/// An open question whose title or topics name one of the reader's fields of expertise.
fn for_their_expertise(reader: &Reader<'_>, pt: &PeriodThread) -> bool {
    let open = matches!(pt.kind, ThreadKind::Question) && pt.row.accepted_reply_id.is_none();
    open && reader
        .mine
        .expertise
        .iter()
        .any(|e| pt.title_lower.contains(e.as_str()) || pt.topics.iter().any(|(_, n)| n == e))
}

/// Answered questions they follow — by a topic of theirs or because they replied — not their own
/// question, nor the answer they wrote (they hear of that at once).
fn answered(reader: &Reader<'_>, c: &Community, data: &PeriodData) -> Vec<Line> {
    let me = reader.recipient.id;
    let mut lines = Vec::new();
    for q in data.answered.iter().filter(|q| q.row.community_id == c.id) {
        if lines.len() == MAX_LINES {
            break;
        }
        let row = &q.row;
        if row.author_id == me || row.answerer_id == me || row.accepted_at <= reader.seen_until {
            continue;
        }
        let follows =
            q.repliers.contains(&me) || q.topics.iter().any(|t| reader.mine.topics.contains(t));
        let thread = ThreadFacts {
            space: q.space,
            kind: ThreadKind::Question,
            author: row.author_id,
            private_member: reader.in_circle(row.circle_id),
            // The store leaves hidden posts out of every digest.
            hidden: false,
            locked: false,
        };
        if follows && reader.may_read(&thread) {
            lines.push(Line {
                text: row.title.clone(),
                url: reader.url(format!("/t/{}#reply-{}", row.id, row.accepted_reply_id)),
                note: "answered".into(),
            });
        }
    }
    lines
}

fn upcoming(reader: &Reader<'_>, events: &[ComingEvent]) -> Vec<Line> {
    let filter = policy::thread_filter(&reader.actor);
    events
        .iter()
        .filter(|e| {
            let private_member = reader.in_circle(e.circle_id);
            filter.admits(&reader.standing, &reader.facts, e.space, private_member)
        })
        .take(MAX_LINES)
        .map(|e| e.line.clone())
        .collect()
}

fn stories(reader: &Reader<'_>, c: &Community, data: &PeriodData) -> Result<Vec<Line>> {
    let mut lines = Vec::new();
    for s in data.stories.iter().filter(|s| s.community_id == c.id) {
        if s.author_id == reader.recipient.id || s.created_at <= reader.seen_until {
            continue;
        }
        let story = StoryFacts {
            visibility: StoryVisibility::parse(&s.visibility)?,
            in_circle: reader.in_circle(s.circle_id),
            is_author: false,
            anonymous: true,
            // The digest's rows leave hidden stories out.
            hidden: false,
            leaders_moderate: false,
            archived: false,
        };
        if policy::decide_story(&reader.actor, &reader.standing, &story).allowed() {
            lines.push(Line {
                text: s.took.chars().take(140).collect(),
                url: reader.url(format!("/stories/{}", s.id)),
                note: String::new(),
            });
        }
        if lines.len() == MAX_LINES {
            break;
        }
    }
    Ok(lines)
}

/// Newcomers are for members to welcome; observers do not see the member list.
fn newcomers(reader: &Reader<'_>, role: Role, c: &Community, data: &PeriodData) -> Vec<String> {
    if !role.is_member() {
        return Vec::new();
    }
    data.newcomers
        .iter()
        .filter(|(cid, who, _)| *cid == c.id && *who != reader.recipient.id)
        .map(|(_, _, name)| name.clone())
        .take(MAX_LINES)
        .collect()
}
