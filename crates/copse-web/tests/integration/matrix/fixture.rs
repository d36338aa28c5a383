//! The matrix's world: every kind of actor, and every kind of private or public object, each
//! carrying its marker word, made through the API as people would make them.

use std::collections::BTreeMap;

use super::files::{MarkedFile, marked, marked_in, upload_marked};
use super::surfaces::{missing, surfaces};
use super::world::*;
use crate::common::*;
use serde_json::{Value, json};

async fn sign_up(app: &TestApp, handle: &str, email: &str) -> Api {
    let r = app
        .api()
        .post(
            "/api/v1/auth/signup",
            json!({"handle": handle, "email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    copse_store::testing::verify_email(&app.db.store, handle).await;
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

pub(super) async fn build(app: &TestApp) -> Fixture {
    let api = people(app).await;
    let mut ids = Ids::default();
    (ids.listed, ids.hidden) = circles(&api).await;
    let mut files = threads(&api, &mut ids).await;
    events(&api, &mut ids).await;
    files.push(recap(&api, ids.listed).await);
    stories(app, &api, &mut ids, &mut files).await;
    ids.round = checkin(&api).await;
    newsletter_issues(&api, &ids).await;
    let (token, member_feed) = calendar_token(&api).await;
    let mut browsers = BTreeMap::new();
    browsers.insert(A::Anonymous, app.browser());
    for a in ACTORS.iter().filter(|a| **a != A::Anonymous) {
        browsers.insert(*a, app.signed_in(&email_of(*a)).await);
    }
    Fixture {
        api,
        browsers,
        surfaces: surfaces(&ids)
            .into_iter()
            .chain(super::files::surfaces(&files))
            .collect(),
        missing: missing(),
        token,
        member_feed,
        ids,
    }
}

/// Everyone: members of the public community "ipc" at every level, an observer, a leader, a
/// coordinator, a site admin — and "dee", who is no actor but a member to write to.
async fn people(app: &TestApp) -> BTreeMap<A, Api> {
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
    api
}

/// Circles: a listed one and a hidden one, each with the circle member and the soon-suspended.
async fn circles(api: &BTreeMap<A, Api>) -> (i64, i64) {
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
    (listed, hidden)
}

/// Threads, with "matrixword" for search and mentions for notifications; a deleted reply; and a
/// direct message between the participant and someone who is no actor here.
async fn threads(api: &BTreeMap<A, Api>, ids: &mut Ids) -> Vec<MarkedFile> {
    let (coord, circler) = (&api[&A::Coordinator], &api[&A::CircleMember]);
    let listed = ids.listed;
    let post = |who: &Api, body: Value| {
        let who = who.clone();
        async move {
            let r = who.post("/api/v1/communities/ipc/threads", body).await;
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["id"].as_i64().unwrap()
        }
    };
    // The circle member starts the public thread, so that they may later move it into their circle.
    let file = upload_marked(circler, O::PublicThread).await;
    let public = post(
        circler,
        json!({"title": "Public mkpublicthread", "body": "matrixword mkpublicthread @member", "files": [file]}),
    )
    .await;
    let mut files = vec![marked(O::PublicThread, &file, public)];
    let file = upload_marked(coord, O::MembersThread).await;
    let members = post(coord, json!({"title": "Members mkmembersthread", "body": "matrixword mkmembersthread @removed @member", "space": "members", "files": [file]})).await;
    files.push(marked(O::MembersThread, &file, members));
    let file = upload_marked(circler, O::CircleThread).await;
    let circle = post(circler, json!({"title": "Circle mkcirclethread", "body": "matrixword mkcirclethread @suspended", "space": "circle", "circle": listed, "files": [file]})).await;
    files.push(marked(O::CircleThread, &file, circle));
    let file = upload_marked(&api[&A::Member], O::DeletedReply).await;
    files.push(marked(O::DeletedReply, &file, public));
    let reply = api[&A::Member]
        .post(
            &format!("/api/v1/threads/{public}/replies"),
            json!({"body": "mkdeletedreply matrixword", "files": [file]}),
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

    let file = upload_marked(&api[&A::Participant], O::DirectMessage).await;
    let dm = api[&A::Participant]
        .post("/api/v1/conversations", json!({"people": ["dee"], "subject": "About mkdirectmessage", "body": "mkdirectmessage matrixword", "files": [file]}))
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let list = format!("/api/v1/conversations/{dm}/files");
    let route = "/api/v1/conversations/{id}/files";
    files.push(marked_in(O::DirectMessage, &file, route, list));
    (ids.public, ids.members, ids.circle, ids.dm) = (public, members, circle, dm);
    ids.hidden_thread = hidden_posts(api, public, &mut files).await;
    files
}

/// The member's thread that the coordinator hid, and their reply that the leader's flag hid (it
/// waits in the review queue). Returns the hidden thread.
async fn hidden_posts(api: &BTreeMap<A, Api>, public: i64, files: &mut Vec<MarkedFile>) -> i64 {
    let (member, coord) = (&api[&A::Member], &api[&A::Coordinator]);
    let file = upload_marked(member, O::HiddenThread).await;
    let thread = member
        .post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Hidden mkhiddenthread", "body": "matrixword mkhiddenthread", "files": [file]}),
        )
        .await;
    assert_eq!(thread.status, 201, "{}", thread.text);
    let thread = thread.body["id"].as_i64().unwrap();
    files.push(marked(O::HiddenThread, &file, thread));
    let file = upload_marked(member, O::HiddenReply).await;
    files.push(marked(O::HiddenReply, &file, public));
    let reply = member
        .post(
            &format!("/api/v1/threads/{public}/replies"),
            json!({"body": "mkhiddenreply matrixword", "files": [file]}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let hid = coord
        .post(
            &format!("/api/v1/threads/{thread}/moderation"),
            json!({"action": "hide"}),
        )
        .await;
    assert_eq!(hid.status, 200, "{}", hid.text);
    // One flag hides a post here: the leader's hides the reply, which waits in the queue.
    let settings = json!({"leaders_moderate": false, "flags_to_hide": 1});
    let r = coord
        .put("/api/v1/communities/ipc/moderation/settings", settings)
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let flagged = api[&A::Leader]
        .post(
            &format!("/api/v1/replies/{reply}/flags"),
            json!({"reason": "spam"}),
        )
        .await;
    assert_eq!(flagged.body["hidden"], true, "{}", flagged.text);
    thread
}

/// Events in two days, with answers from everyone who may, so reminders are due tomorrow.
async fn events(api: &BTreeMap<A, Api>, ids: &mut Ids) {
    let (coord, circler) = (&api[&A::Coordinator], &api[&A::CircleMember]);
    let listed = ids.listed;
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
    (ids.members_event, ids.circle_event) = (members_event, circle_event);
}

/// A past occurrence of a circle event, its recap carrying a file with the circle event's
/// marker.
async fn recap(api: &BTreeMap<A, Api>, listed: i64) -> MarkedFile {
    let circler = &api[&A::CircleMember];
    let event = circler
        .post(
            "/api/v1/communities/ipc/events",
            json!({"title": "Circle recap", "time_zone": "UTC", "start": "2029-12-30T10:00",
               "end": "2029-12-30T11:00", "space": "circle", "circle": listed}),
        )
        .await;
    assert_eq!(event.status, 201, "{}", event.text);
    let event = event.body["id"].as_i64().unwrap();
    let file = upload_marked(circler, O::CircleEvent).await;
    let occurrence = "2029-12-30T10:00:00Z";
    let r = circler
        .post(
            &format!("/api/v1/events/{event}/recap"),
            json!({"occurrence": occurrence, "files": [file]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let list = format!("/api/v1/events/{event}/recap/files?occurrence={occurrence}");
    marked_in(
        O::CircleEvent,
        &file,
        "/api/v1/events/{id}/recap/files",
        list,
    )
}

/// A story's file, listed with the story's files.
fn story_files(o: O, file: &Value, story: i64) -> MarkedFile {
    let list = format!("/api/v1/stories/{story}/files");
    marked_in(o, file, "/api/v1/stories/{id}/files", list)
}

/// Value stories at three visibilities, a comment on the circle's, and an anonymous one; the
/// circle's, the coordinators' and the hidden one carry a file.
async fn stories(
    app: &TestApp,
    api: &BTreeMap<A, Api>,
    ids: &mut Ids,
    files: &mut Vec<MarkedFile>,
) {
    let (public, members, circle, listed) = (ids.public, ids.members, ids.circle, ids.listed);
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
    let file = upload_marked(&api[&A::CircleMember], O::CircleStory).await;
    let circle_story = tell(
        A::CircleMember,
        json!({"happened": "mkcirclestory", "took": "matrixword mkcirclestory", "cycles": ["applied"],
        "visibility": "circle", "circle": listed, "credits": [format!("thread:{circle}")], "files": [file]}),
    )
    .await;
    files.push(story_files(O::CircleStory, &file, circle_story));
    let file = upload_marked(&api[&A::Member], O::CoordinatorsStory).await;
    let coordinators_story = tell(A::Member, json!({"happened": "mkcoordinatorsstory", "took": "matrixword mkcoordinatorsstory", "cycles": ["realized"],
        "visibility": "coordinators", "anonymous": true, "effect_value": 3, "effect_unit": "hours",
        "credits": [format!("thread:{members}")], "files": [file]})).await;
    files.push(story_files(O::CoordinatorsStory, &file, coordinators_story));
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
    ids.community_story = community_story;
    ids.circle_story = circle_story;
    ids.coordinators_story = coordinators_story;
    ids.anonymous_story = anonymous_story;
    ids.hidden_story = hidden_value(api, community_story, files).await;
}

/// The member's community story and comment on the leader's story, each hidden by the
/// coordinator from the review queue. Returns the hidden story.
async fn hidden_value(
    api: &BTreeMap<A, Api>,
    community_story: i64,
    files: &mut Vec<MarkedFile>,
) -> i64 {
    let (member, coord) = (&api[&A::Member], &api[&A::Coordinator]);
    let file = upload_marked(member, O::HiddenStory).await;
    let story = member
        .post(
            "/api/v1/communities/ipc/stories",
            json!({"happened": "mkhiddenstory", "took": "matrixword mkhiddenstory", "cycles": ["immediate"], "files": [file]}),
        )
        .await;
    assert_eq!(story.status, 201, "{}", story.text);
    let comment = member
        .post(
            &format!("/api/v1/stories/{community_story}/comments"),
            json!({"body": "mkhiddencomment matrixword"}),
        )
        .await;
    assert_eq!(comment.status, 201, "{}", comment.text);
    let story = story.body["id"].as_i64().unwrap();
    files.push(story_files(O::HiddenStory, &file, story));
    for (target, id) in [
        ("story", story),
        ("story_comment", comment.body["id"].as_i64().unwrap()),
    ] {
        let hid = coord
            .post(
                "/api/v1/communities/ipc/moderation/queue",
                json!({"target": target, "id": id, "action": "hide", "reason": "matrix"}),
            )
            .await;
        assert_eq!(hid.status, 204, "{}", hid.text);
    }
    story
}

/// A check-in round, asked of the members, and the member's answer.
async fn checkin(api: &BTreeMap<A, Api>) -> i64 {
    let coord = &api[&A::Coordinator];
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
    round
}

/// The newsletter: issue #1 points to every object and is sent now (the worker delivers it
/// only after the removal in the test: removed between drafting and sending); #2 is a draft.
/// The site admin writes them — a coordinator may not point to a circle they are not in.
async fn newsletter_issues(api: &BTreeMap<A, Api>, ids: &Ids) {
    let coord = &api[&A::Coordinator];
    let Ids {
        public,
        members,
        circle,
        members_event,
        circle_event,
        community_story,
        circle_story,
        coordinators_story,
        anonymous_story,
        ..
    } = *ids;
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
}

/// The member's personal calendar feed: its secret and its address.
async fn calendar_token(api: &BTreeMap<A, Api>) -> (String, String) {
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
    (token, token_url)
}
