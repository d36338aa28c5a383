//! The surfaces of the matrix: every page, API object, list, feed and calendar an actor can
//! fetch, each with the route it is registered as and the object it is the home of (where a
//! permitted actor must find that object's marker).

use std::collections::BTreeMap;

use super::world::Kind::{self, Html, Json};
use super::world::{DAY, Ids, NOW, O, OCCURRENCE, Surface};

/// (route as registered, address, kind, home). `{name}` in an address is the id of that object
/// of the fixture (see `Ids`), `{occurrence}` the occurrence everyone answered for and `{key}`
/// its key in milliseconds.
const SURFACES: &[(&str, &str, Kind, Option<O>)] = &[
    (
        "/api/v1/communities/{slug}",
        "/api/v1/communities/ipc",
        Json,
        None,
    ),
    ("/api/v1/communities", "/api/v1/communities", Json, None),
    (
        "/api/v1/communities/{slug}/threads",
        "/api/v1/communities/ipc/threads",
        Json,
        None,
    ),
    (
        "/api/v1/threads/{id}",
        "/api/v1/threads/{public}",
        Json,
        Some(O::PublicThread),
    ),
    (
        "/api/v1/threads/{id}",
        "/api/v1/threads/{members}",
        Json,
        Some(O::MembersThread),
    ),
    (
        "/api/v1/threads/{id}",
        "/api/v1/threads/{public}",
        Json,
        Some(O::HiddenReply),
    ),
    (
        "/api/v1/threads/{id}",
        "/api/v1/threads/{hidden_thread}",
        Json,
        Some(O::HiddenThread),
    ),
    (
        "/api/v1/threads/{id}",
        "/api/v1/threads/{circle}",
        Json,
        Some(O::CircleThread),
    ),
    ("/api/v1/search", "/api/v1/search?q=matrixword", Json, None),
    (
        "/api/v1/communities/{slug}/events",
        "/api/v1/communities/ipc/events",
        Json,
        None,
    ),
    (
        "/api/v1/events/{id}",
        "/api/v1/events/{members_event}",
        Json,
        Some(O::MembersEvent),
    ),
    (
        "/api/v1/events/{id}",
        "/api/v1/events/{circle_event}",
        Json,
        Some(O::CircleEvent),
    ),
    (
        "/api/v1/events/{id}/occurrences",
        "/api/v1/events/{members_event}/occurrences?from=2030-01-01T00:00:00Z",
        Json,
        None,
    ),
    (
        "/api/v1/events/{id}/rsvps",
        "/api/v1/events/{members_event}/rsvps?occurrence={occurrence}",
        Json,
        None,
    ),
    (
        "/api/v1/events/{id}/attendance",
        "/api/v1/events/{members_event}/attendance?occurrence={occurrence}",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/circles",
        "/api/v1/communities/ipc/circles",
        Json,
        None,
    ),
    (
        "/api/v1/circles/{id}",
        "/api/v1/circles/{listed}",
        Json,
        None,
    ),
    (
        "/api/v1/circles/{id}",
        "/api/v1/circles/{hidden}",
        Json,
        Some(O::HiddenCircle),
    ),
    ("/api/v1/conversations", "/api/v1/conversations", Json, None),
    (
        "/api/v1/conversations/{id}",
        "/api/v1/conversations/{dm}",
        Json,
        Some(O::DirectMessage),
    ),
    ("/api/v1/connections", "/api/v1/connections", Json, None),
    (
        "/api/v1/communities/{slug}/members",
        "/api/v1/communities/ipc/members",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/people-to-meet",
        "/api/v1/communities/ipc/people-to-meet",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/experts",
        "/api/v1/communities/ipc/experts",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/rhythm",
        "/api/v1/communities/ipc/rhythm",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/topics",
        "/api/v1/communities/ipc/topics",
        Json,
        None,
    ),
    ("/api/v1/notifications", "/api/v1/notifications", Json, None),
    ("/api/v1/me", "/api/v1/me", Json, Some(O::Email)),
    ("/api/v1/users/{handle}", "/api/v1/users/member", Json, None),
    (
        "/api/v1/me/calendar-feed",
        "/api/v1/me/calendar-feed",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/participation",
        "/api/v1/communities/ipc/participation",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/participation/export",
        "/api/v1/communities/ipc/participation/export?format=csv",
        Json,
        None,
    ),
    (
        "/c/{slug}/participation",
        "/c/ipc/participation",
        Html,
        None,
    ),
    (
        "/c/{slug}/participation.csv",
        "/c/ipc/participation.csv",
        Html,
        None,
    ),
    (
        "/api/v1/communities/{slug}/stories",
        "/api/v1/communities/ipc/stories",
        Json,
        None,
    ),
    (
        "/api/v1/stories/{id}",
        "/api/v1/stories/{community_story}",
        Json,
        Some(O::CommunityStory),
    ),
    (
        "/api/v1/stories/{id}",
        "/api/v1/stories/{circle_story}",
        Json,
        Some(O::CircleStory),
    ),
    (
        "/api/v1/stories/{id}",
        "/api/v1/stories/{coordinators_story}",
        Json,
        Some(O::CoordinatorsStory),
    ),
    (
        "/api/v1/communities/{slug}/value-report",
        "/api/v1/communities/ipc/value-report",
        Json,
        None,
    ),
    (
        "/api/v1/stories/{id}",
        "/api/v1/stories/{anonymous_story}",
        Json,
        None,
    ),
    (
        "/stories/{id}",
        "/stories/{community_story}",
        Html,
        Some(O::CommunityStory),
    ),
    (
        "/stories/{id}",
        "/stories/{circle_story}",
        Html,
        Some(O::CircleStory),
    ),
    (
        "/stories/{id}",
        "/stories/{circle_story}",
        Html,
        Some(O::StoryComment),
    ),
    (
        "/stories/{id}",
        "/stories/{coordinators_story}",
        Html,
        Some(O::CoordinatorsStory),
    ),
    ("/stories/{id}", "/stories/{anonymous_story}", Html, None),
    (
        "/stories/{id}/edit",
        "/stories/{community_story}/edit",
        Html,
        None,
    ),
    (
        "/api/v1/stories/{id}/comments",
        "/api/v1/stories/{circle_story}/comments",
        Json,
        Some(O::StoryComment),
    ),
    (
        "/api/v1/stories/{id}",
        "/api/v1/stories/{hidden_story}",
        Json,
        Some(O::HiddenStory),
    ),
    (
        "/stories/{id}",
        "/stories/{hidden_story}",
        Html,
        Some(O::HiddenStory),
    ),
    (
        "/stories/{id}",
        "/stories/{community_story}",
        Html,
        Some(O::HiddenComment),
    ),
    (
        "/api/v1/stories/{id}/comments",
        "/api/v1/stories/{community_story}/comments",
        Json,
        Some(O::HiddenComment),
    ),
    (
        "/api/v1/users/{handle}/credits",
        "/api/v1/users/circler/credits",
        Json,
        None,
    ),
    (
        "/api/v1/users/{handle}/credits",
        "/api/v1/users/coord/credits",
        Json,
        None,
    ),
    ("/u/{handle}", "/u/circler", Html, None),
    (
        "/api/v1/communities/{slug}/checkin-schedule",
        "/api/v1/communities/ipc/checkin-schedule",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/checkins",
        "/api/v1/communities/ipc/checkins",
        Json,
        None,
    ),
    (
        "/api/v1/checkins/{id}",
        "/api/v1/checkins/{round}",
        Json,
        Some(O::CheckinPrompt),
    ),
    (
        "/api/v1/checkins/{id}",
        "/api/v1/checkins/{round}",
        Json,
        Some(O::CheckinAnswer),
    ),
    ("/c/{slug}/checkins", "/c/ipc/checkins", Html, None),
    (
        "/checkins/{id}",
        "/checkins/{round}",
        Html,
        Some(O::CheckinPrompt),
    ),
    (
        "/checkins/{id}",
        "/checkins/{round}",
        Html,
        Some(O::CheckinAnswer),
    ),
    ("/", "/", Html, None),
    ("/c/{slug}/stories", "/c/ipc/stories", Html, None),
    ("/c/{slug}/value-report", "/c/ipc/value-report", Html, None),
    ("/c/{slug}", "/c/ipc", Html, None),
    ("/c/{slug}/threads", "/c/ipc/threads", Html, None),
    ("/t/{id}", "/t/{public}", Html, Some(O::PublicThread)),
    ("/t/{id}", "/t/{public}", Html, Some(O::HiddenReply)),
    ("/t/{id}", "/t/{hidden_thread}", Html, Some(O::HiddenThread)),
    ("/t/{id}", "/t/{members}", Html, Some(O::MembersThread)),
    ("/t/{id}", "/t/{circle}", Html, Some(O::CircleThread)),
    ("/t/{id}/history", "/t/{public}/history", Html, None),
    ("/search", "/search?q=matrixword", Html, None),
    ("/c/{slug}/events", "/c/ipc/events", Html, None),
    ("/e/{id}", "/e/{members_event}", Html, Some(O::MembersEvent)),
    ("/e/{id}", "/e/{circle_event}", Html, Some(O::CircleEvent)),
    ("/e/{id}/o/{key}", "/e/{members_event}/o/{key}", Html, None),
    (
        "/e/{id}/calendar.ics",
        "/e/{members_event}/calendar.ics",
        Html,
        None,
    ),
    (
        "/e/{id}/calendar.ics",
        "/e/{circle_event}/calendar.ics",
        Html,
        None,
    ),
    ("/c/{slug}/rhythm", "/c/ipc/rhythm", Html, None),
    ("/c/{slug}/calendar.ics", "/c/ipc/calendar.ics", Html, None),
    ("/c/{slug}/feed.atom", "/c/ipc/feed.atom", Html, None),
    ("/c/{slug}/circles", "/c/ipc/circles", Html, None),
    ("/circles/{id}", "/circles/{listed}", Html, None),
    (
        "/circles/{id}",
        "/circles/{hidden}",
        Html,
        Some(O::HiddenCircle),
    ),
    ("/conversations", "/conversations", Html, None),
    (
        "/conversations/{id}",
        "/conversations/{dm}",
        Html,
        Some(O::DirectMessage),
    ),
    ("/connections", "/connections", Html, None),
    ("/c/{slug}/members", "/c/ipc/members", Html, None),
    ("/c/{slug}/people", "/c/ipc/people", Html, None),
    ("/c/{slug}/experts", "/c/ipc/experts", Html, None),
    ("/c/{slug}/library", "/c/ipc/library", Html, None),
    ("/c/{slug}/topics", "/c/ipc/topics", Html, None),
    ("/notifications", "/notifications", Html, None),
    ("/u/{handle}", "/u/member", Html, None),
    (
        "/settings/profile",
        "/settings/profile",
        Html,
        Some(O::Email),
    ),
    ("/settings/calendar", "/settings/calendar", Html, None),
    ("/settings/email", "/settings/email", Html, None),
    (
        "/api/v1/communities/{slug}/newsletter-settings",
        "/api/v1/communities/ipc/newsletter-settings",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/newsletters",
        "/api/v1/communities/ipc/newsletters",
        Json,
        None,
    ),
    ("/c/{slug}/newsletter", "/c/ipc/newsletter", Html, None),
    (
        "/c/{slug}/newsletter.atom",
        "/c/ipc/newsletter.atom",
        Html,
        None,
    ),
    // The draft, and the coordinators' previews of it: theirs alone.
    (
        "/api/v1/communities/{slug}/newsletters/{number}",
        "/api/v1/communities/ipc/newsletters/2",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/newsletters/{number}",
        "/api/v1/communities/ipc/newsletters/2?as=member",
        Json,
        None,
    ),
    (
        "/c/{slug}/newsletter/{number}",
        "/c/ipc/newsletter/2?as=observer",
        Html,
        None,
    ),
    (
        "/c/{slug}/newsletter/{number}/edit",
        "/c/ipc/newsletter/2/edit",
        Html,
        None,
    ),
    ("/api/v1/me/email", "/api/v1/me/email", Json, None),
    ("/admin/email", "/admin/email", Html, None),
    ("/api/v1/admin/email", "/api/v1/admin/email", Json, None),
    // User administration: site admins alone, and the person's recent posts there name
    // threads of every space.
    ("/admin", "/admin", Html, None),
    ("/admin/users", "/admin/users", Html, None),
    ("/admin/users/{handle}", "/admin/users/dee", Html, None),
    ("/admin/audit", "/admin/audit", Html, None),
    ("/api/v1/admin/users", "/api/v1/admin/users", Json, None),
    (
        "/api/v1/admin/users/{handle}",
        "/api/v1/admin/users/dee",
        Json,
        None,
    ),
    ("/api/v1/admin/audit", "/api/v1/admin/audit", Json, None),
    // One's own data: each actor's export holds theirs alone.
    ("/settings/account", "/settings/account", Html, None),
    (
        "/settings/account/export",
        "/settings/account/export",
        Json,
        None,
    ),
    ("/api/v1/me/export", "/api/v1/me/export", Json, None),
    ("/api/v1/me/exports", "/api/v1/me/exports", Json, None),
    // Moderation: the queue (with the flagged hidden reply) for the moderators, the log for
    // members, every community's for site admins.
    ("/c/{slug}/moderation", "/c/ipc/moderation", Html, None),
    (
        "/c/{slug}/moderation/log",
        "/c/ipc/moderation/log",
        Html,
        None,
    ),
    (
        "/api/v1/communities/{slug}/moderation/queue",
        "/api/v1/communities/ipc/moderation/queue",
        Json,
        None,
    ),
    (
        "/api/v1/communities/{slug}/moderation/log",
        "/api/v1/communities/ipc/moderation/log",
        Json,
        None,
    ),
    ("/admin/moderation", "/admin/moderation", Html, None),
    (
        "/api/v1/admin/moderation/queue",
        "/api/v1/admin/moderation/queue",
        Json,
        None,
    ),
    (
        "/api/v1/admin/moderation/log",
        "/api/v1/admin/moderation/log",
        Json,
        None,
    ),
];

/// The sent issue, on the API and its page: each object it points to is there for exactly
/// those who may read it.
const IN_THE_SENT_ISSUE: [O; 8] = [
    O::PublicThread,
    O::MembersThread,
    O::CircleThread,
    O::MembersEvent,
    O::CircleEvent,
    O::CommunityStory,
    O::CircleStory,
    O::CoordinatorsStory,
];

/// Every surface, its address filled in with the fixture's ids.
pub(super) fn surfaces(ids: &Ids) -> Vec<Surface> {
    let mut out: Vec<Surface> = SURFACES
        .iter()
        .map(|&(route, url, kind, home)| Surface {
            route,
            url: fill(url, ids),
            kind,
            home,
        })
        .collect();
    for o in IN_THE_SENT_ISSUE {
        out.push(Surface {
            route: "/api/v1/communities/{slug}/newsletters/{number}",
            url: "/api/v1/communities/ipc/newsletters/1".into(),
            kind: Json,
            home: Some(o),
        });
        out.push(Surface {
            route: "/c/{slug}/newsletter/{number}",
            url: "/c/ipc/newsletter/1".into(),
            kind: Html,
            home: Some(o),
        });
    }
    out
}

fn fill(template: &str, ids: &Ids) -> String {
    let key = NOW + 2 * DAY + 10 * 3600 * 1000;
    let named = [
        ("public", ids.public),
        ("members", ids.members),
        ("circle", ids.circle),
        ("listed", ids.listed),
        ("hidden", ids.hidden),
        ("dm", ids.dm),
        ("members_event", ids.members_event),
        ("circle_event", ids.circle_event),
        ("community_story", ids.community_story),
        ("circle_story", ids.circle_story),
        ("coordinators_story", ids.coordinators_story),
        ("anonymous_story", ids.anonymous_story),
        ("round", ids.round),
        ("hidden_thread", ids.hidden_thread),
        ("hidden_story", ids.hidden_story),
        ("key", key),
    ];
    let mut url = template.replace("{occurrence}", OCCURRENCE);
    for (name, id) in named {
        url = url.replace(&format!("{{{name}}}"), &id.to_string());
    }
    assert!(
        !url.contains('{'),
        "an address of the table names no object of the fixture: {template}"
    );
    url
}

/// Missing-object twins of the object surfaces, to compare 404 bodies with.
pub(super) fn missing() -> BTreeMap<String, String> {
    [
        ("/api/v1/threads/{id}", "/api/v1/threads/999999"),
        (
            "/files/{id}/{name}",
            "/files/00000000000000000000000000000000/notes.txt",
        ),
        ("/api/v1/events/{id}", "/api/v1/events/999999"),
        ("/api/v1/circles/{id}", "/api/v1/circles/999999"),
        ("/api/v1/conversations/{id}", "/api/v1/conversations/999999"),
        ("/api/v1/stories/{id}", "/api/v1/stories/999999"),
        ("/stories/{id}", "/stories/999999"),
        ("/api/v1/checkins/{id}", "/api/v1/checkins/999999"),
        ("/checkins/{id}", "/checkins/999999"),
        (
            "/api/v1/stories/{id}/comments",
            "/api/v1/stories/999999/comments",
        ),
    ]
    .iter()
    .map(|(route, url)| (route.to_string(), url.to_string()))
    .collect()
}
