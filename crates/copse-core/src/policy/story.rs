//! The rules for value stories: who may read one, see its teller, and change it.

use super::actor::{Actor, Decision, Refusal, Standing};
use crate::domain::Role;
use crate::error::{Error, Result};

/// The facts about a value story that the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryFacts {
    pub visibility: crate::domain::value::StoryVisibility,
    /// The actor is in the story's circle (circle stories).
    pub in_circle: bool,
    pub is_author: bool,
    pub anonymous: bool,
    /// Hidden by flags or a moderator: only the teller and the moderators read it.
    pub hidden: bool,
    /// The community lets its leaders moderate (with its coordinators).
    pub leaders_moderate: bool,
    /// The community is archived: the story can be read, not changed.
    pub archived: bool,
}

/// Whether the actor moderates the story's community: site admins, coordinators, and leaders
/// where the community lets them.
fn moderates_story(actor: &Actor, standing: &Standing, story: &StoryFacts) -> bool {
    actor.is_admin()
        || standing.has_role_at_least(Role::Coordinator)
        || (story.leaders_moderate && standing.has_role_at_least(Role::Leader))
}

/// Who may read a value story: its teller; for `community`, the community's members; for
/// `circle`, the circle's members who are still members of the community; for `coordinators`,
/// the coordinators. Site admins read all. Anyone else does not learn it exists. A hidden
/// story is read by its teller and the community's moderators only.
pub fn decide_story(actor: &Actor, standing: &Standing, story: &StoryFacts) -> Decision {
    use crate::domain::value::StoryVisibility as V;
    let member = actor.account_id().is_some() && standing.is_member();
    let is_teller = story.is_author && actor.account_id().is_some();
    if story.hidden && !is_teller && !moderates_story(actor, standing, story) {
        return Decision::Deny(Refusal::Hidden);
    }
    let allowed = actor.is_admin()
        || (story.is_author && actor.account_id().is_some())
        || match story.visibility {
            V::Community => member,
            V::Circle => member && story.in_circle,
            V::Coordinators => standing.has_role_at_least(Role::Coordinator),
        };
    if allowed {
        Decision::Allow
    } else {
        Decision::Deny(Refusal::Hidden)
    }
}

/// Whether the reader may see who told a story: always, unless the teller asked to stay
/// anonymous — then only the teller, coordinators and site admins.
pub fn story_teller_shown(actor: &Actor, standing: &Standing, story: &StoryFacts) -> bool {
    !story.anonymous
        || story.is_author
        || actor.is_admin()
        || standing.has_role_at_least(Role::Coordinator)
}

/// What an actor may try to do with a value story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoryAction {
    Read,
    /// Change what it says: its teller only.
    Edit,
    /// Delete it: its teller, or a coordinator moderating.
    Delete,
    /// "This also happened for me": anyone who may read it but its teller.
    Endorse,
    /// Pin it for the value report: coordinators.
    Pin,
    /// Flag it for the moderators: members who read it, never its teller.
    Flag,
    /// Hide, show again or delete it as a moderator (and decide about its flags).
    Moderate,
}

impl StoryAction {
    pub const ALL: [StoryAction; 7] = [
        StoryAction::Read,
        StoryAction::Edit,
        StoryAction::Delete,
        StoryAction::Endorse,
        StoryAction::Pin,
        StoryAction::Flag,
        StoryAction::Moderate,
    ];
}

/// The rules for acting on a story: first it must be readable ([`decide_story`]; otherwise it
/// is hidden), then the action's own rule.
pub fn decide_story_action(
    actor: &Actor,
    standing: &Standing,
    story: &StoryFacts,
    action: StoryAction,
) -> Decision {
    let read = decide_story(actor, standing, story);
    if !read.allowed() {
        return read;
    }
    if story.archived && action != StoryAction::Read {
        return Decision::Deny(Refusal::Archived);
    }
    let signed_in = actor.account_id().is_some();
    let coordinator = actor.is_admin() || standing.has_role_at_least(Role::Coordinator);
    let allowed = match action {
        StoryAction::Read => true,
        StoryAction::Edit => story.is_author && signed_in,
        StoryAction::Delete => (story.is_author && signed_in) || coordinator,
        StoryAction::Endorse => signed_in && !story.is_author,
        StoryAction::Pin => coordinator,
        // As for threads: members and site admins, never the teller.
        StoryAction::Flag => {
            signed_in && !story.is_author && (standing.is_member() || actor.is_admin())
        }
        StoryAction::Moderate => moderates_story(actor, standing, story),
    };
    if allowed {
        return Decision::Allow;
    }
    Decision::Deny(Refusal::Forbidden(match action {
        StoryAction::Edit => "Only the teller may edit a story.",
        StoryAction::Delete => "Only the teller or a coordinator may delete a story.",
        StoryAction::Endorse => "You cannot endorse your own story.",
        StoryAction::Flag => "Members flag others' stories, not their own.",
        StoryAction::Moderate => "Only the community's moderators can do this.",
        StoryAction::Pin | StoryAction::Read => {
            "Only the community's coordinators can pin stories."
        }
    }))
}

/// [`decide_story_action`], as a `Result` for `?`.
pub fn check_story(
    actor: &Actor,
    standing: &Standing,
    story: &StoryFacts,
    action: StoryAction,
) -> Result<()> {
    match decide_story_action(actor, standing, story, action) {
        Decision::Allow => Ok(()),
        Decision::Deny(r) => Err(r.into()),
    }
}

/// Who may delete a comment on a story they may read: its author, or a coordinator.
pub fn check_delete_comment(actor: &Actor, standing: &Standing, is_author: bool) -> Result<()> {
    if (is_author && actor.account_id().is_some())
        || actor.is_admin()
        || standing.has_role_at_least(Role::Coordinator)
    {
        Ok(())
    } else {
        Err(Error::forbidden(
            "Only its author or a coordinator may delete a comment.",
        ))
    }
}

/// Who may flag a comment on a story they may read: the community's members, never on their
/// own comment.
pub fn check_flag_comment(actor: &Actor, standing: &Standing, is_author: bool) -> Result<()> {
    if actor.account_id().is_none() {
        Err(Error::Unauthenticated)
    } else if is_author {
        Err(Error::forbidden("You cannot flag what you wrote."))
    } else if !standing.is_member() && !actor.is_admin() {
        Err(Error::forbidden("Only the community's members flag here."))
    } else {
        Ok(())
    }
}
