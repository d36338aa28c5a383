//! One reader's issue: each reference expanded only if the policy lets that reader read it,
//! empty headings dropped, and the result as Markdown or plain text.

use std::collections::{HashMap, HashSet};

use crate::domain::value::StoryVisibility;
use crate::domain::{AccountId, Space, ThreadKind};
use crate::policy::{
    self, Actor, CommunityAction, CommunityFacts, Standing, StoryFacts, ThreadAction, ThreadFacts,
};

use super::body::{Reference, without_comments};

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
            // The store leaves hidden threads out of every issue; locks do not matter to reading.
            hidden: false,
            locked: false,
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
            // The newsletter's rows leave hidden stories out.
            hidden: false,
            leaders_moderate: false,
            archived: false,
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
