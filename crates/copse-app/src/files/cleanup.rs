//! The worker's clean-up of files no one may read any more: uploads never attached within a
//! day, files of deleted posts, replaced pictures. The rows are marked at once (they already
//! read as missing), then the bytes are removed, then the rows.

use copse_core::Result;
use copse_core::clock::DAY;

use crate::app::App;
use crate::files::AVATAR_SIZES;

/// Files removed per round, so one round stays short.
const PER_ROUND: i64 = 200;

/// Removes the bytes and rows of files no one may read; answers how many.
pub async fn remove_unreadable(app: &App) -> Result<usize> {
    let gone = app
        .store
        .files_to_remove(app.now() - DAY, PER_ROUND)
        .await?;
    for id in &gone {
        app.files.delete(&id.object(None)).await?;
        // An avatar's smaller sizes; for other files there is nothing under these names.
        for px in &AVATAR_SIZES[1..] {
            app.files.delete(&id.object(Some(*px))).await?;
        }
        app.store.forget_file(id).await?;
    }
    Ok(gone.len())
}
