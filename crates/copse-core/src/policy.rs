//! The one access policy. Every surface — page, JSON API, list, search, feed, e-mail — asks this
//! module, and nothing else, whether an actor may do something to a thing.
//!
//! Two kinds of answer come from the same rules:
//! - [`decide`] / [`check`] for a single object ("may Ada edit this community?");
//! - [`community_filter`] for lists and search ("which communities may Ada see?"), which the store
//!   turns into a SQL `WHERE` clause. [`CommunityFilter::admits`] evaluates the same filter in
//!   memory, and tests check that it always agrees with `decide(.., SeeListing)`.
//!
//! A refused read of something the actor may not know exists is answered as
//! [`Error::NotFound`], exactly as if it did not exist.

use crate::domain::{AccountId, Community, JoinPolicy, Role, Space, ThreadKind, Visibility};
use crate::error::{Error, Result};

/// Who is asking. Suspended accounts never become an `Actor::Account`: the sign-in layer refuses
/// their sessions and tokens, so they are anonymous to the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    Account { id: AccountId, is_admin: bool },
}

impl Actor {
    pub fn account_id(&self) -> Option<AccountId> {
        match self {
            Actor::Anonymous => None,
            Actor::Account { id, .. } => Some(*id),
        }
    }

    fn is_admin(&self) -> bool {
        matches!(self, Actor::Account { is_admin: true, .. })
    }
}

/// The actor's relation to one community, as the store reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    /// `Some(Observer)` for followers, another role for members, `None` for outsiders.
    pub role: Option<Role>,
    /// The actor holds a pending invitation to this community.
    pub invited: bool,
}

impl Standing {
    fn is_member(&self) -> bool {
        self.role.is_some_and(Role::is_member)
    }

    fn has_role_at_least(&self, role: Role) -> bool {
        self.role.is_some_and(|r| r.is_member() && r >= role)
    }
}

/// The facts about a community that the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommunityFacts {
    pub visibility: Visibility,
    pub listed: bool,
    pub join_policy: JoinPolicy,
}

impl From<&Community> for CommunityFacts {
    fn from(c: &Community) -> Self {
        CommunityFacts {
            visibility: c.visibility,
            listed: c.listed,
            join_policy: c.join_policy,
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
}

impl CommunityAction {
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
    ];
}

/// Why an action was refused; maps one-to-one onto [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The actor may not know the thing exists.
    Hidden,
    /// The actor must sign in first.
    SignIn,
    /// The actor sees the thing but may not do this; the text says why.
    Forbidden(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(Refusal),
}

impl Decision {
    pub fn allowed(self) -> bool {
        self == Decision::Allow
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Hidden => Error::NotFound,
            Refusal::SignIn => Error::Unauthenticated,
            Refusal::Forbidden(why) => Error::Forbidden(why.to_string()),
        }
    }
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

/// The rule table. Read it top to bottom: visibility first, then sign-in, then role.
pub fn decide(
    actor: &Actor,
    standing: &Standing,
    community: &CommunityFacts,
    action: CommunityAction,
) -> Decision {
    use CommunityAction::*;
    use Decision::Allow;
    use Refusal::*;

    let signed_in = actor.account_id().is_some();
    // Whoever holds a role may always give it up, even where the community has since become
    // hidden to them (an observer of a community that turned private and unlisted).
    if action == Leave && signed_in && standing.role.is_some() {
        return Allow;
    }
    if !can_see_listing(actor, standing, community) {
        return Decision::Deny(Hidden);
    }
    let admin = actor.is_admin();
    let deny = Decision::Deny;
    match action {
        SeeListing => Allow,
        ReadPublic | SeeHistory => {
            if can_read_public(actor, standing, community) {
                Allow
            } else {
                deny(Forbidden("Only members can read this private community."))
            }
        }
        ReadMembersOnly => {
            if admin || standing.is_member() {
                Allow
            } else if !signed_in {
                deny(SignIn)
            } else {
                deny(Forbidden("Only members can read this space."))
            }
        }
        SeeMembers => {
            if admin || standing.is_member() {
                Allow
            } else if !signed_in {
                deny(SignIn)
            } else if community.visibility == Visibility::Public {
                Allow
            } else {
                deny(Forbidden(
                    "Only members can see who belongs to this community.",
                ))
            }
        }
        Join | RequestToJoin | Follow | Leave if !signed_in => deny(SignIn),
        Join => match community.join_policy {
            JoinPolicy::Open => Allow,
            _ if admin => Allow,
            JoinPolicy::Approval => deny(Forbidden(
                "This community admits members on approval: send a request to join.",
            )),
            JoinPolicy::Invitation => {
                deny(Forbidden("This community admits members by invitation."))
            }
        },
        RequestToJoin => match community.join_policy {
            JoinPolicy::Approval => Allow,
            JoinPolicy::Open => deny(Forbidden("This community is open: join it directly.")),
            JoinPolicy::Invitation => {
                deny(Forbidden("This community admits members by invitation."))
            }
        },
        Follow => {
            if community.visibility == Visibility::Public {
                Allow
            } else {
                deny(Forbidden("Only public communities can be followed."))
            }
        }
        Leave => Allow,
        Edit | ReviewRequests | ManageMembers => {
            if admin || standing.has_role_at_least(Role::Coordinator) {
                Allow
            } else if !signed_in {
                deny(SignIn)
            } else {
                deny(Forbidden("Only the community's coordinators can do this."))
            }
        }
        Invite => {
            if admin || standing.has_role_at_least(Role::Leader) {
                Allow
            } else if !signed_in {
                deny(SignIn)
            } else {
                deny(Forbidden("Only coordinators and leaders can invite."))
            }
        }
        Post => {
            if admin || standing.is_member() {
                Allow
            } else if !signed_in {
                deny(SignIn)
            } else {
                deny(Forbidden("Join the community to post and reply."))
            }
        }
        Announce | Curate => {
            if admin || standing.has_role_at_least(Role::Leader) {
                Allow
            } else if !signed_in {
                deny(SignIn)
            } else {
                deny(Forbidden("Only coordinators and leaders can do this."))
            }
        }
        ManageTopics => {
            if admin || standing.has_role_at_least(Role::Coordinator) {
                Allow
            } else if !signed_in {
                deny(SignIn)
            } else {
                deny(Forbidden(
                    "Only the community's coordinators can manage topics.",
                ))
            }
        }
    }
}

/// The facts about a thread (or, for reply actions, a reply in it) that the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadFacts {
    pub space: Space,
    pub kind: ThreadKind,
    /// The author of the thread — or of the reply, for `Edit` and `Delete` of a reply.
    pub author: AccountId,
    /// For circle and direct spaces: the actor belongs to the circle or conversation.
    pub private_member: bool,
}

/// What an actor may try to do with a thread or one of its replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThreadAction {
    Read,
    Reply,
    /// Edit the thread or reply (its author, or a coordinator).
    Edit,
    /// Delete it softly (its author, or a coordinator).
    Delete,
    /// Accept a reply as the answer (the asker, or a coordinator).
    Accept,
    MarkHelpful,
    /// Mark canonical for the library.
    Curate,
}

impl ThreadAction {
    pub const ALL: &'static [ThreadAction] = &[
        ThreadAction::Read,
        ThreadAction::Reply,
        ThreadAction::Edit,
        ThreadAction::Delete,
        ThreadAction::Accept,
        ThreadAction::MarkHelpful,
        ThreadAction::Curate,
    ];
}

/// The rules for a thread: whoever may not read its space may not know it exists.
pub fn decide_thread(
    actor: &Actor,
    standing: &Standing,
    community: &CommunityFacts,
    thread: &ThreadFacts,
    action: ThreadAction,
) -> Decision {
    if !thread_filter(actor).admits(standing, community, thread.space, thread.private_member) {
        return Decision::Deny(Refusal::Hidden);
    }
    // Site admins may moderate circles, but post only where they belong.
    if matches!(thread.space, Space::Circle | Space::Direct)
        && !thread.private_member
        && action != ThreadAction::Read
        && action != ThreadAction::Delete
    {
        return Decision::Deny(Refusal::Forbidden(
            "Only the circle's members take part here.",
        ));
    }
    let is_author = actor.account_id() == Some(thread.author) && standing.is_member();
    let coordinator = actor.is_admin() || standing.has_role_at_least(Role::Coordinator);
    match action {
        ThreadAction::Read => Decision::Allow,
        ThreadAction::Reply | ThreadAction::MarkHelpful => {
            decide(actor, standing, community, CommunityAction::Post)
        }
        ThreadAction::Curate => decide(actor, standing, community, CommunityAction::Curate),
        ThreadAction::Edit | ThreadAction::Delete => {
            if is_author || coordinator {
                Decision::Allow
            } else if actor.account_id().is_none() {
                Decision::Deny(Refusal::SignIn)
            } else {
                Decision::Deny(Refusal::Forbidden(
                    "Only the author or a coordinator can change this.",
                ))
            }
        }
        ThreadAction::Accept => {
            if thread.kind != ThreadKind::Question {
                Decision::Deny(Refusal::Forbidden(
                    "Only questions have an accepted answer.",
                ))
            } else if is_author || coordinator {
                Decision::Allow
            } else if actor.account_id().is_none() {
                Decision::Deny(Refusal::SignIn)
            } else {
                Decision::Deny(Refusal::Forbidden(
                    "Only the person who asked, or a coordinator, can accept an answer.",
                ))
            }
        }
    }
}

/// [`decide_thread`], as a `Result` for `?`.
pub fn check_thread(
    actor: &Actor,
    standing: &Standing,
    community: &CommunityFacts,
    thread: &ThreadFacts,
    action: ThreadAction,
) -> Result<()> {
    match decide_thread(actor, standing, community, thread, action) {
        Decision::Allow => Ok(()),
        Decision::Deny(r) => Err(r.into()),
    }
}

/// Which threads a list or search may return: the SQL form of `decide_thread(.., Read)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadFilter {
    All,
    /// Public-space threads of public communities, plus every thread of the communities the
    /// account is a member of.
    Visible {
        account: Option<AccountId>,
    },
}

pub fn thread_filter(actor: &Actor) -> ThreadFilter {
    if actor.is_admin() {
        ThreadFilter::All
    } else {
        ThreadFilter::Visible {
            account: actor.account_id(),
        }
    }
}

impl ThreadFilter {
    /// The filter evaluated in memory; must agree with the store's SQL. `private_member`: the
    /// reader belongs to the thing's circle or conversation.
    ///
    /// Circles are for their members while they are members of the community; site admins see
    /// them too, to moderate. Direct conversations are for their people only — admins included.
    pub fn admits(
        &self,
        standing: &Standing,
        c: &CommunityFacts,
        space: Space,
        private_member: bool,
    ) -> bool {
        let member =
            matches!(self, ThreadFilter::Visible { account: Some(_) }) && standing.is_member();
        match (self, space) {
            (_, Space::Direct) => {
                private_member && !matches!(self, ThreadFilter::Visible { account: None })
            }
            (ThreadFilter::All, _) => true,
            (ThreadFilter::Visible { .. }, Space::Public) => {
                c.visibility == Visibility::Public || member
            }
            (ThreadFilter::Visible { .. }, Space::Members) => member,
            (ThreadFilter::Visible { .. }, Space::Circle) => member && private_member,
        }
    }
}

/// The facts about a circle that the rules read: whether it is listed to the community's
/// members, whether it has ended, and the actor's place in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CircleFacts {
    pub listed: bool,
    pub ended: bool,
    /// The actor is in the circle (`Some(true)` as a host).
    pub actor_host: Option<bool>,
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
    let deny = |why: &'static str| Decision::Deny(Forbidden(why));
    match action {
        CircleAction::See => Decision::Allow,
        CircleAction::Read if in_circle || actor.is_admin() => Decision::Allow,
        CircleAction::Read => deny("Only the circle's members read what is in it."),
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

/// The facts about a value story that the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoryFacts {
    pub visibility: crate::domain::value::StoryVisibility,
    /// The actor is in the story's circle (circle stories).
    pub in_circle: bool,
    pub is_author: bool,
    pub anonymous: bool,
}

/// Who may read a value story: its teller; for `community`, the community's members; for
/// `circle`, the circle's members who are still members of the community; for `coordinators`,
/// the coordinators. Site admins read all. Anyone else does not learn it exists.
pub fn decide_story(actor: &Actor, standing: &Standing, story: &StoryFacts) -> Decision {
    use crate::domain::value::StoryVisibility as V;
    let member = actor.account_id().is_some() && standing.is_member();
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
    match actor {
        Actor::Anonymous => Err(Error::Unauthenticated),
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

#[cfg(test)]
mod tests {
    use super::*;
    use CommunityAction::*;

    const ADA: AccountId = 1;

    fn facts(visibility: Visibility, listed: bool, join_policy: JoinPolicy) -> CommunityFacts {
        CommunityFacts {
            visibility,
            listed,
            join_policy,
        }
    }

    fn account() -> Actor {
        Actor::Account {
            id: ADA,
            is_admin: false,
        }
    }

    fn with_role(role: Role) -> Standing {
        Standing {
            role: Some(role),
            invited: false,
        }
    }

    fn allowed(actor: Actor, standing: Standing, c: CommunityFacts) -> Vec<CommunityAction> {
        CommunityAction::ALL
            .iter()
            .copied()
            .filter(|a| decide(&actor, &standing, &c, *a).allowed())
            .collect()
    }

    #[test]
    fn anonymous_reads_public_communities_only() {
        let public = facts(Visibility::Public, true, JoinPolicy::Open);
        assert_eq!(
            allowed(Actor::Anonymous, Standing::default(), public),
            vec![SeeListing, ReadPublic, SeeHistory]
        );
        let listed = facts(Visibility::Private, true, JoinPolicy::Approval);
        assert_eq!(
            allowed(Actor::Anonymous, Standing::default(), listed),
            vec![SeeListing]
        );
        let unlisted = facts(Visibility::Private, false, JoinPolicy::Invitation);
        assert_eq!(
            allowed(Actor::Anonymous, Standing::default(), unlisted),
            vec![]
        );
        assert_eq!(
            decide(
                &Actor::Anonymous,
                &Standing::default(),
                &unlisted,
                SeeListing
            ),
            Decision::Deny(Refusal::Hidden)
        );
        assert_eq!(
            decide(&Actor::Anonymous, &Standing::default(), &public, Join),
            Decision::Deny(Refusal::SignIn)
        );
    }

    #[test]
    fn signed_in_outsider_may_join_request_or_follow_per_policy() {
        let none = Standing::default();
        let open = facts(Visibility::Public, true, JoinPolicy::Open);
        assert_eq!(
            allowed(account(), none, open),
            vec![
                SeeListing, ReadPublic, SeeMembers, SeeHistory, Join, Follow, Leave
            ]
        );
        let approval = facts(Visibility::Public, true, JoinPolicy::Approval);
        assert!(decide(&account(), &none, &approval, RequestToJoin).allowed());
        assert!(!decide(&account(), &none, &approval, Join).allowed());
        let private = facts(Visibility::Private, true, JoinPolicy::Approval);
        assert_eq!(
            allowed(account(), none, private),
            vec![SeeListing, RequestToJoin, Leave]
        );
        let invitation = facts(Visibility::Private, false, JoinPolicy::Invitation);
        assert_eq!(
            decide(&account(), &none, &invitation, Join),
            Decision::Deny(Refusal::Hidden)
        );
        let invited = Standing {
            role: None,
            invited: true,
        };
        assert!(decide(&account(), &invited, &invitation, SeeListing).allowed());
        assert!(!decide(&account(), &invited, &invitation, ReadPublic).allowed());
    }

    #[test]
    fn observers_are_not_members() {
        let private = facts(Visibility::Private, false, JoinPolicy::Approval);
        assert_eq!(
            decide(&account(), &with_role(Role::Observer), &private, SeeListing),
            Decision::Deny(Refusal::Hidden)
        );
        let public = facts(Visibility::Public, true, JoinPolicy::Open);
        assert!(
            !decide(
                &account(),
                &with_role(Role::Observer),
                &public,
                ReadMembersOnly
            )
            .allowed()
        );
    }

    #[test]
    fn roles_unlock_management_in_order() {
        let c = facts(Visibility::Private, false, JoinPolicy::Invitation);
        let member = allowed(account(), with_role(Role::Member), c);
        assert!(member.contains(&ReadMembersOnly) && member.contains(&SeeMembers));
        assert!(!member.contains(&Invite) && !member.contains(&Edit));
        let leader = allowed(account(), with_role(Role::Leader), c);
        assert!(leader.contains(&Invite) && !leader.contains(&ManageMembers));
        let coordinator = allowed(account(), with_role(Role::Coordinator), c);
        for a in [Edit, Invite, ReviewRequests, ManageMembers] {
            assert!(coordinator.contains(&a), "{a:?}");
        }
        let admin = Actor::Account {
            id: 9,
            is_admin: true,
        };
        assert_eq!(
            allowed(admin, Standing::default(), c).len(),
            CommunityAction::ALL.len() - 2
        );
    }

    #[test]
    fn members_threads_are_hidden_from_outsiders_and_observers() {
        let public = facts(Visibility::Public, true, JoinPolicy::Open);
        let thread = |space| ThreadFacts {
            space,
            kind: ThreadKind::Question,
            author: 7,
            private_member: false,
        };
        let observer = with_role(Role::Observer);
        assert!(
            decide_thread(
                &account(),
                &observer,
                &public,
                &thread(Space::Public),
                ThreadAction::Read
            )
            .allowed()
        );
        assert_eq!(
            decide_thread(
                &account(),
                &observer,
                &public,
                &thread(Space::Public),
                ThreadAction::Reply
            ),
            Decision::Deny(Refusal::Forbidden("Join the community to post and reply."))
        );
        for actor_standing in [Standing::default(), observer] {
            assert_eq!(
                decide_thread(
                    &account(),
                    &actor_standing,
                    &public,
                    &thread(Space::Members),
                    ThreadAction::Read
                ),
                Decision::Deny(Refusal::Hidden)
            );
        }
        assert_eq!(
            decide_thread(
                &Actor::Anonymous,
                &Standing::default(),
                &public,
                &thread(Space::Members),
                ThreadAction::Read
            ),
            Decision::Deny(Refusal::Hidden)
        );
    }

    #[test]
    fn circles_are_for_their_members_and_hidden_ones_unknown_to_others() {
        let member = with_role(Role::Member);
        let coordinator = with_role(Role::Coordinator);
        let observer = with_role(Role::Observer);
        let admin = Actor::Account {
            id: 2,
            is_admin: true,
        };
        let circle = |listed, role: Option<bool>| CircleFacts {
            listed,
            ended: false,
            actor_host: role,
        };
        use CircleAction::*;
        // Hidden: only its members know it exists; a coordinator who is not in it does not.
        for (standing, c) in [
            (&coordinator, circle(false, None)),
            (&member, circle(false, None)),
            (&observer, circle(false, Some(false))),
        ] {
            for action in CircleAction::ALL {
                assert_eq!(
                    decide_circle(&account(), standing, &c, *action),
                    Decision::Deny(Refusal::Hidden)
                );
            }
        }
        // Listed: members see it and may ask; only its people read; hosts manage.
        assert!(decide_circle(&account(), &member, &circle(true, None), See).allowed());
        assert!(decide_circle(&account(), &member, &circle(true, None), RequestToJoin).allowed());
        assert!(!decide_circle(&account(), &member, &circle(true, None), Read).allowed());
        assert!(decide_circle(&account(), &member, &circle(true, Some(false)), Post).allowed());
        assert!(!decide_circle(&account(), &member, &circle(true, Some(false)), Manage).allowed());
        assert!(decide_circle(&account(), &member, &circle(false, Some(true)), Manage).allowed());
        let ended = CircleFacts {
            listed: true,
            ended: true,
            actor_host: Some(false),
        };
        assert!(decide_circle(&account(), &member, &ended, Read).allowed());
        assert!(!decide_circle(&account(), &member, &ended, Post).allowed());
        // Leaving the community ends access to its circles.
        let gone = Standing {
            role: None,
            invited: false,
        };
        assert_eq!(
            decide_circle(&account(), &gone, &circle(false, Some(true)), Read),
            Decision::Deny(Refusal::Hidden)
        );
        // Site admins moderate: they read, but do not post where they do not belong.
        assert!(decide_circle(&admin, &gone, &circle(false, None), Read).allowed());
        assert!(!decide_circle(&admin, &gone, &circle(false, None), Post).allowed());
        // Threads in circles and direct spaces follow the same line; direct ones even for admins.
        let c = facts(Visibility::Public, true, JoinPolicy::Open);
        let t = |space, private_member| ThreadFacts {
            space,
            kind: ThreadKind::Discussion,
            author: 9,
            private_member,
        };
        assert!(
            decide_thread(
                &account(),
                &member,
                &c,
                &t(Space::Circle, true),
                ThreadAction::Read
            )
            .allowed()
        );
        assert!(
            !decide_thread(
                &account(),
                &coordinator,
                &c,
                &t(Space::Circle, false),
                ThreadAction::Read
            )
            .allowed()
        );
        assert!(
            decide_thread(
                &admin,
                &gone,
                &c,
                &t(Space::Circle, false),
                ThreadAction::Read
            )
            .allowed()
        );
        assert!(
            !decide_thread(
                &admin,
                &gone,
                &c,
                &t(Space::Circle, false),
                ThreadAction::Reply
            )
            .allowed()
        );
        assert!(
            !decide_thread(
                &admin,
                &gone,
                &c,
                &t(Space::Direct, false),
                ThreadAction::Read
            )
            .allowed()
        );
        assert!(
            decide_thread(
                &account(),
                &gone,
                &c,
                &t(Space::Direct, true),
                ThreadAction::Read
            )
            .allowed()
        );
        assert!(
            !decide_thread(
                &Actor::Anonymous,
                &gone,
                &c,
                &t(Space::Direct, true),
                ThreadAction::Read
            )
            .allowed()
        );
    }

    #[test]
    fn authors_and_coordinators_change_threads_askers_accept() {
        let c = facts(Visibility::Public, true, JoinPolicy::Open);
        let question = ThreadFacts {
            space: Space::Members,
            kind: ThreadKind::Question,
            author: ADA,
            private_member: false,
        };
        let member = with_role(Role::Member);
        for action in [
            ThreadAction::Edit,
            ThreadAction::Delete,
            ThreadAction::Accept,
        ] {
            assert!(
                decide_thread(&account(), &member, &c, &question, action).allowed(),
                "{action:?}"
            );
            let bob = Actor::Account {
                id: 2,
                is_admin: false,
            };
            assert!(
                !decide_thread(&bob, &member, &c, &question, action).allowed(),
                "{action:?}"
            );
            assert!(
                decide_thread(&bob, &with_role(Role::Coordinator), &c, &question, action).allowed()
            );
        }
        let discussion = ThreadFacts {
            kind: ThreadKind::Discussion,
            ..question
        };
        assert!(
            !decide_thread(&account(), &member, &c, &discussion, ThreadAction::Accept).allowed()
        );
        assert!(
            !decide_thread(&account(), &member, &c, &discussion, ThreadAction::Curate).allowed()
        );
        assert!(
            decide_thread(
                &account(),
                &with_role(Role::Leader),
                &c,
                &discussion,
                ThreadAction::Curate
            )
            .allowed()
        );
        // A removed author is no longer an author here.
        assert!(
            !decide_thread(
                &account(),
                &Standing::default(),
                &c,
                &ThreadFacts {
                    space: Space::Public,
                    ..question
                },
                ThreadAction::Edit
            )
            .allowed()
        );
    }

    #[test]
    fn thread_filter_agrees_with_single_decisions() {
        let actors = [
            Actor::Anonymous,
            account(),
            Actor::Account {
                id: 2,
                is_admin: true,
            },
        ];
        let roles = [
            None,
            Some(Role::Observer),
            Some(Role::Member),
            Some(Role::Leader),
            Some(Role::Coordinator),
        ];
        for actor in actors {
            for role in roles {
                if actor == Actor::Anonymous && role.is_some() {
                    continue;
                }
                for invited in [false, true] {
                    let standing = Standing { role, invited };
                    for visibility in Visibility::ALL {
                        for listed in [false, true] {
                            let c = facts(*visibility, listed, JoinPolicy::Open);
                            for space in Space::ALL {
                                for private_member in [false, true] {
                                    let t = ThreadFacts {
                                        space: *space,
                                        kind: ThreadKind::Discussion,
                                        author: 99,
                                        private_member,
                                    };
                                    assert_eq!(
                                        thread_filter(&actor).admits(
                                            &standing,
                                            &c,
                                            *space,
                                            private_member
                                        ),
                                        decide_thread(
                                            &actor,
                                            &standing,
                                            &c,
                                            &t,
                                            ThreadAction::Read
                                        )
                                        .allowed(),
                                        "{actor:?} {standing:?} {c:?} {space:?} {private_member}"
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn list_filter_agrees_with_single_decisions_on_every_combination() {
        let actors = [
            Actor::Anonymous,
            account(),
            Actor::Account {
                id: 2,
                is_admin: true,
            },
        ];
        let roles = [
            None,
            Some(Role::Observer),
            Some(Role::Member),
            Some(Role::Leader),
            Some(Role::Coordinator),
        ];
        let mut checked = 0;
        for actor in actors {
            for role in roles {
                for invited in [false, true] {
                    // The anonymous actor holds no role and no invitation.
                    if actor == Actor::Anonymous && (role.is_some() || invited) {
                        continue;
                    }
                    let standing = Standing { role, invited };
                    for visibility in Visibility::ALL {
                        for listed in [false, true] {
                            for join_policy in JoinPolicy::ALL {
                                let c = facts(*visibility, listed, *join_policy);
                                assert_eq!(
                                    community_filter(&actor).admits(&standing, &c),
                                    decide(&actor, &standing, &c, SeeListing).allowed(),
                                    "{actor:?} {standing:?} {c:?}"
                                );
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 100);
    }
}
