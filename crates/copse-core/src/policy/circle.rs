//! The rules for circles: small invitation-only groups inside a community.

use super::actor::{Actor, Decision, Refusal, Standing, VERIFY_FIRST};
use crate::error::Result;

/// The facts about a circle that the rules read: whether it is listed to the community's
/// members, whether it has ended, and the actor's place in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircleFacts {
    pub listed: bool,
    pub ended: bool,
    /// The actor is in the circle (`Some(true)` as a host).
    pub actor_host: Option<bool>,
    /// The circle's community is archived: what is in it can be read, not changed.
    pub archived: bool,
}

/// What an actor may try to do with a circle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CircleAction {
    /// Know it exists: name, purpose, hosts.
    See,
    /// Read its threads, events and members.
    Read,
    /// Start threads and events, reply.
    Post,
    /// Ask to join (listed circles).
    RequestToJoin,
    /// Invite, admit, remove, edit.
    Manage,
}

impl CircleAction {
    pub const ALL: &'static [CircleAction] = &[
        CircleAction::See,
        CircleAction::Read,
        CircleAction::Post,
        CircleAction::RequestToJoin,
        CircleAction::Manage,
    ];
}

/// The rules for circles. A circle lives inside its community: only the community's members
/// (not observers) take part, and leaving the community ends access to its circles at once. A
/// hidden circle is known only to its members; site admins may see and read every circle (to
/// moderate) but post only where they belong.
pub fn decide_circle(
    actor: &Actor,
    standing: &Standing,
    circle: &CircleFacts,
    action: CircleAction,
) -> Decision {
    use Refusal::*;
    let community_member = actor.account_id().is_some() && standing.is_member();
    let in_circle = community_member && circle.actor_host.is_some();
    let host = community_member && circle.actor_host == Some(true);
    let sees = actor.is_admin() || in_circle || (community_member && circle.listed);
    if !sees {
        return Decision::Deny(Hidden);
    }
    if circle.archived && !matches!(action, CircleAction::See | CircleAction::Read) {
        return Decision::Deny(Archived);
    }
    let deny = |why: &'static str| Decision::Deny(Forbidden(why));
    match action {
        CircleAction::See => Decision::Allow,
        CircleAction::Read if in_circle || actor.is_admin() => Decision::Allow,
        CircleAction::Read => deny("Only the circle's members read what is in it."),
        CircleAction::Post if in_circle && actor.must_verify() => deny(VERIFY_FIRST),
        CircleAction::Post if in_circle && !circle.ended => Decision::Allow,
        CircleAction::Post if in_circle => deny("This circle has ended; its threads stay to read."),
        CircleAction::Post => deny("Only the circle's members post in it."),
        CircleAction::RequestToJoin if in_circle => deny("You are already in this circle."),
        CircleAction::RequestToJoin if circle.ended => deny("This circle has ended."),
        CircleAction::RequestToJoin if community_member && circle.listed => Decision::Allow,
        CircleAction::RequestToJoin => deny("Only members of the community can ask to join."),
        CircleAction::Manage if host || actor.is_admin() => Decision::Allow,
        CircleAction::Manage => deny("Only the circle's hosts can do this."),
    }
}

/// [`decide_circle`], as a `Result` for `?`.
pub fn check_circle(
    actor: &Actor,
    standing: &Standing,
    circle: &CircleFacts,
    action: CircleAction,
) -> Result<()> {
    match decide_circle(actor, standing, circle, action) {
        Decision::Allow => Ok(()),
        Decision::Deny(r) => Err(r.into()),
    }
}
