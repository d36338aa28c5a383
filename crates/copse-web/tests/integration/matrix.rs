//! The authorization matrix: one fixture with every kind of actor and every kind of private or
//! public object, each carrying a unique marker word. For every actor × object × surface it
//! asserts that the marker is where the actor may see it (on the object's own page and API
//! object) and absent everywhere else — pages, JSON objects, lists and counts, search, Atom and
//! iCalendar feeds, personal calendars, notifications, reminder e-mails caught by a real SMTP
//! server, member directories and "people to meet" — and that a hidden object's 404 reads like a
//! missing one's. Then it changes the world (a member removed, an account suspended, a thread
//! moved into a hidden circle, the community switched to private) and checks every cell again.
//!
//! A second test checks that every GET route of the router is a surface of the matrix or sits
//! in an explicit allowlist with a reason, so a new surface cannot be added unchecked.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::*;
use serde_json::{Value, json};

/// 2030-01-01T00:00:00Z.
const NOW: i64 = 1_893_456_000_000;
const DAY: i64 = 24 * 3600 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum A {
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

const ACTORS: [A; 11] = [
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
enum O {
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
}

const OBJECTS: [O; 16] = [
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
];

fn marker(o: O) -> &'static str {
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
        // The token itself is random; see `Fixture::token`.
        O::CalendarToken => "",
    }
}

/// What has happened to the world so far.
#[derive(Debug, Clone, Copy, Default)]
struct World {
    /// `Removed` was removed from the community, `Suspended` suspended.
    removed: bool,
    /// The public thread was moved into the hidden circle.
    moved: bool,
    /// The community is private.
    private: bool,
}

fn community_member(a: A, w: World) -> bool {
    match a {
        A::Member | A::CircleMember | A::Participant | A::Leader | A::Coordinator => true,
        A::Removed | A::Suspended => !w.removed,
        _ => false,
    }
}

fn circle_member(a: A, w: World) -> bool {
    match a {
        A::CircleMember => true,
        A::Suspended => !w.removed,
        _ => false,
    }
}

/// The actor as the site knows them: a suspended account is no one.
fn signed_in(a: A, w: World) -> bool {
    !(a == A::Anonymous || (a == A::Suspended && w.removed))
}

/// The rule this whole file checks, stated once: who may see what.
fn may_see(a: A, o: O, w: World) -> bool {
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
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Html,
}

struct Surface {
    /// The route, as registered (`/api/v1/threads/{id}`).
    route: &'static str,
    url: String,
    kind: Kind,
    /// The object this surface is the home of: a permitted actor must find its marker here.
    home: Option<O>,
}

struct Fixture {
    api: BTreeMap<A, Api>,
    browsers: BTreeMap<A, reqwest::Client>,
    surfaces: Vec<Surface>,
    /// Missing-object twins of the object surfaces, to compare 404 bodies with.
    missing: BTreeMap<String, String>,
    token: String,
    member_feed: String,
    /// The anonymous community story, whose teller's handle (`mkanonteller`) only the
    /// coordinators and site admins may learn.
    anonymous_story: i64,
}

/// The teller of the anonymous community story: a member who is no actor here.
const ANON_TELLER: &str = "mkanonteller";

/// Surfaces that show value stories and may name their tellers.
const STORY_SURFACES: [&str; 11] = [
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

async fn sign_up(app: &TestApp, handle: &str, email: &str) -> Api {
    let r = app
        .api()
        .post(
            "/api/v1/auth/signup",
            json!({"handle": handle, "email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let t = app
        .api()
        .post(
            "/api/v1/auth/tokens",
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    Api {
        token: Some(t.body["token"].as_str().unwrap().to_string()),
        ..app.api()
    }
}

fn email_of(a: A) -> String {
    match a {
        A::Member => "member.mkemailaddr@example.org".into(),
        other => format!("{}@example.org", handle_of(other)),
    }
}

fn handle_of(a: A) -> &'static str {
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

async fn build(app: &TestApp) -> Fixture {
    let mut api = BTreeMap::new();
    api.insert(A::Anonymous, app.api());
    for a in ACTORS
        .iter()
        .filter(|a| !matches!(a, A::Anonymous | A::Admin))
    {
        api.insert(*a, sign_up(app, handle_of(*a), &email_of(*a)).await);
    }
    api.insert(A::Admin, app.admin("root").await);
    let dee = sign_up(app, "dee", "dee@example.org").await;
    let coord = api[&A::Coordinator].clone();
    coord.community("ipc", "public", true, "open").await;
    for a in [
        A::Member,
        A::CircleMember,
        A::Participant,
        A::Leader,
        A::Removed,
        A::Suspended,
    ] {
        assert_eq!(
            api[&a]
                .post_empty("/api/v1/communities/ipc/join")
                .await
                .status,
            200
        );
    }
    dee.post_empty("/api/v1/communities/ipc/join").await;
    api[&A::Observer]
        .post_empty("/api/v1/communities/ipc/follow")
        .await;
    coord
        .put(
            "/api/v1/communities/ipc/members/leader",
            json!({"role": "leader"}),
        )
        .await;

    // Circles: a listed one and a hidden one, each with the circle member and the soon-suspended.
    let circler = api[&A::CircleMember].clone();
    let listed = circler
        .post(
            "/api/v1/communities/ipc/circles",
            json!({"name": "Reading circle", "purpose": "We read together."}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let hidden = circler
        .post(
            "/api/v1/communities/ipc/circles",
            json!({"name": "Circle mkhiddencircle", "purpose": "Purpose mkhiddencircle", "listed": false}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    for circle in [listed, hidden] {
        circler
            .post(
                &format!("/api/v1/circles/{circle}/invitations"),
                json!({"handle": "suspended"}),
            )
            .await;
        let r = api[&A::Suspended]
            .post(
                &format!("/api/v1/circles/{circle}/invitation"),
                json!({"accept": true}),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
    }

    // Threads, with "matrixword" for search and mentions for notifications.
    let post = |who: &Api, body: Value| {
        let who = who.clone();
        async move {
            let r = who.post("/api/v1/communities/ipc/threads", body).await;
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["id"].as_i64().unwrap()
        }
    };
    // The circle member starts the public thread, so that they may later move it into their circle.
    let public = post(
        &circler,
        json!({"title": "Public mkpublicthread", "body": "matrixword mkpublicthread @member"}),
    )
    .await;
    let members = post(&coord, json!({"title": "Members mkmembersthread", "body": "matrixword mkmembersthread @removed @member", "space": "members"})).await;
    let circle = post(&circler, json!({"title": "Circle mkcirclethread", "body": "matrixword mkcirclethread @suspended", "space": "circle", "circle": listed})).await;
    let reply = api[&A::Member]
        .post(
            &format!("/api/v1/threads/{public}/replies"),
            json!({"body": "mkdeletedreply matrixword"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        api[&A::Member]
            .delete(&format!("/api/v1/replies/{reply}"))
            .await
            .status,
        204
    );

    // A direct message between the participant and someone who is no actor here.
    let dm = api[&A::Participant]
        .post("/api/v1/conversations", json!({"people": ["dee"], "subject": "About mkdirectmessage", "body": "mkdirectmessage matrixword"}))
        .await
        .body["id"]
        .as_i64()
        .unwrap();

    // Events in two days, with answers from everyone who may, so reminders are due tomorrow.
    let start = "2030-01-03T10:00";
    let members_event = coord
        .post(
            "/api/v1/communities/ipc/events",
            json!({"title": "Members mkmembersevent", "description": "matrixword",
               "time_zone": "UTC", "start": start, "end": "2030-01-03T11:00", "space": "members"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let circle_event = circler
        .post(
            "/api/v1/communities/ipc/events",
            json!({"title": "Circle mkcircleevent", "time_zone": "UTC", "start": start,
               "end": "2030-01-03T11:00", "space": "circle", "circle": listed}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let occurrence = "2030-01-03T10:00:00Z";
    for a in ACTORS {
        for event in [members_event, circle_event] {
            // Only those who may see an event can answer; the rest are refused (404).
            api[&a]
                .post(
                    &format!("/api/v1/events/{event}/rsvp"),
                    json!({"occurrence": occurrence, "status": "going"}),
                )
                .await;
        }
    }

    // Value stories at three visibilities.
    let tell = |who: A, body: Value| {
        let who = api[&who].clone();
        async move {
            let r = who
                .post("/api/v1/communities/ipc/stories", body.clone())
                .await;
            assert_eq!(r.status, 201, "{body}: {}", r.text);
            r.body["id"].as_i64().unwrap()
        }
    };
    let community_story = tell(
        A::Leader,
        json!({"happened": "mkcommunitystory", "took": "matrixword mkcommunitystory", "cycles": ["immediate"],
        "credits": [format!("thread:{public}")]}),
    )
    .await;
    let circle_story = tell(
        A::CircleMember,
        json!({"happened": "mkcirclestory", "took": "matrixword mkcirclestory", "cycles": ["applied"],
        "visibility": "circle", "circle": listed, "credits": [format!("thread:{circle}")]}),
    )
    .await;
    let coordinators_story = tell(A::Member, json!({"happened": "mkcoordinatorsstory", "took": "matrixword mkcoordinatorsstory", "cycles": ["realized"],
        "visibility": "coordinators", "anonymous": true, "effect_value": 3, "effect_unit": "hours",
        "credits": [format!("thread:{members}")]})).await;
    // The circle's other member comments on the circle story (its teller is told).
    let r = api[&A::Suspended]
        .post(
            &format!("/api/v1/stories/{circle_story}/comments"),
            json!({"body": "mkstorycomment"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    // An anonymous community story crediting the public thread (whose author is told, without
    // the teller's name).
    let teller = sign_up(app, ANON_TELLER, "anon.teller@example.org").await;
    teller.post_empty("/api/v1/communities/ipc/join").await;
    let r = teller
        .post(
            "/api/v1/communities/ipc/stories",
            json!({"happened": "A thread helped.", "took": "matrixword", "cycles": ["potential"],
                   "anonymous": true, "credits": [format!("thread:{public}")]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let anonymous_story = r.body["id"].as_i64().unwrap();

    // A check-in round, asked of the members, and the member's answer.
    let r = coord
        .put(
            "/api/v1/communities/ipc/checkin-schedule",
            json!({"prompt": "What did you learn? mkcheckinprompt", "cadence": "monthly"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let round = coord.post_empty("/api/v1/communities/ipc/checkins").await;
    assert_eq!(round.status, 201, "{}", round.text);
    let round = round.body["id"].as_i64().unwrap();
    let r = api[&A::Member]
        .put(
            &format!("/api/v1/checkins/{round}/answer"),
            json!({"learned": "mkcheckinanswer", "applied": "matrixword"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // The newsletter: issue #1 points to every object and is sent now (the worker delivers it
    // only after the removal below: removed between drafting and sending); #2 is a draft.
    // The site admin writes them — a coordinator may not point to a circle they are not in.
    let admin = api[&A::Admin].clone();
    let everything: Vec<String> = [
        format!("thread:{public}"),
        format!("thread:{members}"),
        format!("thread:{circle}"),
        format!("event:{members_event}"),
        format!("event:{circle_event}"),
        format!("story:{community_story}"),
        format!("story:{circle_story}"),
        format!("story:{coordinators_story}"),
        format!("story:{anonymous_story}"),
    ]
    .iter()
    .map(|r| format!("[[{r}]]"))
    .collect();
    let issue_body = format!(
        "## In the community\n\nmatrixword from the coordinators.\n\n{}\n",
        everything.join("\n")
    );
    for number in [1, 2] {
        let r = coord
            .post_empty("/api/v1/communities/ipc/newsletters")
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let r = admin
            .put(
                &format!("/api/v1/communities/ipc/newsletters/{number}"),
                json!({"subject": format!("Issue {number}"), "body": issue_body}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        if number == 1 {
            let r = coord
                .post_empty("/api/v1/communities/ipc/newsletters/1/send")
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
    }

    let token_url = api[&A::Member]
        .post_empty("/api/v1/me/calendar-feed")
        .await
        .body["url"]
        .as_str()
        .unwrap()
        .to_string();
    let token = token_url
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".ics")
        .to_string();

    let mut browsers = BTreeMap::new();
    browsers.insert(A::Anonymous, app.browser());
    for a in ACTORS.iter().filter(|a| **a != A::Anonymous) {
        browsers.insert(*a, app.signed_in(&email_of(*a)).await);
    }

    let key = NOW + 2 * DAY + 10 * 3600 * 1000;
    let s = |route: &'static str, url: String, kind: Kind, home: Option<O>| Surface {
        route,
        url,
        kind,
        home,
    };
    use Kind::*;
    let mut surfaces = vec![
        s(
            "/api/v1/communities/{slug}",
            "/api/v1/communities/ipc".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities",
            "/api/v1/communities".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/threads",
            "/api/v1/communities/ipc/threads".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/threads/{id}",
            format!("/api/v1/threads/{public}"),
            Json,
            Some(O::PublicThread),
        ),
        s(
            "/api/v1/threads/{id}",
            format!("/api/v1/threads/{members}"),
            Json,
            Some(O::MembersThread),
        ),
        s(
            "/api/v1/threads/{id}",
            format!("/api/v1/threads/{circle}"),
            Json,
            Some(O::CircleThread),
        ),
        s(
            "/api/v1/search",
            "/api/v1/search?q=matrixword".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/events",
            "/api/v1/communities/ipc/events".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/events/{id}",
            format!("/api/v1/events/{members_event}"),
            Json,
            Some(O::MembersEvent),
        ),
        s(
            "/api/v1/events/{id}",
            format!("/api/v1/events/{circle_event}"),
            Json,
            Some(O::CircleEvent),
        ),
        s(
            "/api/v1/events/{id}/occurrences",
            format!("/api/v1/events/{members_event}/occurrences?from=2030-01-01T00:00:00Z"),
            Json,
            None,
        ),
        s(
            "/api/v1/events/{id}/rsvps",
            format!("/api/v1/events/{members_event}/rsvps?occurrence={occurrence}"),
            Json,
            None,
        ),
        s(
            "/api/v1/events/{id}/attendance",
            format!("/api/v1/events/{members_event}/attendance?occurrence={occurrence}"),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/circles",
            "/api/v1/communities/ipc/circles".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/circles/{id}",
            format!("/api/v1/circles/{listed}"),
            Json,
            None,
        ),
        s(
            "/api/v1/circles/{id}",
            format!("/api/v1/circles/{hidden}"),
            Json,
            Some(O::HiddenCircle),
        ),
        s(
            "/api/v1/conversations",
            "/api/v1/conversations".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/conversations/{id}",
            format!("/api/v1/conversations/{dm}"),
            Json,
            Some(O::DirectMessage),
        ),
        s(
            "/api/v1/connections",
            "/api/v1/connections".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/members",
            "/api/v1/communities/ipc/members".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/people-to-meet",
            "/api/v1/communities/ipc/people-to-meet".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/experts",
            "/api/v1/communities/ipc/experts".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/rhythm",
            "/api/v1/communities/ipc/rhythm".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/topics",
            "/api/v1/communities/ipc/topics".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/notifications",
            "/api/v1/notifications".into(),
            Json,
            None,
        ),
        s("/api/v1/me", "/api/v1/me".into(), Json, Some(O::Email)),
        s(
            "/api/v1/users/{handle}",
            "/api/v1/users/member".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/me/calendar-feed",
            "/api/v1/me/calendar-feed".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/participation",
            "/api/v1/communities/ipc/participation".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/participation/export",
            "/api/v1/communities/ipc/participation/export?format=csv".into(),
            Json,
            None,
        ),
        s(
            "/c/{slug}/participation",
            "/c/ipc/participation".into(),
            Html,
            None,
        ),
        s(
            "/c/{slug}/participation.csv",
            "/c/ipc/participation.csv".into(),
            Html,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/stories",
            "/api/v1/communities/ipc/stories".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/stories/{id}",
            format!("/api/v1/stories/{community_story}"),
            Json,
            Some(O::CommunityStory),
        ),
        s(
            "/api/v1/stories/{id}",
            format!("/api/v1/stories/{circle_story}"),
            Json,
            Some(O::CircleStory),
        ),
        s(
            "/api/v1/stories/{id}",
            format!("/api/v1/stories/{coordinators_story}"),
            Json,
            Some(O::CoordinatorsStory),
        ),
        s(
            "/api/v1/communities/{slug}/value-report",
            "/api/v1/communities/ipc/value-report".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/stories/{id}",
            format!("/api/v1/stories/{anonymous_story}"),
            Json,
            None,
        ),
        s(
            "/stories/{id}",
            format!("/stories/{community_story}"),
            Html,
            Some(O::CommunityStory),
        ),
        s(
            "/stories/{id}",
            format!("/stories/{circle_story}"),
            Html,
            Some(O::CircleStory),
        ),
        s(
            "/stories/{id}",
            format!("/stories/{circle_story}"),
            Html,
            Some(O::StoryComment),
        ),
        s(
            "/stories/{id}",
            format!("/stories/{coordinators_story}"),
            Html,
            Some(O::CoordinatorsStory),
        ),
        s(
            "/stories/{id}",
            format!("/stories/{anonymous_story}"),
            Html,
            None,
        ),
        s(
            "/stories/{id}/edit",
            format!("/stories/{community_story}/edit"),
            Html,
            None,
        ),
        s(
            "/api/v1/stories/{id}/comments",
            format!("/api/v1/stories/{circle_story}/comments"),
            Json,
            Some(O::StoryComment),
        ),
        s(
            "/api/v1/users/{handle}/credits",
            "/api/v1/users/circler/credits".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/users/{handle}/credits",
            "/api/v1/users/coord/credits".into(),
            Json,
            None,
        ),
        s("/u/{handle}", "/u/circler".into(), Html, None),
        s(
            "/api/v1/communities/{slug}/checkin-schedule",
            "/api/v1/communities/ipc/checkin-schedule".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/checkins",
            "/api/v1/communities/ipc/checkins".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/checkins/{id}",
            format!("/api/v1/checkins/{round}"),
            Json,
            Some(O::CheckinPrompt),
        ),
        s(
            "/api/v1/checkins/{id}",
            format!("/api/v1/checkins/{round}"),
            Json,
            Some(O::CheckinAnswer),
        ),
        s("/c/{slug}/checkins", "/c/ipc/checkins".into(), Html, None),
        s(
            "/checkins/{id}",
            format!("/checkins/{round}"),
            Html,
            Some(O::CheckinPrompt),
        ),
        s(
            "/checkins/{id}",
            format!("/checkins/{round}"),
            Html,
            Some(O::CheckinAnswer),
        ),
        s("/", "/".into(), Html, None),
        s("/c/{slug}/stories", "/c/ipc/stories".into(), Html, None),
        s(
            "/c/{slug}/value-report",
            "/c/ipc/value-report".into(),
            Html,
            None,
        ),
        s("/c/{slug}", "/c/ipc".into(), Html, None),
        s("/c/{slug}/threads", "/c/ipc/threads".into(), Html, None),
        s(
            "/t/{id}",
            format!("/t/{public}"),
            Html,
            Some(O::PublicThread),
        ),
        s(
            "/t/{id}",
            format!("/t/{members}"),
            Html,
            Some(O::MembersThread),
        ),
        s(
            "/t/{id}",
            format!("/t/{circle}"),
            Html,
            Some(O::CircleThread),
        ),
        s(
            "/t/{id}/history",
            format!("/t/{public}/history"),
            Html,
            None,
        ),
        s("/search", "/search?q=matrixword".into(), Html, None),
        s("/c/{slug}/events", "/c/ipc/events".into(), Html, None),
        s(
            "/e/{id}",
            format!("/e/{members_event}"),
            Html,
            Some(O::MembersEvent),
        ),
        s(
            "/e/{id}",
            format!("/e/{circle_event}"),
            Html,
            Some(O::CircleEvent),
        ),
        s(
            "/e/{id}/o/{key}",
            format!("/e/{members_event}/o/{key}"),
            Html,
            None,
        ),
        s(
            "/e/{id}/calendar.ics",
            format!("/e/{members_event}/calendar.ics"),
            Html,
            None,
        ),
        s(
            "/e/{id}/calendar.ics",
            format!("/e/{circle_event}/calendar.ics"),
            Html,
            None,
        ),
        s("/c/{slug}/rhythm", "/c/ipc/rhythm".into(), Html, None),
        s(
            "/c/{slug}/calendar.ics",
            "/c/ipc/calendar.ics".into(),
            Html,
            None,
        ),
        s("/c/{slug}/feed.atom", "/c/ipc/feed.atom".into(), Html, None),
        s("/c/{slug}/circles", "/c/ipc/circles".into(), Html, None),
        s("/circles/{id}", format!("/circles/{listed}"), Html, None),
        s(
            "/circles/{id}",
            format!("/circles/{hidden}"),
            Html,
            Some(O::HiddenCircle),
        ),
        s("/conversations", "/conversations".into(), Html, None),
        s(
            "/conversations/{id}",
            format!("/conversations/{dm}"),
            Html,
            Some(O::DirectMessage),
        ),
        s("/connections", "/connections".into(), Html, None),
        s("/c/{slug}/members", "/c/ipc/members".into(), Html, None),
        s("/c/{slug}/people", "/c/ipc/people".into(), Html, None),
        s("/c/{slug}/experts", "/c/ipc/experts".into(), Html, None),
        s("/c/{slug}/library", "/c/ipc/library".into(), Html, None),
        s("/c/{slug}/topics", "/c/ipc/topics".into(), Html, None),
        s("/notifications", "/notifications".into(), Html, None),
        s("/u/{handle}", "/u/member".into(), Html, None),
        s(
            "/settings/profile",
            "/settings/profile".into(),
            Html,
            Some(O::Email),
        ),
        s(
            "/settings/calendar",
            "/settings/calendar".into(),
            Html,
            None,
        ),
        s("/settings/email", "/settings/email".into(), Html, None),
        s(
            "/api/v1/communities/{slug}/newsletter-settings",
            "/api/v1/communities/ipc/newsletter-settings".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/newsletters",
            "/api/v1/communities/ipc/newsletters".into(),
            Json,
            None,
        ),
        s(
            "/c/{slug}/newsletter",
            "/c/ipc/newsletter".into(),
            Html,
            None,
        ),
        s(
            "/c/{slug}/newsletter.atom",
            "/c/ipc/newsletter.atom".into(),
            Html,
            None,
        ),
        // The draft, and the coordinators' previews of it: theirs alone.
        s(
            "/api/v1/communities/{slug}/newsletters/{number}",
            "/api/v1/communities/ipc/newsletters/2".into(),
            Json,
            None,
        ),
        s(
            "/api/v1/communities/{slug}/newsletters/{number}",
            "/api/v1/communities/ipc/newsletters/2?as=member".into(),
            Json,
            None,
        ),
        s(
            "/c/{slug}/newsletter/{number}",
            "/c/ipc/newsletter/2?as=observer".into(),
            Html,
            None,
        ),
        s(
            "/c/{slug}/newsletter/{number}/edit",
            "/c/ipc/newsletter/2/edit".into(),
            Html,
            None,
        ),
        s("/api/v1/me/email", "/api/v1/me/email".into(), Json, None),
        s("/admin/email", "/admin/email".into(), Html, None),
        s(
            "/api/v1/admin/email",
            "/api/v1/admin/email".into(),
            Json,
            None,
        ),
    ];
    // The sent issue, on the API and its page: each object it points to is there for exactly
    // those who may read it.
    for o in [
        O::PublicThread,
        O::MembersThread,
        O::CircleThread,
        O::MembersEvent,
        O::CircleEvent,
        O::CommunityStory,
        O::CircleStory,
        O::CoordinatorsStory,
    ] {
        surfaces.push(s(
            "/api/v1/communities/{slug}/newsletters/{number}",
            "/api/v1/communities/ipc/newsletters/1".into(),
            Json,
            Some(o),
        ));
        surfaces.push(s(
            "/c/{slug}/newsletter/{number}",
            "/c/ipc/newsletter/1".into(),
            Html,
            Some(o),
        ));
    }
    let mut missing = BTreeMap::new();
    for (route, url) in [
        ("/api/v1/threads/{id}", "/api/v1/threads/999999"),
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
    ] {
        missing.insert(route.to_string(), url.to_string());
    }
    Fixture {
        api,
        browsers,
        surfaces,
        missing,
        token,
        member_feed: token_url,
        anonymous_story,
    }
}

/// Fetches every surface as every actor and checks every cell. Returns the cells checked.
/// Each actor's personal digest as it would go out now (text and HTML), for a period that
/// covers the whole fixture: built for everyone the digest query picks, in one batch, as the
/// worker does.
async fn digests(app: &TestApp) -> BTreeMap<A, String> {
    use copse_core::domain::email::{DigestCadence, DigestPeriod};
    let store = &app.db.store;
    let period = DigestPeriod {
        cadence: DigestCadence::Weekly,
        since: NOW - 7 * DAY,
        until: NOW + 7 * DAY,
        key: "matrix".into(),
    };
    let recipients = store
        .digest_recipients(DigestCadence::Weekly, 0, 1000)
        .await
        .unwrap();
    let ids: Vec<i64> = recipients.iter().map(|r| r.id).collect();
    let tokens = store.unsubscribe_tokens(&ids).await.unwrap();
    let mut out = BTreeMap::new();
    for d in copse_app::digests::build(&app.state, &period, recipients)
        .await
        .unwrap()
    {
        let mail =
            copse_app::digests::mail::render(&app.state, &period, &d, &tokens[&d.recipient.id])
                .unwrap();
        if let Some(a) = ACTORS
            .iter()
            .find(|a| **a != A::Anonymous && email_of(**a) == d.recipient.email)
        {
            out.insert(*a, format!("{}\n{}", mail.text, mail.html));
        }
    }
    out
}

/// Each actor's copy of the sent newsletter issue as it would go out now (text and HTML): the
/// copies of every reader, made in one batch as the worker makes them.
async fn newsletters(app: &TestApp) -> BTreeMap<A, String> {
    let store = &app.db.store;
    let community = store.community_by_slug("ipc").await.unwrap().unwrap();
    let issue = store.newsletter(community.id, 1).await.unwrap().unwrap();
    let (copies, _) = copse_app::newsletters::delivery::copies(&app.state, &issue, 0)
        .await
        .unwrap();
    let mut out = BTreeMap::new();
    for c in copies {
        if let Some(a) = ACTORS
            .iter()
            .find(|a| **a != A::Anonymous && email_of(**a) == c.to.email)
        {
            out.insert(*a, format!("{}\n{}", c.mail.text, c.mail.html));
        }
    }
    out
}

async fn check(app: &TestApp, f: &Fixture, w: World, emails: &BTreeMap<A, String>) -> usize {
    let mut cells = 0;
    let mut leaks = Vec::new();
    let digests = digests(app).await;
    let newsletters = newsletters(app).await;
    assert!(
        newsletters
            .get(&A::Member)
            .is_some_and(|d| d.contains("mkmembersthread")),
        "the member's newsletter has what they may read: {:?}",
        newsletters.get(&A::Member)
    );
    assert_eq!(
        newsletters.contains_key(&A::Removed),
        !w.removed,
        "a member removed after drafting gets no copy"
    );
    assert!(
        digests
            .get(&A::Member)
            .is_some_and(|d| d.contains("mkmembersevent")),
        "the member's digest has what they may read: {:?}",
        digests.get(&A::Member)
    );
    for a in ACTORS {
        let mut seen: Vec<(String, u16, String)> = Vec::new();
        for s in &f.surfaces {
            let (status, body) = match s.kind {
                Kind::Json => {
                    let r = f.api[&a].get(&s.url).await;
                    (r.status, r.text)
                }
                Kind::Html => {
                    let r = f.browsers[&a].get(app.url(&s.url)).send().await.unwrap();
                    (r.status().as_u16(), r.text().await.unwrap())
                }
            };
            assert!(status < 500, "{a:?} {}: {status}", s.url);
            if a == A::Suspended && w.removed && s.kind == Kind::Json {
                assert_eq!(
                    status, 401,
                    "a suspended account's token stops working: {}",
                    s.url
                );
            }
            // A hidden object answers exactly like a missing one.
            if let (Some(o), Some(twin)) = (s.home, f.missing.get(s.route))
                && !may_see(a, o, w)
                && status == 404
            {
                let r = f.api[&a].get(twin).await;
                assert_eq!(
                    (r.status, &r.text),
                    (404, &body),
                    "{a:?}: 404 of {} differs from a missing one",
                    s.url
                );
                cells += 1;
            }
            seen.push((s.url.clone(), status, body));
        }
        // The actor's own calendar feed, and the reminder e-mails they received.
        if signed_in(a, w) && a != A::Suspended {
            let url = f.api[&a].post_empty("/api/v1/me/calendar-feed").await.body["url"]
                .as_str()
                .unwrap()
                .to_string();
            let feed = reqwest::get(&url).await.unwrap().text().await.unwrap();
            seen.push(("personal calendar".into(), 200, feed));
        }
        if let Some(mail) = emails.get(&a) {
            seen.push(("reminder e-mails".into(), 200, mail.clone()));
        }
        if let Some(digest) = digests.get(&a) {
            seen.push(("digest".into(), 200, digest.clone()));
        }
        if let Some(copy) = newsletters.get(&a) {
            seen.push(("newsletter".into(), 200, copy.clone()));
        }
        // A suspended account is nobody: pages show what anyone may see, the API nothing.
        let as_whom = if signed_in(a, w) { a } else { A::Anonymous };
        for o in OBJECTS {
            let mark = if o == O::CalendarToken {
                f.token.as_str()
            } else {
                marker(o)
            };
            for (i, (url, status, body)) in seen.iter().enumerate() {
                let surface = f.surfaces.get(i);
                let api_of_nobody = !signed_in(a, w)
                    && a != A::Anonymous
                    && surface.is_some_and(|s| s.kind == Kind::Json);
                let allowed = may_see(as_whom, o, w) && !api_of_nobody;
                let present = body.contains(mark);
                let home = surface.and_then(|s| s.home) == Some(o);
                if !allowed && present {
                    leaks.push(format!("{a:?} sees {o:?} on {url}"));
                }
                if allowed && home {
                    assert!(present, "{a:?} should see {o:?} on {url} ({status})");
                }
                if !allowed || home {
                    cells += 1;
                }
            }
        }
        // The anonymous teller: named to coordinators and site admins only, on every surface
        // that shows stories (including the notification of the person their story credits).
        let may_know_teller = matches!(as_whom, A::Coordinator | A::Admin);
        for (i, (url, status, body)) in seen.iter().enumerate() {
            let Some(surface) = f.surfaces.get(i) else {
                continue;
            };
            if !STORY_SURFACES.contains(&surface.route) {
                continue;
            }
            let api_of_nobody = !signed_in(a, w) && a != A::Anonymous && surface.kind == Kind::Json;
            let allowed = may_know_teller && !api_of_nobody;
            let present = body.contains(ANON_TELLER);
            if present && !allowed {
                leaks.push(format!("{a:?} learns the anonymous teller on {url}"));
            }
            if allowed && surface.url == format!("/api/v1/stories/{}", f.anonymous_story) {
                assert!(present, "{a:?} should learn the teller on {url} ({status})");
            }
            cells += 1;
        }
    }
    assert!(
        leaks.is_empty(),
        "{} leaks ({w:?}):\n{}",
        leaks.len(),
        leaks.join("\n")
    );
    cells
}

fn caught(smtp: &Smtp) -> BTreeMap<A, String> {
    let mut out: BTreeMap<A, String> = BTreeMap::new();
    for d in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(smtp.1.path().join("maildir").join(d)) else {
            continue;
        };
        for e in entries {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            for a in ACTORS {
                if a != A::Anonymous && text.contains(&format!("<{}>", email_of(a))) {
                    out.entry(a).or_default().push_str(&text);
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn nothing_private_leaks_on_any_surface() {
    for (app, clock) in apps_at(NOW).await {
        let f = build(&app).await;
        let mut total = 0;
        let mut world = World::default();
        total += check(&app, &f, world, &BTreeMap::new()).await;

        // A member removed and an account suspended: the next request reflects it everywhere,
        // including the reminders that go out tomorrow.
        let coord = &f.api[&A::Coordinator];
        assert_eq!(
            coord
                .delete("/api/v1/communities/ipc/members/removed")
                .await
                .status,
            204
        );
        let suspended = app
            .db
            .store
            .account_by_handle("suspended")
            .await
            .unwrap()
            .unwrap();
        app.db
            .store
            .set_suspended(suspended.id, true)
            .await
            .unwrap();
        world.removed = true;
        let mut emails = BTreeMap::new();
        let server = smtp().await;
        if let Some((smtp, port)) = &server {
            let worker = worker(&app.state, *port, "copse", None);
            clock.advance(DAY + 10 * 3600 * 1000 + 60_000);
            worker.tick().await.unwrap();
            emails = caught(smtp);
            // Everyone still going got their reminder; the removed and the suspended did not.
            for a in [
                A::Member,
                A::CircleMember,
                A::Participant,
                A::Leader,
                A::Coordinator,
            ] {
                assert!(emails.contains_key(&a), "{a:?} gets a reminder");
            }
            assert!(!emails.contains_key(&A::Removed) && !emails.contains_key(&A::Suspended));
            // The newsletter sent before the removal went out with this tick: to the observer
            // and the members still here, each copy checked below like every other surface.
            for a in [A::Observer, A::Member, A::CircleMember] {
                assert!(
                    emails[&a].contains("Subject: Issue 1"),
                    "{a:?} gets the newsletter"
                );
            }
        }
        total += check(&app, &f, world, &emails).await;

        // The public thread moves into the hidden circle (by its author, who is in that circle).
        let public = f
            .surfaces
            .iter()
            .find(|s| s.home == Some(O::PublicThread))
            .unwrap()
            .url
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let hidden = f
            .surfaces
            .iter()
            .find(|s| s.home == Some(O::HiddenCircle) && s.kind == Kind::Json)
            .unwrap()
            .url
            .rsplit('/')
            .next()
            .unwrap()
            .parse::<i64>()
            .unwrap();
        let r = f.api[&A::Member]
            .patch(
                &format!("/api/v1/threads/{public}"),
                json!({"move_to_circle": hidden}),
            )
            .await;
        assert_eq!(
            r.status, 403,
            "only its author or a coordinator moves a thread: {}",
            r.text
        );
        let r = f.api[&A::CircleMember]
            .patch(
                &format!("/api/v1/threads/{public}"),
                json!({"move_to_circle": hidden}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        world.moved = true;
        total += check(&app, &f, world, &BTreeMap::new()).await;

        // The community turns private.
        let coord = &f.api[&A::Coordinator];
        let r = coord
            .patch("/api/v1/communities/ipc", json!({"visibility": "private"}))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        world.private = true;
        total += check(&app, &f, world, &BTreeMap::new()).await;

        // The member's calendar secret is only theirs: never shown again, and it stops on revoke.
        assert_eq!(
            reqwest::get(&f.member_feed).await.unwrap().status(),
            404,
            "it was replaced in check()"
        );
        println!(
            "authorization matrix ({:?}): {total} cells checked, 0 leaks",
            app.db.backend()
        );
        assert!(total > 5000, "the matrix is as large as it says: {total}");
        app.finish().await;
    }
}

/// GET routes that are not surfaces of the matrix, each with the reason.
const NOT_IN_MATRIX: &[(&str, &str)] = &[
    (
        "/static/copse.css",
        "the stylesheet: the same bytes for everyone",
    ),
    (
        "/healthz",
        "answers 200 while the database does; no content",
    ),
    ("/signin", "a form; no content of anyone"),
    ("/signup", "a form; no content of anyone"),
    ("/communities/new", "a form; no content of anyone"),
    ("/settings/password", "a form; the viewer's own"),
    (
        "/settings/tokens",
        "the viewer's own tokens; tested in tests/pages.rs",
    ),
    (
        "/api/v1/auth/tokens",
        "the viewer's own tokens; tested in tests/api.rs",
    ),
    ("/settings/reminders", "the viewer's own settings"),
    ("/api/v1/me/reminders", "the viewer's own settings"),
    ("/api/v1/me/blocks", "the viewer's own blocks"),
    (
        "/invitations",
        "the viewer's own invitations; tested in tests/pages.rs",
    ),
    (
        "/api/v1/me/invitations",
        "the viewer's own invitations; tested in tests/api.rs",
    ),
    (
        "/invitations/link/{secret}",
        "a secret link; tested in tests/api.rs",
    ),
    (
        "/c/{slug}/history",
        "the domain statement's revisions: public community data; tested in tests/api.rs",
    ),
    (
        "/api/v1/communities/{slug}/domain-revisions",
        "public community data; tested in tests/api.rs",
    ),
    (
        "/api/v1/communities/{slug}/stage-changes",
        "public community data; tested in tests/api.rs",
    ),
    (
        "/c/{slug}/requests",
        "coordinators only; refusal tested in tests/pages.rs",
    ),
    (
        "/api/v1/communities/{slug}/join-requests",
        "coordinators only; refusal tested in tests/api.rs",
    ),
    (
        "/c/{slug}/invite",
        "coordinators only; refusal tested in tests/pages.rs",
    ),
    (
        "/api/v1/communities/{slug}/invitations",
        "coordinators only; refusal tested in tests/api.rs",
    ),
    (
        "/c/{slug}/settings",
        "coordinators only; refusal tested in tests/pages.rs",
    ),
    (
        "/c/{slug}/join",
        "the join form: community facts any visitor may see",
    ),
    (
        "/c/{slug}/threads/new",
        "a form; refusal tested in tests/practice.rs",
    ),
    (
        "/c/{slug}/events/new",
        "a form; refusal tested in tests/events.rs",
    ),
    (
        "/c/{slug}/topics/{topic}",
        "a topic's public threads; same filter as /c/{slug}/threads, tested in tests/practice.rs",
    ),
    (
        "/c/{slug}/topics/{topic}/feed.atom",
        "same filter as /c/{slug}/feed.atom, tested in tests/practice.rs",
    ),
    (
        "/t/{id}/edit",
        "the author's form; refusal tested in tests/practice.rs",
    ),
    (
        "/r/{id}/edit",
        "the author's form; refusal tested in tests/practice.rs",
    ),
    (
        "/r/{id}/history",
        "gated like /t/{id}/history, tested in tests/practice.rs",
    ),
    (
        "/e/{id}/edit",
        "hosts' form; refusal tested in tests/rhythm.rs",
    ),
    (
        "/calendar/{file}",
        "a personal feed by its secret: a matrix surface per actor (the personal calendar)",
    ),
    (
        "/unsubscribe/{token}",
        "a one-click form by secret; shows nothing of anyone",
    ),
    (
        "/admin/jobs",
        "site admins only; refusal tested in tests/rhythm.rs",
    ),
    (
        "/api/v1/admin/jobs",
        "site admins only; refusal tested in tests/rhythm.rs",
    ),
    (
        "/api/v1/connections/{id}",
        "the two people's own request; refusal tested in tests/private.rs",
    ),
];

#[tokio::test]
async fn every_get_route_is_in_the_matrix_or_allowlisted() {
    let app = apps().await.into_iter().next().unwrap();
    let f = build(&app).await;
    let covered: BTreeSet<&str> = f.surfaces.iter().map(|s| s.route).collect();
    let allowed: BTreeSet<&str> = NOT_IN_MATRIX.iter().map(|(r, _)| *r).collect();
    // API GET routes, from the OpenAPI document generated with the router.
    let doc = app.api().get("/api/v1/openapi.json").await.body;
    let mut routes: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, ops)| ops.get("get").is_some())
        .map(|(p, _)| p.clone())
        .collect();
    // Page GET routes, from the routers' source: every `.route("…", get(…)…)` of every page
    // area (each keeps its own routes).
    let pages = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages");
    for entry in std::fs::read_dir(pages).unwrap() {
        let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for (i, _) in source.match_indices(".route(") {
            let rest = &source[i + 7..];
            let start = rest.find('"').unwrap() + 1;
            let end = start + rest[start..].find('"').unwrap();
            let path = &rest[start..end];
            let next = [".route(", "\n}"]
                .iter()
                .filter_map(|m| rest[end..].find(m))
                .min()
                .unwrap_or(rest.len() - end);
            if rest[end..end + next].contains("get(") {
                routes.insert(path.to_string());
            }
        }
    }
    routes.insert("/healthz".into());
    let unchecked: Vec<&String> = routes
        .iter()
        .filter(|r| !covered.contains(r.as_str()) && !allowed.contains(r.as_str()))
        .collect();
    assert!(
        unchecked.is_empty(),
        "GET routes neither in the authorization matrix nor in NOT_IN_MATRIX: {unchecked:?}"
    );
    let stale: Vec<&&str> = allowed.iter().filter(|r| !routes.contains(**r)).collect();
    assert!(
        stale.is_empty(),
        "NOT_IN_MATRIX lists routes that no longer exist: {stale:?}"
    );
    assert!(
        routes.len() > 60,
        "the route list was read: {}",
        routes.len()
    );
    app.finish().await;
}
