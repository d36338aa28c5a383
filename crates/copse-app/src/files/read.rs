//! Who may read a file: whoever may read what it is attached to, asked through that thing's
//! own gate; an upload not attached yet is its owner's alone. Anything else is `NotFound`,
//! the same answer as for a file that never was.

use std::ops::Range;

use copse_core::domain::uploads::{AttachedTo, FileId, StoredFile};
use copse_core::policy::{self, Actor, ThreadAction};
use copse_core::{Error, Result};
use copse_files::Fetched;

use crate::access::{GatedThread, Post, gate_reply, gate_thread};
use crate::app::App;

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
        // A picture is shown wherever its owner's name is.
        Some(AttachedTo::Avatar(_)) => Audience::Public,
    };
    Ok(Readable { file, audience })
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
