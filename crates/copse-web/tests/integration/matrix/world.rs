//! The actors, the objects and the rule this whole matrix checks: who may see what, as the
//! world changes.

use std::collections::BTreeMap;

use crate::common::*;

/// 2030-01-01T00:00:00Z.
pub(super) const NOW: i64 = 1_893_456_000_000;
pub(super) const DAY: i64 = 24 * 3600 * 1000;
/// The occurrence of both events that everyone who may answers for, two days after `NOW`.
pub(super) const OCCURRENCE: &str = "2030-01-03T10:00:00Z";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum A {
    Anonymous,
    Stranger,
    Observer,
    Member,
    CircleMember,
    Participant,
    Leader,
    Coordinator,
    Admin,
    Removed,
    Suspended,
}

pub(super) const ACTORS: [A; 11] = [
    A::Anonymous,
    A::Stranger,
    A::Observer,
    A::Member,
    A::CircleMember,
    A::Participant,
    A::Leader,
    A::Coordinator,
    A::Admin,
    A::Removed,
    A::Suspended,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum O {
    PublicThread,
    MembersThread,
    CircleThread,
    HiddenCircle,
    DirectMessage,
    DeletedReply,
    MembersEvent,
    CircleEvent,
    Email,
    CalendarToken,
    CommunityStory,
    CircleStory,
    CoordinatorsStory,
    StoryComment,
    CheckinPrompt,
    CheckinAnswer,
    /// A thread of the member's that a moderator hid.
    HiddenThread,
    /// The member's reply in the public thread, hidden by a flag; it waits in the review queue.
    HiddenReply,
    /// The member's community story, hidden by the coordinator from the review queue.
    HiddenStory,
    /// The member's comment on the leader's community story, hidden the same way.
    HiddenComment,
}

pub(super) const OBJECTS: [O; 20] = [
    O::PublicThread,
    O::MembersThread,
    O::CircleThread,
    O::HiddenCircle,
    O::DirectMessage,
    O::DeletedReply,
    O::MembersEvent,
    O::CircleEvent,
    O::Email,
    O::CalendarToken,
    O::CommunityStory,
    O::CircleStory,
    O::CoordinatorsStory,
    O::StoryComment,
    O::CheckinPrompt,
    O::CheckinAnswer,
    O::HiddenThread,
    O::HiddenReply,
    O::HiddenStory,
    O::HiddenComment,
];

pub(super) fn marker(o: O) -> &'static str {
    match o {
        O::PublicThread => "mkpublicthread",
        O::MembersThread => "mkmembersthread",
        O::CircleThread => "mkcirclethread",
        O::HiddenCircle => "mkhiddencircle",
        O::DirectMessage => "mkdirectmessage",
        O::DeletedReply => "mkdeletedreply",
        O::MembersEvent => "mkmembersevent",
        O::CircleEvent => "mkcircleevent",
        O::Email => "mkemailaddr",
        O::CommunityStory => "mkcommunitystory",
        O::CircleStory => "mkcirclestory",
        O::CoordinatorsStory => "mkcoordinatorsstory",
        O::StoryComment => "mkstorycomment",
        O::CheckinPrompt => "mkcheckinprompt",
        O::CheckinAnswer => "mkcheckinanswer",
        O::HiddenThread => "mkhiddenthread",
        O::HiddenReply => "mkhiddenreply",
        O::HiddenStory => "mkhiddenstory",
        O::HiddenComment => "mkhiddencomment",
        // The token itself is random; see `Fixture::token`.
        O::CalendarToken => "",
    }
}

/// What has happened to the world so far.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct World {
    /// `Removed` was removed from the community, `Suspended` suspended.
    pub(super) removed: bool,
    /// The public thread was moved into the hidden circle.
    pub(super) moved: bool,
    /// The community is private.
    pub(super) private: bool,
}

pub(super) fn community_member(a: A, w: World) -> bool {
    match a {
        A::Member | A::CircleMember | A::Participant | A::Leader | A::Coordinator => true,
        A::Removed | A::Suspended => !w.removed,
        _ => false,
    }
}

pub(super) fn circle_member(a: A, w: World) -> bool {
    match a {
        A::CircleMember => true,
        A::Suspended => !w.removed,
        _ => false,
    }
}

/// The actor as the site knows them: a suspended account is no one.
pub(super) fn signed_in(a: A, w: World) -> bool {
    !(a == A::Anonymous || (a == A::Suspended && w.removed))
}

/// The one place where who may see a thing depends on where: site admins read every address
/// in the user administration (and nowhere else).
pub(super) fn may_see_on(a: A, o: O, w: World, route: &str) -> bool {
    let user_administration =
        route.starts_with("/admin/users") || route.starts_with("/api/v1/admin/users");
    // One's own export holds what one wrote, wherever it is now.
    let own_export = route.ends_with("/export") && a == A::Member;
    may_see(a, o, w)
        || (o == O::Email && a == A::Admin && user_administration)
        || (matches!(o, O::HiddenThread | O::HiddenReply) && own_export)
}

/// The rule this whole file checks, stated once: who may see what.
pub(super) fn may_see(a: A, o: O, w: World) -> bool {
    let admin = a == A::Admin;
    let in_circle = circle_member(a, w) || admin;
    let members = community_member(a, w) || admin;
    match o {
        O::PublicThread if w.moved => in_circle,
        O::PublicThread if w.private => members,
        O::PublicThread => true,
        O::MembersThread | O::MembersEvent => members,
        O::CircleThread | O::HiddenCircle | O::CircleEvent => in_circle,
        O::DirectMessage => a == A::Participant,
        O::Email => a == A::Member,
        O::DeletedReply | O::CalendarToken => false,
        O::CommunityStory => members,
        O::CircleStory => circle_member(a, w) || admin,
        // Told by the member: theirs, the coordinators' and the site admins'.
        O::CoordinatorsStory => matches!(a, A::Member | A::Coordinator | A::Admin),
        // On the circle story.
        O::StoryComment => circle_member(a, w) || admin,
        // Check-ins are for members (not observers).
        O::CheckinPrompt => members,
        // The member's answer: theirs, the coordinators' and the site admins'.
        O::CheckinAnswer => matches!(a, A::Member | A::Coordinator | A::Admin),
        // Hidden posts: their author and the moderators (leaders do not moderate here).
        O::HiddenThread => matches!(a, A::Member | A::Coordinator | A::Admin),
        O::HiddenReply => {
            may_see(a, O::PublicThread, w) && matches!(a, A::Member | A::Coordinator | A::Admin)
        }
        // A hidden story: its teller and the moderators; a hidden comment: its author and the
        // moderators, of those who read the story.
        O::HiddenStory => matches!(a, A::Member | A::Coordinator | A::Admin),
        O::HiddenComment => {
            may_see(a, O::CommunityStory, w) && matches!(a, A::Member | A::Coordinator | A::Admin)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Json,
    Html,
}

pub(super) struct Surface {
    /// The route, as registered (`/api/v1/threads/{id}`).
    pub(super) route: &'static str,
    pub(super) url: String,
    pub(super) kind: Kind,
    /// The object this surface is the home of: a permitted actor must find its marker here.
    pub(super) home: Option<O>,
}

pub(super) struct Fixture {
    pub(super) api: BTreeMap<A, Api>,
    pub(super) browsers: BTreeMap<A, reqwest::Client>,
    pub(super) surfaces: Vec<Surface>,
    /// Missing-object twins of the object surfaces, to compare 404 bodies with.
    pub(super) missing: BTreeMap<String, String>,
    pub(super) token: String,
    pub(super) member_feed: String,
    pub(super) ids: Ids,
}

/// The fixture's objects, by the names the surface table uses in its addresses.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Ids {
    pub(super) public: i64,
    pub(super) members: i64,
    pub(super) circle: i64,
    pub(super) listed: i64,
    pub(super) hidden: i64,
    pub(super) dm: i64,
    pub(super) members_event: i64,
    pub(super) circle_event: i64,
    pub(super) community_story: i64,
    pub(super) circle_story: i64,
    pub(super) coordinators_story: i64,
    /// The anonymous community story, whose teller's handle (`mkanonteller`) only the
    /// coordinators and site admins may learn.
    pub(super) anonymous_story: i64,
    pub(super) round: i64,
    pub(super) hidden_thread: i64,
    pub(super) hidden_story: i64,
}

/// The teller of the anonymous community story: a member who is no actor here.
pub(super) const ANON_TELLER: &str = "mkanonteller";

/// Surfaces that show value stories and may name their tellers.
pub(super) const STORY_SURFACES: [&str; 11] = [
    "/api/v1/communities/{slug}/newsletters/{number}",
    "/c/{slug}/newsletter/{number}",
    "/api/v1/communities/{slug}/stories",
    "/api/v1/stories/{id}",
    "/api/v1/communities/{slug}/value-report",
    "/api/v1/users/{handle}/credits",
    "/c/{slug}/stories",
    "/stories/{id}",
    "/c/{slug}/value-report",
    "/notifications",
    "/api/v1/notifications",
];

pub(super) fn email_of(a: A) -> String {
    match a {
        A::Member => "member.mkemailaddr@example.org".into(),
        other => format!("{}@example.org", handle_of(other)),
    }
}

pub(super) fn handle_of(a: A) -> &'static str {
    match a {
        A::Anonymous => "",
        A::Stranger => "stranger",
        A::Observer => "observer",
        A::Member => "member",
        A::CircleMember => "circler",
        A::Participant => "participant",
        A::Leader => "leader",
        A::Coordinator => "coord",
        A::Admin => "root",
        A::Removed => "removed",
        A::Suspended => "suspended",
    }
}
