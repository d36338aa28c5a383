//! The rules for a community: who may know it, read it, join, post and run it — and the filter
//! that lists and search apply, which must agree with those rules.

use super::actor::{Actor, Decision, Refusal, Standing, VERIFY_FIRST};
use crate::domain::{AccountId, Community, JoinPolicy, Role, Visibility};
use crate::error::{Error, Result};

/// The facts about a community that the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommunityFacts {
    pub visibility: Visibility,
    pub listed: bool,
    pub join_policy: JoinPolicy,
    /// Leaders moderate beside the coordinators.
    pub leaders_moderate: bool,
    /// Archived: read-only until reopened.
    pub archived: bool,
}

impl From<&Community> for CommunityFacts {
    fn from(c: &Community) -> Self {
        CommunityFacts {
            visibility: c.visibility,
            listed: c.listed,
            join_policy: c.join_policy,
            leaders_moderate: c.moderation.leaders_moderate,
            archived: c.archived.is_some(),
        }
    }
}

/// What an actor may try to do with a community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommunityAction {
    /// Know it exists: its name, domain statement and stage, in the directory or on its page.
    SeeListing,
    /// Read its public spaces (and, for private communities, anything beyond the listing).
    ReadPublic,
    /// Read its members-only spaces.
    ReadMembersOnly,
    /// See who belongs: the member list with roles and organisations.
    SeeMembers,
    /// Read the history of the domain statement and of the stage.
    SeeHistory,
    /// Become a member at once (open communities).
    Join,
    /// Ask to become a member (approval communities).
    RequestToJoin,
    /// Follow as an observer without joining (public communities).
    Follow,
    /// Stop being a member or observer.
    Leave,
    /// Change settings, the domain statement, the stage.
    Edit,
    /// Invite people by handle or e-mail.
    Invite,
    /// Approve or decline join requests.
    ReviewRequests,
    /// Change members' roles, remove members.
    ManageMembers,
    /// Start a thread (discussion, question, resource) or reply.
    Post,
    /// Post an announcement.
    Announce,
    /// Curate the library: mark threads canonical.
    Curate,
    /// Create and change the community's topics.
    ManageTopics,
    /// Answer an event's occurrence (RSVP): members and observers.
    Answer,
    /// Follow topics (new threads in them are notified): members and observers.
    FollowTopics,
    /// Answer the community's check-ins: members and site admins, as for posting (a silence
    /// stops it too).
    AnswerCheckins,
    /// Invite someone as leader or coordinator: coordinators.
    InviteLeaders,
    /// See the participation view (levels, health): members.
    SeeParticipation,
    /// See the people worth meeting: members.
    SeePeopleToMeet,
    /// Review flags, hide, pin, lock, delete others' posts, silence: the moderators
    /// (coordinators, leaders where the community lets them, site admins).
    Moderate,
    /// Read the moderation log: members.
    SeeModerationLog,
    /// Archive the community or reopen it: coordinators (and site admins).
    Archive,
    /// Merge the community into another, or another into it: coordinators (and site admins);
    /// a merge needs it of both communities.
    Merge,
    /// Split chosen topics off into a new community: coordinators (and site admins).
    Split,
    /// Export the community as an archive of what the exporter may read: coordinators (and
    /// site admins); an archived community may still be exported.
    Export,
}

impl CommunityAction {
    /// Whether the action puts words in front of others (a thread, a reply, an announcement,
    /// a check-in answer): what an account with an unverified address may not do yet.
    pub fn publishes(self) -> bool {
        matches!(
            self,
            CommunityAction::Post | CommunityAction::Announce | CommunityAction::AnswerCheckins
        )
    }

    /// Whether the action changes the community or what is in it: what an archived community
    /// refuses. Reading, leaving and archiving itself (reopening) stay open.
    pub fn writes(self) -> bool {
        use CommunityAction::*;
        !matches!(
            self,
            SeeListing
                | ReadPublic
                | ReadMembersOnly
                | SeeMembers
                | SeeHistory
                | Leave
                | SeeParticipation
                | SeePeopleToMeet
                | SeeModerationLog
                | Archive
                | Export
        )
    }

    pub const ALL: &'static [CommunityAction] = &[
        CommunityAction::SeeListing,
        CommunityAction::ReadPublic,
        CommunityAction::ReadMembersOnly,
        CommunityAction::SeeMembers,
        CommunityAction::SeeHistory,
        CommunityAction::Join,
        CommunityAction::RequestToJoin,
        CommunityAction::Follow,
        CommunityAction::Leave,
        CommunityAction::Edit,
        CommunityAction::Invite,
        CommunityAction::ReviewRequests,
        CommunityAction::ManageMembers,
        CommunityAction::Post,
        CommunityAction::Announce,
        CommunityAction::Curate,
        CommunityAction::ManageTopics,
        CommunityAction::Answer,
        CommunityAction::FollowTopics,
        CommunityAction::AnswerCheckins,
        CommunityAction::InviteLeaders,
        CommunityAction::SeeParticipation,
        CommunityAction::SeePeopleToMeet,
        CommunityAction::Moderate,
        CommunityAction::SeeModerationLog,
        CommunityAction::Archive,
        CommunityAction::Merge,
        CommunityAction::Split,
        CommunityAction::Export,
    ];
}

fn can_see_listing(actor: &Actor, standing: &Standing, c: &CommunityFacts) -> bool {
    actor.is_admin()
        || c.visibility == Visibility::Public
        || c.listed
        || standing.is_member()
        || standing.invited
}

fn can_read_public(actor: &Actor, standing: &Standing, c: &CommunityFacts) -> bool {
    actor.is_admin() || c.visibility == Visibility::Public || standing.is_member()
}

/// Whether the actor moderates the community: site admins, its coordinators, and its leaders
/// where the community lets leaders moderate.
pub fn moderates(actor: &Actor, standing: &Standing, c: &CommunityFacts) -> bool {
    actor.is_admin()
        || standing.has_role_at_least(Role::Coordinator)
        || (c.leaders_moderate && standing.has_role_at_least(Role::Leader))
}

/// Who reads what flags or a moderator hid (a comment, a message): its author, and the
/// moderators when they read that place at all (`moderator`). Everyone else sees that it is
/// hidden, not what it says.
pub fn reads_hidden(actor: &Actor, author: crate::domain::AccountId, moderator: bool) -> bool {
    moderator || actor.account_id() == Some(author)
}

/// Allowed when `ok`; otherwise a visitor is asked to sign in and an account is told `why`.
pub(super) fn allow_if(ok: bool, actor: &Actor, why: &'static str) -> Decision {
    if ok {
        Decision::Allow
    } else if actor.account_id().is_none() {
        Decision::Deny(Refusal::SignIn)
    } else {
        Decision::Deny(Refusal::Forbidden(why))
    }
}

/// The rule table. Read it top to bottom: visibility first, then sign-in, then role.
pub fn decide(
    actor: &Actor,
    standing: &Standing,
    community: &CommunityFacts,
    action: CommunityAction,
) -> Decision {
    use CommunityAction::*;
    // Whoever holds a role may always give it up, even where the community has since become
    // hidden to them (an observer of a community that turned private and unlisted).
    if action == Leave && actor.account_id().is_some() && standing.role.is_some() {
        return Decision::Allow;
    }
    if !can_see_listing(actor, standing, community) {
        return Decision::Deny(Refusal::Hidden);
    }
    if community.archived && action.writes() {
        return Decision::Deny(Refusal::Archived);
    }
    if action.publishes() && actor.must_verify() {
        return Decision::Deny(Refusal::Forbidden(VERIFY_FIRST));
    }
    if action.publishes()
        && !actor.is_admin()
        && let Some(until) = standing.silenced_until
    {
        return Decision::Deny(Refusal::Silenced { until });
    }
    match action {
        Moderate => allow_if(
            moderates(actor, standing, community),
            actor,
            "Only the community's moderators can do this.",
        ),
        SeeModerationLog => allow_if(
            actor.is_admin() || standing.is_member(),
            actor,
            "The moderation log is for the community's members.",
        ),
        SeeListing | ReadPublic | SeeHistory | ReadMembersOnly | SeeMembers => {
            reading(actor, standing, community, action)
        }
        Join | RequestToJoin | Follow | Leave => joining(actor, community, action),
        Edit | ReviewRequests | ManageMembers | InviteLeaders | ManageTopics | Invite
        | Announce | Curate | Archive | Merge | Split | Export => running(actor, standing, action),
        Post | Answer | FollowTopics | AnswerCheckins | SeeParticipation | SeePeopleToMeet => {
            taking_part(actor, standing, action)
        }
    }
}

/// Knowing and reading: public spaces for whoever may read the community, members' spaces and
/// the member list for members (the list also for signed-in visitors of public communities).
fn reading(
    actor: &Actor,
    standing: &Standing,
    community: &CommunityFacts,
    action: CommunityAction,
) -> Decision {
    use CommunityAction::*;
    let member = actor.is_admin() || standing.is_member();
    match action {
        ReadPublic | SeeHistory => {
            if can_read_public(actor, standing, community) {
                Decision::Allow
            } else {
                Decision::Deny(Refusal::Forbidden(
                    "Only members can read this private community.",
                ))
            }
        }
        ReadMembersOnly => allow_if(member, actor, "Only members can read this space."),
        SeeMembers => allow_if(
            member || (actor.account_id().is_some() && community.visibility == Visibility::Public),
            actor,
            "Only members can see who belongs to this community.",
        ),
        _ => Decision::Allow,
    }
}

/// Coming in and going: by the community's join policy; following for public communities.
fn joining(actor: &Actor, community: &CommunityFacts, action: CommunityAction) -> Decision {
    use CommunityAction::*;
    let forbidden = |why| Decision::Deny(Refusal::Forbidden(why));
    if actor.account_id().is_none() {
        return Decision::Deny(Refusal::SignIn);
    }
    let by_invitation = "This community admits members by invitation.";
    match (action, community.join_policy) {
        (Join, JoinPolicy::Open) => Decision::Allow,
        (Join, _) if actor.is_admin() => Decision::Allow,
        (Join, JoinPolicy::Approval) => {
            forbidden("This community admits members on approval: send a request to join.")
        }
        (Join | RequestToJoin, JoinPolicy::Invitation) => forbidden(by_invitation),
        (RequestToJoin, JoinPolicy::Approval) => Decision::Allow,
        (RequestToJoin, JoinPolicy::Open) => forbidden("This community is open: join it directly."),
        (Follow, _) if community.visibility != Visibility::Public => {
            forbidden("Only public communities can be followed.")
        }
        _ => Decision::Allow,
    }
}

/// Running the community: coordinators for its settings, members and topics; leaders too for
/// inviting, announcing and curating the library.
fn running(actor: &Actor, standing: &Standing, action: CommunityAction) -> Decision {
    use CommunityAction::*;
    let at_least = |role| actor.is_admin() || standing.has_role_at_least(role);
    match action {
        Edit | ReviewRequests | ManageMembers | Archive | Merge | Split | Export => allow_if(
            at_least(Role::Coordinator),
            actor,
            "Only the community's coordinators can do this.",
        ),
        InviteLeaders => allow_if(
            at_least(Role::Coordinator),
            actor,
            "Only coordinators can invite someone as leader or coordinator.",
        ),
        ManageTopics => allow_if(
            at_least(Role::Coordinator),
            actor,
            "Only the community's coordinators can manage topics.",
        ),
        Invite => allow_if(
            at_least(Role::Leader),
            actor,
            "Only coordinators and leaders can invite.",
        ),
        _ => allow_if(
            at_least(Role::Leader),
            actor,
            "Only coordinators and leaders can do this.",
        ),
    }
}

/// Taking part: members post, answer check-ins and see participation (site admins too);
/// members and observers answer events and follow topics; people to meet is for members.
fn taking_part(actor: &Actor, standing: &Standing, action: CommunityAction) -> Decision {
    use CommunityAction::*;
    let member = standing.is_member();
    let admin = actor.is_admin();
    let in_it = standing.role.is_some();
    match action {
        Post => allow_if(
            admin || member,
            actor,
            "Join the community to post and reply.",
        ),
        AnswerCheckins => allow_if(admin || member, actor, "Only members answer check-ins."),
        SeeParticipation => allow_if(
            admin || member,
            actor,
            "Participation is for the community's members.",
        ),
        SeePeopleToMeet => allow_if(
            member,
            actor,
            "People to meet is for the community's members.",
        ),
        Answer => allow_if(in_it, actor, "Join or follow the community to answer."),
        _ => allow_if(
            in_it,
            actor,
            "Join or follow the community to follow its topics.",
        ),
    }
}

/// [`decide`], as a `Result` for `?`.
pub fn check(
    actor: &Actor,
    standing: &Standing,
    community: &CommunityFacts,
    action: CommunityAction,
) -> Result<()> {
    match decide(actor, standing, community, action) {
        Decision::Allow => Ok(()),
        Decision::Deny(r) => Err(r.into()),
    }
}

/// May the actor see other people's profiles (name, organisation, bio, expertise)? Profiles are
/// for the people of copse, not for the open web; e-mail addresses are never shown to others.
pub fn may_view_profiles(actor: &Actor) -> bool {
    actor.account_id().is_some()
}

/// May the actor create a community? Any signed-in account may start one.
pub fn may_create_community(actor: &Actor) -> Result<()> {
    may_publish(actor)
}

/// May the actor publish anything of their own — start a community or a conversation, ask to
/// connect? Signed-in accounts may, once their address is verified where the site asks for it.
pub fn may_publish(actor: &Actor) -> Result<()> {
    match actor {
        Actor::Anonymous => Err(Error::Unauthenticated),
        _ if actor.must_verify() => Err(Error::forbidden(VERIFY_FIRST)),
        Actor::Account { .. } => Ok(()),
    }
}

/// Which communities a list or search may return for an actor: the SQL form of
/// `decide(.., SeeListing)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommunityFilter {
    /// Site admins see every community.
    All,
    /// Public and listed communities, plus those the account belongs to or is invited to.
    Visible { account: Option<AccountId> },
}

pub fn community_filter(actor: &Actor) -> CommunityFilter {
    if actor.is_admin() {
        CommunityFilter::All
    } else {
        CommunityFilter::Visible {
            account: actor.account_id(),
        }
    }
}

impl CommunityFilter {
    /// The filter evaluated in memory; must agree with what the store's SQL returns.
    pub fn admits(&self, standing: &Standing, c: &CommunityFacts) -> bool {
        match self {
            CommunityFilter::All => true,
            CommunityFilter::Visible { account } => {
                c.visibility == Visibility::Public
                    || c.listed
                    || (account.is_some() && (standing.is_member() || standing.invited))
            }
        }
    }
}
