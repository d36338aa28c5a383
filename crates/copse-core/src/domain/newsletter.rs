//! The community newsletter: an issue per period that copse drafts from what happened and a
//! coordinator edits and sends. Its body is Markdown in which a line holding only a reference —
//! `[[thread:42]]`, `[[answer:7]]`, `[[event:3]]`, `[[story:5]]`, `[[member:9]]` — stands for
//! that thing. The coordinator's own words go to every reader; each reference is expanded for
//! one reader at a time through the access policy and left out for a reader who may not read it
//! (an observer gets public-space content only; a member removed since drafting, nothing of the
//! members' spaces). HTML comments are notes for the editors and never sent.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, Months, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::checkin::Cadence;
use super::community::text_enum;
use super::text::{multi_line, single_line};
use super::value::StoryVisibility;
use super::{AccountId, CommunityId, Space, ThreadKind};
use crate::clock::Millis;
use crate::error::{Error, Result};
use crate::policy::{
    self, Actor, CommunityAction, CommunityFacts, Standing, StoryFacts, ThreadAction, ThreadFacts,
};

/// Where an issue is on its way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being edited; only the coordinators see it.
    Draft,
    /// Will be sent at its `send_at`; still editable.
    Scheduled,
    /// Going out in batches.
    Sending,
    /// Out, and in the archive.
    Sent,
}

text_enum!(Status, "status", {
    Draft => "draft", Scheduled => "scheduled", Sending => "sending", Sent => "sent",
});

impl Status {
    /// Drafts and scheduled issues can still be changed; what is going out cannot.
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Scheduled)
    }

    /// Issues that went out (or are going) are in the archive, for every reader.
    pub fn published(self) -> bool {
        matches!(self, Status::Sending | Status::Sent)
    }
}

/// The longest body, in characters.
pub const MAX_BODY_CHARS: usize = 50_000;
/// The most reference lines in one issue (each is checked for every reader).
pub const MAX_REFERENCES: usize = 200;

/// A thing an issue points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reference {
    Thread(i64),
    /// A reply, shown as "an answer in <thread>".
    Answer(i64),
    Event(i64),
    Story(i64),
    /// A member to welcome.
    Member(i64),
}

impl Reference {
    pub fn kind(self) -> &'static str {
        match self {
            Reference::Thread(_) => "thread",
            Reference::Answer(_) => "answer",
            Reference::Event(_) => "event",
            Reference::Story(_) => "story",
            Reference::Member(_) => "member",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Reference::Thread(id)
            | Reference::Answer(id)
            | Reference::Event(id)
            | Reference::Story(id)
            | Reference::Member(id) => id,
        }
    }

    /// The line that stands for this thing in a body.
    pub fn line(self) -> String {
        format!("[[{}:{}]]", self.kind(), self.id())
    }

    /// `Some` when the trimmed line is `[[…]]`: the reference, or why it is not one.
    fn of_line(line: &str) -> Option<std::result::Result<Reference, String>> {
        let inner = line.trim().strip_prefix("[[")?.strip_suffix("]]")?;
        let bad = || {
            format!(
                "`{}` is not a reference: write [[thread:N]], [[answer:N]], [[event:N]], [[story:N]] or [[member:N]]",
                line.trim()
            )
        };
        let Some((kind, id)) = inner.split_once(':') else {
            return Some(Err(bad()));
        };
        let Ok(id) = id.trim().parse::<i64>() else {
            return Some(Err(bad()));
        };
        if id <= 0 {
            return Some(Err(bad()));
        }
        Some(match kind.trim() {
            "thread" => Ok(Reference::Thread(id)),
            "answer" => Ok(Reference::Answer(id)),
            "event" => Ok(Reference::Event(id)),
            "story" => Ok(Reference::Story(id)),
            "member" => Ok(Reference::Member(id)),
            _ => Err(bad()),
        })
    }
}

/// An issue's subject: one line, 1–200 characters.
pub fn parse_subject(raw: &str) -> Result<String> {
    single_line("subject", raw, 1, 200)
}

/// An issue's body: Markdown of at most [`MAX_BODY_CHARS`] characters whose reference lines
/// are well formed, at most [`MAX_REFERENCES`] of them.
pub fn parse_body(raw: &str) -> Result<String> {
    let body = multi_line("body", raw, 1, MAX_BODY_CHARS)?;
    references(&body)?;
    Ok(body)
}

/// The reference lines of a body (outside comments), in order, with their line numbers.
pub fn references(body: &str) -> Result<Vec<(usize, Reference)>> {
    let mut out = Vec::new();
    for (n, line) in without_comments(body).lines().enumerate() {
        match Reference::of_line(line) {
            None => {}
            Some(Ok(r)) => out.push((n + 1, r)),
            Some(Err(why)) => return Err(Error::invalid("body", format!("line {}: {why}", n + 1))),
        }
    }
    if out.len() > MAX_REFERENCES {
        return Err(Error::invalid(
            "body",
            format!("at most {MAX_REFERENCES} references in one issue"),
        ));
    }
    Ok(out)
}

/// The body with `<!-- … -->` comments taken out (an unclosed one runs to the end). Lines are
/// kept where a comment spanned several, so line numbers in errors match the editor's.
pub fn without_comments(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let (comment, next) = match after.find("-->") {
            Some(end) => (&after[..end], &after[end + 3..]),
            None => (after, ""),
        };
        out.extend(comment.chars().filter(|c| *c == '\n'));
        rest = next;
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// What references stand for, and who may read them.

/// A thread as a reference needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadRef {
    pub id: i64,
    pub space: Space,
    pub kind: ThreadKind,
    pub author: AccountId,
    pub circle_id: Option<i64>,
    pub title: String,
    pub answered: bool,
    pub replies: i64,
}

/// A reply pointed to as a helpful answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRef {
    pub id: i64,
    pub thread: ThreadRef,
    pub author_name: String,
    pub helpful: i64,
    pub accepted: bool,
}

/// An event, with its next occurrence as text ("" when none is coming).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRef {
    pub id: i64,
    pub space: Space,
    pub circle_id: Option<i64>,
    pub title: String,
    pub when: String,
}

/// A value story; its teller is never named in a newsletter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryRef {
    pub id: i64,
    pub visibility: StoryVisibility,
    pub circle_id: Option<i64>,
    pub author: AccountId,
    pub took: String,
}

/// A member of the community, to welcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRef {
    pub id: AccountId,
    pub name: String,
    pub handle: String,
}

/// Everything an issue's references stand for, read once (per batch of readers).
#[derive(Debug, Clone, Default)]
pub struct Referenced {
    pub threads: HashMap<i64, ThreadRef>,
    pub answers: HashMap<i64, AnswerRef>,
    pub events: HashMap<i64, EventRef>,
    pub stories: HashMap<i64, StoryRef>,
    pub members: HashMap<i64, MemberRef>,
}

/// One reader of an issue: who they are to the community, and the circles they are in.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    pub actor: Actor,
    pub standing: Standing,
    pub community: CommunityFacts,
    pub circles: &'a HashSet<i64>,
}

impl Reader<'_> {
    fn may_read_thread(&self, t: &ThreadRef) -> bool {
        if t.space == Space::Direct {
            return false; // meetings of two people are never news
        }
        let facts = ThreadFacts {
            space: t.space,
            kind: t.kind,
            author: t.author,
            private_member: t.circle_id.is_some_and(|c| self.circles.contains(&c)),
        };
        policy::decide_thread(
            &self.actor,
            &self.standing,
            &self.community,
            &facts,
            ThreadAction::Read,
        )
        .allowed()
    }

    fn may_read_event(&self, e: &EventRef) -> bool {
        e.space != Space::Direct
            && policy::thread_filter(&self.actor).admits(
                &self.standing,
                &self.community,
                e.space,
                e.circle_id.is_some_and(|c| self.circles.contains(&c)),
            )
    }

    fn may_read_story(&self, s: &StoryRef) -> bool {
        let facts = StoryFacts {
            visibility: s.visibility,
            in_circle: s.circle_id.is_some_and(|c| self.circles.contains(&c)),
            is_author: self.actor.account_id() == Some(s.author),
            anonymous: true,
        };
        policy::decide_story(&self.actor, &self.standing, &facts).allowed()
    }

    fn may_see_members(&self) -> bool {
        policy::decide(
            &self.actor,
            &self.standing,
            &self.community,
            CommunityAction::SeeMembers,
        )
        .allowed()
    }
}

/// A piece of an issue as one reader gets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A line of the coordinator's Markdown, as written.
    Line(String),
    /// A reference the reader may read: a link with a short note.
    Item {
        text: String,
        /// A site path (`/t/42`), made absolute by the caller.
        path: String,
        note: String,
    },
}

impl Referenced {
    /// What `r` is for this reader, or `None` when it is gone or theirs not to read.
    pub fn item(&self, r: Reference, reader: &Reader<'_>) -> Option<Block> {
        let item = |text: &str, path: String, note: String| Block::Item {
            text: text.to_string(),
            path,
            note,
        };
        match r {
            Reference::Thread(id) => {
                let t = self.threads.get(&id)?;
                reader
                    .may_read_thread(t)
                    .then(|| item(&t.title, format!("/t/{id}"), thread_note(t)))
            }
            Reference::Answer(id) => {
                let a = self.answers.get(&id)?;
                reader.may_read_thread(&a.thread).then(|| {
                    let mut note = format!("an answer by {}", a.author_name);
                    if a.accepted {
                        note.push_str(", accepted");
                    }
                    if a.helpful > 0 {
                        note.push_str(&format!(
                            ", helpful to {} {}",
                            a.helpful,
                            if a.helpful == 1 { "person" } else { "people" }
                        ));
                    }
                    item(
                        &a.thread.title,
                        format!("/t/{}#reply-{id}", a.thread.id),
                        note,
                    )
                })
            }
            Reference::Event(id) => {
                let e = self.events.get(&id)?;
                reader
                    .may_read_event(e)
                    .then(|| item(&e.title, format!("/e/{id}"), e.when.clone()))
            }
            Reference::Story(id) => {
                let s = self.stories.get(&id)?;
                reader.may_read_story(s).then(|| {
                    let took: String = s.took.chars().take(160).collect();
                    item(&took, format!("/stories/{id}"), "a value story".into())
                })
            }
            Reference::Member(id) => {
                let m = self.members.get(&id)?;
                reader.may_see_members().then(|| {
                    item(
                        &m.name,
                        format!("/u/{}", m.handle),
                        format!("@{}", m.handle),
                    )
                })
            }
        }
    }
}

fn thread_note(t: &ThreadRef) -> String {
    let replies = match t.replies {
        0 => String::new(),
        1 => ", 1 reply".to_string(),
        n => format!(", {n} replies"),
    };
    let kind = match t.kind {
        ThreadKind::Question if t.answered => "question, answered",
        ThreadKind::Question => "question",
        ThreadKind::Resource => "in the library",
        ThreadKind::Announcement => "announcement",
        ThreadKind::Discussion => "discussion",
    };
    format!("{kind}{replies}")
}

/// The issue as one reader gets it: comments gone, each reference line replaced by its item or
/// dropped, and a heading dropped when nothing is left under it (before the next heading of the
/// same or a higher level) — an observer gets no empty "Value stories".
pub fn expand(body: &str, referenced: &Referenced, reader: &Reader<'_>) -> Vec<Block> {
    let text = without_comments(body);
    let mut blocks: Vec<Block> = Vec::new();
    for line in text.lines() {
        match Reference::of_line(line) {
            Some(Ok(r)) => blocks.extend(referenced.item(r, reader)),
            Some(Err(_)) => {} // refused when saved; never sent as written
            None => blocks.push(Block::Line(line.to_string())),
        }
    }
    drop_empty_headings(blocks)
}

fn heading_level(block: &Block) -> Option<usize> {
    let Block::Line(line) = block else {
        return None;
    };
    let hashes = line.chars().take_while(|c| *c == '#').count();
    ((1..=6).contains(&hashes) && line[hashes..].starts_with(' ')).then_some(hashes)
}

fn drop_empty_headings(blocks: Vec<Block>) -> Vec<Block> {
    let mut keep = vec![true; blocks.len()];
    // From the end, so a subheading's fate is known before its parent's.
    for i in (0..blocks.len()).rev() {
        let Some(level) = heading_level(&blocks[i]) else {
            continue;
        };
        let mut has_content = false;
        for j in i + 1..blocks.len() {
            if let Some(l) = heading_level(&blocks[j])
                && l <= level
            {
                break;
            }
            let blank = matches!(&blocks[j], Block::Line(l) if l.trim().is_empty());
            if keep[j] && !blank {
                has_content = true;
                break;
            }
        }
        keep[i] = has_content;
    }
    // Runs of blank lines left by what was dropped become one.
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for (block, kept) in blocks.into_iter().zip(keep) {
        let blank = matches!(&block, Block::Line(l) if l.trim().is_empty());
        let after_blank = out
            .last()
            .is_none_or(|b| matches!(b, Block::Line(l) if l.trim().is_empty()));
        if kept && !(blank && after_blank) {
            out.push(block);
        }
    }
    while matches!(out.last(), Some(Block::Line(l)) if l.trim().is_empty()) {
        out.pop();
    }
    out
}

/// Markdown special characters escaped, so a title is shown as written.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '<' | '>' | '!' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

/// The blocks as Markdown (for the HTML part and the web), with `absolute` making links.
pub fn to_markdown(blocks: &[Block], absolute: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Line(l) => out.push_str(l),
            Block::Item { text, path, note } => {
                out.push_str(&format!(
                    "- [{}]({})",
                    escape_markdown(text),
                    absolute(path)
                ));
                if !note.is_empty() {
                    out.push_str(&format!(" — {}", escape_markdown(note)));
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The blocks as plain text (the e-mail's text part): the coordinator's Markdown as written,
/// each item a line with its link under it.
pub fn to_text(blocks: &[Block], absolute: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Line(l) => out.push_str(l),
            Block::Item { text, path, note } => {
                out.push_str(&format!("- {text}"));
                if !note.is_empty() {
                    out.push_str(&format!(" ({note})"));
                }
                out.push_str(&format!("\n  {}", absolute(path)));
            }
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Periods.

/// When a community that never set its newsletter drafts its first issue: the first day of
/// the next month, 07:00 UTC (monthly is the default cadence).
pub fn first_draft_after(now: Millis) -> Millis {
    let Some(now) = DateTime::<Utc>::from_timestamp_millis(now) else {
        return now;
    };
    let first = Utc
        .with_ymd_and_hms(
            now.year(),
            now.month(),
            1,
            super::email::SEND_HOUR_UTC,
            0,
            0,
        )
        .single()
        .and_then(|d| d.checked_add_months(Months::new(1)));
    first.map_or(now.timestamp_millis(), |d| d.timestamp_millis())
}

/// "October 2026" for a calendar month, else "19 October – 25 October 2026" (the last day
/// included).
pub fn period_label(since: Millis, until: Millis) -> String {
    // Periods run from send time to send time (07:00 UTC): a day is counted from that hour.
    let shift = i64::from(super::email::SEND_HOUR_UTC) * 3_600_000;
    let (Some(a), Some(b)) = (
        DateTime::<Utc>::from_timestamp_millis(since - shift),
        DateTime::<Utc>::from_timestamp_millis(until - shift - 1),
    ) else {
        return String::new();
    };
    let whole_month = a.day() == 1
        && a.month() == b.month()
        && a.year() == b.year()
        && b.date_naive().succ_opt().is_some_and(|d| d.day() == 1);
    if whole_month {
        a.format("%B %Y").to_string()
    } else if a.year() == b.year() {
        format!("{} – {}", a.format("%-d %B"), b.format("%-d %B %Y"))
    } else {
        format!("{} – {}", a.format("%-d %B %Y"), b.format("%-d %B %Y"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{JoinPolicy, Role, Visibility};

    fn community() -> CommunityFacts {
        CommunityFacts {
            visibility: Visibility::Public,
            listed: true,
            join_policy: JoinPolicy::Open,
        }
    }

    fn referenced() -> Referenced {
        let thread = |id, space, circle_id| ThreadRef {
            id,
            space,
            kind: ThreadKind::Question,
            author: 99,
            circle_id,
            title: format!("Thread *{id}*"),
            answered: true,
            replies: 2,
        };
        let mut r = Referenced::default();
        r.threads.insert(1, thread(1, Space::Public, None));
        r.threads.insert(2, thread(2, Space::Members, None));
        r.threads.insert(3, thread(3, Space::Circle, Some(7)));
        r.stories.insert(
            4,
            StoryRef {
                id: 4,
                visibility: StoryVisibility::Community,
                circle_id: None,
                author: 99,
                took: "We tried the checklist".into(),
            },
        );
        r.members.insert(
            5,
            MemberRef {
                id: 5,
                name: "Ada".into(),
                handle: "ada".into(),
            },
        );
        r
    }

    const BODY: &str = "<!-- drafted by copse\n[[thread:2]] -->\n## Word\n\nHello all.\n\n## Highlights\n\n[[thread:1]]\n[[thread:2]]\n\n## Circles\n\n[[thread:3]]\n\n## Stories\n\n[[story:4]]\n\n## Welcome\n\n[[member:5]]\n";

    fn paths(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Item { path, .. } => Some(path.clone()),
                Block::Line(l) if l.starts_with('#') => Some(l.clone()),
                Block::Line(_) => None,
            })
            .collect()
    }

    #[test]
    fn each_reader_gets_what_the_policy_lets_them_read() {
        let none = HashSet::new();
        let in_circle: HashSet<i64> = [7].into();
        let read = |actor, role, circles| {
            paths(&expand(
                BODY,
                &referenced(),
                &Reader {
                    actor,
                    standing: Standing {
                        role,
                        invited: false,
                    },
                    community: community(),
                    circles,
                },
            ))
        };
        let member = Actor::Account {
            id: 10,
            is_admin: false,
        };
        assert_eq!(
            read(member, Some(Role::Member), &in_circle),
            [
                "## Word",
                "## Highlights",
                "/t/1",
                "/t/2",
                "## Circles",
                "/t/3",
                "## Stories",
                "/stories/4",
                "## Welcome",
                "/u/ada"
            ]
        );
        assert_eq!(
            read(member, Some(Role::Member), &none),
            [
                "## Word",
                "## Highlights",
                "/t/1",
                "/t/2",
                "## Stories",
                "/stories/4",
                "## Welcome",
                "/u/ada"
            ]
        );
        // An observer: public threads only, no stories; a public community's members are
        // visible to the signed in.
        assert_eq!(
            read(member, Some(Role::Observer), &none),
            ["## Word", "## Highlights", "/t/1", "## Welcome", "/u/ada"]
        );
        // Removed from the community: what anyone may read of a public community.
        assert_eq!(
            read(member, None, &in_circle),
            ["## Word", "## Highlights", "/t/1", "## Welcome", "/u/ada"]
        );
        assert_eq!(
            read(Actor::Anonymous, None, &none),
            ["## Word", "## Highlights", "/t/1"]
        );
    }

    #[test]
    fn comments_are_never_sent_and_titles_are_escaped() {
        let blocks = expand(
            BODY,
            &referenced(),
            &Reader {
                actor: Actor::Anonymous,
                standing: Standing::default(),
                community: community(),
                circles: &HashSet::new(),
            },
        );
        let md = to_markdown(&blocks, |p| format!("https://x.org{p}"));
        assert!(!md.contains("drafted by copse"), "{md}");
        assert!(
            md.contains("- [Thread \\*1\\*](https://x.org/t/1) — question, answered, 2 replies"),
            "{md}"
        );
        let text = to_text(&blocks, |p| format!("https://x.org{p}"));
        assert!(
            text.contains("- Thread *1* (question, answered, 2 replies)\n  https://x.org/t/1"),
            "{text}"
        );
    }

    #[test]
    fn bad_reference_lines_are_refused_with_their_line() {
        let err = parse_body("Hello\n\n[[thread:x]]").unwrap_err();
        assert!(err.to_string().contains("line 3"), "{err}");
        assert!(parse_body("[[poll:1]]").is_err());
        assert!(parse_body("[[thread:0]]").is_err());
        // Inside a comment, anything goes; inline brackets are just text.
        assert!(parse_body("<!-- [[poll:1]] -->\nSee [[thread:1]] inline").is_ok());
        let many = "[[thread:1]]\n".repeat(MAX_REFERENCES + 1);
        assert!(parse_body(&many).is_err());
        assert_eq!(
            references("a\n<!-- x\ny -->\n[[event:3]]").unwrap(),
            [(4, Reference::Event(3))]
        );
    }

    #[test]
    fn periods_have_readable_labels() {
        let at = |y, m, d| {
            Utc.with_ymd_and_hms(y, m, d, 7, 0, 0)
                .unwrap()
                .timestamp_millis()
        };
        assert_eq!(
            period_label(at(2026, 10, 1), at(2026, 11, 1)),
            "October 2026"
        );
        assert_eq!(
            period_label(at(2026, 10, 19), at(2026, 10, 26)),
            "19 October – 25 October 2026"
        );
        assert_eq!(first_draft_after(at(2026, 11, 28)), at(2026, 12, 1));
        assert_eq!(first_draft_after(at(2026, 12, 1)), at(2027, 1, 1));
    }
}

/// A community's newsletter cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewsletterSettings {
    pub cadence: Cadence,
    /// When copse drafts the next issue; `None` when it drafts none.
    pub next_at: Option<Millis>,
}

/// One issue of a community's newsletter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newsletter {
    pub id: i64,
    pub community_id: CommunityId,
    pub number: i64,
    pub subject: String,
    pub body: String,
    pub period_since: Millis,
    pub period_until: Millis,
    pub status: Status,
    pub send_at: Option<Millis>,
    pub sent_at: Option<Millis>,
    pub updated_at: Millis,
}
