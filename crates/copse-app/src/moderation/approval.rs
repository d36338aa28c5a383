//! Holding a new member's first posts for a moderator's approval, where the community asks it:
//! the post is written hidden, waits in the review queue, and `approve` shows it.

use copse_core::Result;
use copse_core::domain::{Account, Role};
use copse_store::Write;

use crate::access::Gated;

/// Whether a new post by `author` waits for a moderator's approval: the community holds its
/// members' first posts, and this author has fewer approved ones than it asks. Leaders,
/// coordinators and site admins never wait.
pub(crate) async fn held_for_approval(
    w: &mut Write,
    gated: &Gated,
    author: &Account,
) -> Result<bool> {
    let wanted = gated.community.moderation.approve_first_posts;
    let trusted = author.is_admin || gated.standing.role.is_some_and(|r| r >= Role::Leader);
    if wanted == 0 || trusted {
        return Ok(false);
    }
    Ok(w.approved_posts(author.id, gated.community.id).await? < wanted)
}
