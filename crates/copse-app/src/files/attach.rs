//! Attaching uploads to the post they were made for, inside the post's own transaction: the
//! post's gate has decided the author may post there, and from now on it decides who reads
//! the files. A file named in the body (`/files/<id>/…`, an embedded image) that its author
//! uploaded is attached too.

use copse_core::domain::uploads::{AttachedTo, FileId, human_size};
use copse_core::domain::{AccountId, CommunityId, ThreadKind};
use copse_core::policy::{Actor, ThreadAction};
use copse_core::{Error, Result};
use copse_store::Write;

use crate::access::gate_thread;
use crate::app::App;

/// At most this many files on one post.
pub const MAX_FILES_PER_POST: usize = 10;

/// The ids a form or JSON body lists; anything that is not an id is refused by name.
pub fn file_ids(raw: &[String]) -> Result<Vec<FileId>> {
    let mut ids: Vec<FileId> = Vec::new();
    for text in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let id = FileId::parse(text)
            .map_err(|_| Error::invalid("files", format!("{text:?} is not a file id")))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    if ids.len() > MAX_FILES_PER_POST {
        return Err(Error::invalid(
            "files",
            format!("at most {MAX_FILES_PER_POST} files on one post"),
        ));
    }
    Ok(ids)
}

/// The ids of files linked in a body: `/files/<32 hex digits>`.
fn linked_in(body: &str) -> Vec<FileId> {
    let mut ids: Vec<FileId> = Vec::new();
    for (at, _) in body.match_indices("/files/") {
        let rest = &body[at + "/files/".len()..];
        if let Some(id) = rest.get(..32).and_then(|s| FileId::parse(s).ok())
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    ids.truncate(MAX_FILES_PER_POST);
    ids
}

/// Attaches `listed` (every one must be the owner's and unattached, else the post is refused)
/// and the owner's unattached files the body links to, counting them in `community`, whose
/// total may not pass its limit.
pub async fn attach(
    app: &App,
    w: &mut Write,
    owner: AccountId,
    listed: &[FileId],
    body: &str,
    to: AttachedTo,
    community: CommunityId,
) -> Result<()> {
    let mut linked = linked_in(body);
    linked.retain(|id| !listed.contains(id));
    if listed.is_empty() && linked.is_empty() {
        return Ok(());
    }
    let mut adding = 0_i64;
    for id in listed.iter().chain(&linked) {
        if let Some(file) = app.store.file(id).await?
            && file.owner == owner
            && file.attached.is_none()
        {
            adding += file.size;
        }
    }
    let (held, _) = app.store.community_files(community).await?;
    let limit = app.config.files.bytes_per_community;
    if (held + adding).max(0) as u64 > limit {
        return Err(Error::TooLarge {
            message: format!(
                "this community's files have reached their limit of {}; a coordinator can remove old ones",
                human_size(limit)
            ),
        });
    }
    let attached = w.attach_files(owner, listed, to, Some(community)).await?;
    if attached < listed.len() {
        return Err(Error::invalid(
            "files",
            "a file is not one you uploaded, or it is attached to another post already",
        ));
    }
    w.attach_files(owner, &linked, to, Some(community)).await?;
    Ok(())
}

/// Adds a new version of a library document: the actor's upload `raw_file`, attached to the
/// resource thread `thread`, listed above the one it replaces (which stays listed). Whoever
/// may edit the thread may.
pub async fn new_version(app: &App, actor: &Actor, thread: i64, raw_file: &str) -> Result<FileId> {
    let gt = gate_thread(app, actor, thread, ThreadAction::Edit).await?;
    if gt.thread.kind != ThreadKind::Resource {
        return Err(Error::invalid(
            "file",
            "only a library resource keeps versions of its document",
        ));
    }
    let owner = actor.account_id().ok_or(Error::Unauthenticated)?;
    let file =
        FileId::parse(raw_file).map_err(|_| Error::invalid("file", "choose a file to upload"))?;
    // The version this one replaces: the thread's own file that no other replaced yet.
    let own: Vec<_> = app
        .store
        .files_of_thread(thread)
        .await?
        .into_iter()
        .filter(|f| f.attached == Some(AttachedTo::Thread(thread)))
        .collect();
    let earlier = own
        .iter()
        .rfind(|f| !own.iter().any(|n| n.supersedes.as_ref() == Some(&f.id)))
        .cloned();
    let mut w = app.store.write().await?;
    let done = async {
        let listed = std::slice::from_ref(&file);
        attach(
            app,
            &mut w,
            owner,
            listed,
            "",
            AttachedTo::Thread(thread),
            gt.thread.community_id,
        )
        .await?;
        if let Some(earlier) = &earlier {
            w.set_supersedes(&file, &earlier.id).await?;
        }
        Ok(())
    }
    .await;
    w.finish(done).await?;
    Ok(file)
}
