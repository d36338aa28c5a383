//! The files a list's messages carried, kept with the threads and replies they became. They go
//! through the same checks as an upload (known kinds only, sizes, images re-encoded); one that
//! fails them is left out and counted. They are kept after the batch that wrote their posts has
//! committed, each post's in a short transaction of its own, so the batch never waits on files.

use bytes::Bytes;
use copse_core::domain::uploads::AttachedTo;
use copse_core::domain::{AccountId, CommunityId};
use copse_core::{Error, Result};

use crate::app::App;

/// A written post and the files to attach to it.
pub(super) struct Pending<'m> {
    pub owner: AccountId,
    pub to: AttachedTo,
    pub files: &'m [(String, Vec<u8>)],
}

/// Keeps and attaches the files; answers how many were kept and how many refused.
pub(super) async fn keep(
    state: &App,
    community: CommunityId,
    pending: &[Pending<'_>],
) -> Result<(usize, usize)> {
    let (mut kept, mut refused) = (0, 0);
    for post in pending {
        let mut ids = Vec::new();
        for (name, bytes) in post.files {
            let bytes = Bytes::copy_from_slice(bytes);
            match crate::files::keep_imported(state, post.owner, name, bytes).await {
                Ok(file) => ids.push(file.id),
                Err(e @ Error::Internal(_)) => return Err(e),
                Err(_) => refused += 1,
            }
        }
        if ids.is_empty() {
            continue;
        }
        let mut w = state.store.write().await?;
        let attached = w
            .attach_files(post.owner, &ids, post.to, Some(community))
            .await;
        w.finish(attached).await?;
        kept += ids.len();
    }
    Ok((kept, refused))
}
