//! Coming from a mailing list: a list archive (mbox) becomes a community's threads and
//! replies. A message answers what its `In-Reply-To` or `References` name; one whose headers
//! name nothing known but whose subject says "Re: …" answers the thread of that subject;
//! anything else starts a thread. Senders are matched by address or made unclaimed profiles
//! (`people`). Every message is recorded by its Message-ID, so importing a longer archive again
//! adds only what is new. A thread that fills up goes on in a new one, "(continued)".
//!
//! The operator runs it (`copse import mbox`); it writes in batches, so a running site's other
//! writers wait a moment at a time, not for the whole archive.

mod attachments;
mod mbox;
mod message;
mod people;

use std::collections::HashMap;

use copse_core::clock::Millis;
use copse_core::domain::uploads::AttachedTo;
use copse_core::domain::{AccountId, CommunityId, Space, ThreadId};
use copse_core::{Error, Result};
use copse_store::{ArchivedPost, Write};

use crate::app::App;
use message::{Archived, reduced_subject};

pub use message::MAX_MESSAGE_BYTES;

/// Messages written per transaction.
const BATCH: usize = 500;

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MboxReport {
    pub messages: usize,
    /// Too large, or not a message at all: left out.
    pub unreadable: usize,
    /// Imported before (by Message-ID), or twice in this archive.
    pub already: usize,
    pub threads: usize,
    pub replies: usize,
    /// Threads started because the one a message answered was full.
    pub continued: usize,
    pub people_matched: usize,
    pub people_created: usize,
    /// Attached files kept, and left out (a kind copse does not keep, or too large).
    pub attachments: usize,
    pub attachments_refused: usize,
}

/// Where the messages go, and how far the import has come.
struct Import<'a> {
    state: &'a App,
    community: CommunityId,
    space: Space,
    thread_of: HashMap<String, ThreadId>,
    /// A full thread, and the one its conversation goes on in.
    continued_in: HashMap<ThreadId, ThreadId>,
    people: people::People,
    report: MboxReport,
    /// The posts of the batch being written that carry files: (who, where, message's index).
    carrying: Vec<(AccountId, AttachedTo, usize)>,
}

/// Imports the archive into the community at `slug`, in `space` (public or members).
pub async fn import_mbox(
    state: &App,
    slug: &str,
    mbox: &[u8],
    space: Space,
    dry_run: bool,
) -> Result<MboxReport> {
    if !matches!(space, Space::Public | Space::Members) {
        return Err(Error::invalid("space", "must be public or members"));
    }
    let community = state
        .store
        .community_by_slug(slug)
        .await?
        .ok_or_else(|| Error::invalid("community", "no community has this address"))?;
    if community.archived.is_some() {
        return Err(Error::conflict(copse_core::policy::ARCHIVED));
    }
    let raw = mbox::messages(mbox);
    let mut import = Import {
        state,
        community: community.id,
        space,
        thread_of: HashMap::new(),
        continued_in: HashMap::new(),
        people: people::People::default(),
        carrying: Vec::new(),
        report: MboxReport {
            messages: raw.len(),
            ..MboxReport::default()
        },
    };
    let messages = in_order(&raw, state.store.now(), &mut import.report);
    // A dry run writes everything in one transaction and takes it back.
    let batch = if dry_run { usize::MAX } else { BATCH };
    for chunk in messages.chunks(batch) {
        let mut w = state.store.write().await?;
        let written = import.batch(&mut w, chunk).await;
        if dry_run {
            w.roll_back().await;
            written?;
        } else {
            w.finish(written).await?;
            import.keep_files(chunk).await?;
        }
    }
    import.report.people_matched = import.people.matched;
    import.report.people_created = import.people.created;
    Ok(import.report)
}

/// The readable messages, oldest first (a message without a date takes the one before it's),
/// each Message-ID once.
fn in_order(raw: &[Vec<u8>], now: Millis, report: &mut MboxReport) -> Vec<(Millis, Archived)> {
    let mut last = None;
    let mut seen = std::collections::HashSet::new();
    let mut messages = Vec::new();
    for bytes in raw {
        let Some(m) = message::read(bytes) else {
            report.unreadable += 1;
            continue;
        };
        let at = m.date.or(last).unwrap_or(now);
        last = Some(at);
        if !seen.insert(m.message_id.clone()) {
            report.already += 1;
            continue;
        }
        messages.push((at, m));
    }
    messages.sort_by_key(|(at, _)| *at);
    messages
}

impl Import<'_> {
    /// The files of the posts the last batch wrote.
    async fn keep_files(&mut self, chunk: &[(Millis, Archived)]) -> Result<()> {
        let pending: Vec<attachments::Pending> = self
            .carrying
            .drain(..)
            .map(|(owner, to, i)| attachments::Pending {
                owner,
                to,
                files: &chunk[i].1.attachments,
            })
            .collect();
        let (kept, refused) = attachments::keep(self.state, self.community, &pending).await?;
        self.report.attachments += kept;
        self.report.attachments_refused += refused;
        Ok(())
    }

    async fn batch(&mut self, w: &mut Write, messages: &[(Millis, Archived)]) -> Result<()> {
        self.carrying.clear();
        for (i, (at, m)) in messages.iter().enumerate() {
            if w.imported_thread(self.community, &m.message_id)
                .await?
                .is_some()
            {
                self.report.already += 1;
                continue;
            }
            let author = self.people.account(self.state, w, m.from.as_ref()).await?;
            let subject = reduced_subject(&m.subject);
            let body = if m.body.trim().is_empty() {
                "(no text)"
            } else {
                m.body.as_str()
            };
            let post = ArchivedPost {
                message_id: &m.message_id,
                subject: &subject,
                author,
                body,
                at: *at,
            };
            let (thread, to) = match self.answered(w, m, &subject).await? {
                Some(thread) => self.reply(w, thread, &post, &m.subject).await?,
                None => {
                    self.report.threads += 1;
                    let t = w
                        .import_thread(self.community, self.space, &title(&m.subject), &post)
                        .await?;
                    (t, AttachedTo::Thread(t))
                }
            };
            self.thread_of.insert(m.message_id.clone(), thread);
            if !m.attachments.is_empty() {
                self.carrying.push((author, to, i));
            }
        }
        Ok(())
    }

    /// The thread the message answers: one of its parents', else (for a "Re:") its subject's.
    async fn answered(
        &self,
        w: &mut Write,
        m: &Archived,
        subject: &str,
    ) -> Result<Option<ThreadId>> {
        for parent in &m.parents {
            if let Some(thread) = self.thread_of.get(parent) {
                return Ok(Some(*thread));
            }
            if let Some(thread) = w.imported_thread(self.community, parent).await? {
                return Ok(Some(thread));
            }
        }
        // Headers that name nothing known: a "Re:" answers the thread of its subject.
        if (message::says_reply(&m.subject) || !m.parents.is_empty()) && !subject.is_empty() {
            return w.imported_thread_by_subject(self.community, subject).await;
        }
        Ok(None)
    }

    /// Writes the reply into the thread (or the one it went on in); answers the thread it went
    /// into and the post it became.
    async fn reply(
        &mut self,
        w: &mut Write,
        mut thread: ThreadId,
        post: &ArchivedPost<'_>,
        subject: &str,
    ) -> Result<(ThreadId, AttachedTo)> {
        while let Some(next) = self.continued_in.get(&thread) {
            thread = *next;
        }
        if let Some(reply) = w.import_reply(self.community, thread, post).await? {
            self.report.replies += 1;
            return Ok((thread, AttachedTo::Reply(reply)));
        }
        let title = format!("{} (continued)", title(subject));
        let next = w
            .import_thread(self.community, self.space, &title, post)
            .await?;
        self.continued_in.insert(thread, next);
        self.report.continued += 1;
        Ok((next, AttachedTo::Thread(next)))
    }
}

/// A thread's title from a subject: bare, on one line, 3 to 200 characters.
fn title(subject: &str) -> String {
    let words: Vec<&str> = message::bare_subject(subject).split_whitespace().collect();
    let t: String = words.join(" ").chars().take(200).collect();
    if t.chars().count() < 3 {
        "(no subject)".to_string()
    } else {
        t
    }
}
