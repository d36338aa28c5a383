//! Who may read a file: whoever may read what it is attached to, asked through that thing's
//! own gate; an upload not attached yet is its owner's alone. Anything else is `NotFound`,
//! the same answer as for a file that never was.

use std::ops::Range;

use copse_core::domain::uploads::{AttachedTo, FileId, StoredFile};
use copse_core::policy::{self, Actor, StoryAction, ThreadAction};
use copse_core::{Error, Result};
use copse_files::Fetched;

use crate::access::{GatedThread, Post, gate_event, gate_reply, gate_thread};
use crate::app::App;
use crate::value::story_to;

/// Who else may read a file, which decides how it may be cached on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, signed in or not: shared caches may keep it.
    Public,
    /// Only some: only the reader's browser may keep it.
    Private,
}

/// A file the actor may read.
#[derive(Debug, Clone)]
pub struct Readable {
    pub file: StoredFile,
    pub audience: Audience,
}

/// The file `raw_id` names, if the actor may read it.
pub async fn open(app: &App, actor: &Actor, raw_id: &str) -> Result<Readable> {
    let id = FileId::parse(raw_id)?;
    let file = app.store.file(&id).await?.ok_or(Error::NotFound)?;
    let audience = match file.attached {
        None if policy::reads_unattached_file(actor, file.owner) => Audience::Private,
        None => return Err(Error::NotFound),
        Some(AttachedTo::Thread(thread)) => {
            let gt = gate_thread(app, actor, thread, ThreadAction::Read).await?;
            audience_of(&gt, Post::Thread)
        }
        Some(AttachedTo::Reply(reply)) => {
            let (gt, reply) = gate_reply(app, actor, reply, ThreadAction::Read).await?;
            if reply.deleted {
                return Err(Error::NotFound);
            }
            audience_of(&gt, Post::Reply(&reply))
        }
        Some(AttachedTo::Story(story)) => {
            story_to(app, actor, story, StoryAction::Read)
                .await
                .map_err(unseen)?;
            public_if(story_to(app, &Actor::Anonymous, story, StoryAction::Read).await)?
        }
        Some(AttachedTo::Message(message)) => {
            message_readable(app, actor, message).await?;
            Audience::Private
        }
        Some(AttachedTo::Recap { event, .. }) => {
            gate_event(app, actor, event).await.map_err(unseen)?;
            public_if(gate_event(app, &Actor::Anonymous, event).await)?
        }
        // A picture is shown wherever its owner's name is.
        Some(AttachedTo::Avatar(_)) => Audience::Public,
    };
    Ok(Readable { file, audience })
}

/// A refusal reads as a missing file: whether a file exists is not told to those who may not
/// read it.
fn unseen(e: Error) -> Error {
    match e {
        Error::Forbidden(_) | Error::Unauthenticated => Error::NotFound,
        other => other,
    }
}

/// Public when a visitor's read of the same thing was let in, private when it was refused.
fn public_if<T>(visitor: Result<T>) -> Result<Audience> {
    match visitor {
        Ok(_) => Ok(Audience::Public),
        Err(Error::NotFound | Error::Forbidden(_) | Error::Unauthenticated) => {
            Ok(Audience::Private)
        }
        Err(e) => Err(e),
    }
}

/// A message's files are read by whoever reads the message: its conversation's people, and a
/// hidden message's author alone.
async fn message_readable(app: &App, actor: &Actor, message: i64) -> Result<()> {
    let home = app
        .store
        .message_home(message)
        .await?
        .ok_or(Error::NotFound)?;
    let member = app
        .store
        .in_conversation(home.conversation, actor.account_id())
        .await?;
    if policy::reads_message(actor, member, home.hidden.is_some(), home.author) {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// Public when an anonymous reader would be let in too.
fn audience_of(gt: &GatedThread, post: Post<'_>) -> Audience {
    if gt.anyone_reads(post) {
        Audience::Public
    } else {
        Audience::Private
    }
}

/// The bytes of a file the actor was let read: all of them, or `range` (checked by the
/// caller against the recorded size). Bytes missing from storage read as a missing file.
pub async fn fetch(app: &App, readable: &Readable, range: Option<Range<u64>>) -> Result<Fetched> {
    app.files
        .get(&readable.file.id.object(None), range)
        .await?
        .ok_or(Error::NotFound)
}

/// The files of a thread the actor reads and of its replies, for its page; the page shows
/// each under its post, and the replies it does not show take their files with them.
pub async fn thread_files(app: &App, gt: &GatedThread) -> Result<Vec<StoredFile>> {
    app.store.files_of_thread(gt.thread.id).await
}

/// The files of a thread and its replies that the actor may read, each asked through its
/// own post's gate (a hidden or deleted reply's files are left out).
pub async fn readable_thread_files(
    app: &App,
    actor: &Actor,
    thread: i64,
) -> Result<Vec<StoredFile>> {
    let gt = gate_thread(app, actor, thread, ThreadAction::Read).await?;
    let mut out = Vec::new();
    for file in thread_files(app, &gt).await? {
        match open(app, actor, file.id.as_str()).await {
            Ok(readable) => out.push(readable.file),
            Err(Error::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// The current document of each listed thread (a library shelf): `listed` came from a list the
/// actor was let read through the thread filter, and a thread's own file is read by whoever
/// reads the thread. A document a newer version replaced is not the current one.
pub async fn library_documents(
    app: &App,
    listed: &[i64],
) -> Result<std::collections::HashMap<i64, StoredFile>> {
    let files = app.store.documents_of(listed).await?;
    let replaced = |f: &StoredFile| files.iter().any(|n| n.supersedes.as_ref() == Some(&f.id));
    let mut current = std::collections::HashMap::new();
    for file in files.iter().filter(|f| !replaced(f)) {
        if let Some(AttachedTo::Thread(thread)) = file.attached {
            // Oldest first: the last one kept is the newest.
            current.insert(thread, file.clone());
        }
    }
    Ok(current)
}

/// The files of a story its reader was let read (the story came through its gate).
pub async fn story_files(app: &App, story: &crate::value::ReadStory) -> Result<Vec<StoredFile>> {
    app.store.files_of(AttachedTo::Story(story.story.id)).await
}

/// The files of one occurrence's recap, for an event its reader was let see.
pub async fn recap_files(
    app: &App,
    event: &copse_core::domain::Event,
    key: copse_core::clock::Millis,
) -> Result<Vec<StoredFile>> {
    let to = AttachedTo::Recap {
        event: event.id,
        key,
    };
    app.store.files_of(to).await
}

/// The files of the messages a conversation's page shows its reader (who was let in): a
/// hidden message's files stay with its author, as its words do.
pub async fn message_files(
    app: &App,
    actor: &Actor,
    conversation: &copse_core::domain::Conversation,
    shown: &[copse_core::domain::Message],
) -> Result<Vec<StoredFile>> {
    let readable: Vec<i64> = shown
        .iter()
        .filter(|m| policy::reads_message(actor, true, m.hidden.is_some(), m.author.id))
        .map(|m| m.id)
        .collect();
    let files = app.store.files_of_conversation(conversation.id).await?;
    Ok(files
        .into_iter()
        .filter(|f| matches!(f.attached, Some(AttachedTo::Message(m)) if readable.contains(&m)))
        .collect())
}

/// The files of a story the actor may read.
pub async fn readable_story_files(app: &App, actor: &Actor, story: i64) -> Result<Vec<StoredFile>> {
    let read = crate::value::get(app, actor, story).await?;
    story_files(app, &read).await
}

/// The files of one occurrence's recap, if the actor may see the event.
pub async fn readable_recap_files(
    app: &App,
    actor: &Actor,
    event: copse_core::domain::EventId,
    key: copse_core::clock::Millis,
) -> Result<Vec<StoredFile>> {
    let (_, event) = gate_event(app, actor, event).await?;
    recap_files(app, &event, key).await
}

/// The files of a conversation's messages the actor reads (its people only; reading the list
/// does not mark the conversation read).
pub async fn readable_conversation_files(
    app: &App,
    actor: &Actor,
    conversation: copse_core::domain::ConversationId,
) -> Result<Vec<StoredFile>> {
    let me = actor.account_id().ok_or(Error::NotFound)?;
    let found = app.store.conversation_for(conversation, me).await?;
    let conversation = found.ok_or(Error::NotFound)?;
    let shown = app
        .store
        .messages(conversation.id, crate::conversations::MESSAGES_SHOWN)
        .await?;
    message_files(app, actor, &conversation, &shown).await
}
