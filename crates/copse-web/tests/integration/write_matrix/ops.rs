//! The writes: what each one is made on (fresh for every try), the request, and what a site
//! admin reads of its object before and after.

use serde_json::{Value, json};

use super::actors::{People, W, handle};
use super::community_ops;
use super::file_ops;
use super::more_ops;
use super::rules::{Answer, Refused, answer, answer_archived};
use crate::common::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    CreateThread,
    Reply,
    EditThread,
    DeleteThread,
    EditReply,
    DeleteReply,
    Accept,
    Helpful,
    FlagThread,
    FlagReply,
    Pin,
    CloseQuestion,
    Merge,
    HideReply,
    Silence,
    Warn,
    Settings,
    EditCommunity,
    ChangeRole,
    CreateTopic,
    Invite,
    CreateEvent,
    Rsvp,
    TellStory,
    CommentStory,
    FlagStory,
    FlagComment,
    FlagMessage,
    FlagProfile,
    MoveThread,
    SplitReplies,
    DeleteStory,
    DeleteComment,
    PinStory,
    EndorseStory,
    SendMessage,
    CreateCircle,
    DecideQueue,
    ApproveJoin,
    SendNewsletter,
    AnswerCheckin,
    AttachFile,
    AddVersion,
    MergeCommunity,
    SplitCommunity,
    ExportCommunity,
    /// Through the page forms, with the actor's signed-in browser.
    PageReply,
    PageDelete,
    PageFlag,
    PageModerate,
}

pub(super) const OPS: &[Op] = &[
    Op::CreateThread,
    Op::Reply,
    Op::EditThread,
    Op::DeleteThread,
    Op::EditReply,
    Op::DeleteReply,
    Op::Accept,
    Op::Helpful,
    Op::FlagThread,
    Op::FlagReply,
    Op::Pin,
    Op::CloseQuestion,
    Op::Merge,
    Op::HideReply,
    Op::Silence,
    Op::Warn,
    Op::Settings,
    Op::EditCommunity,
    Op::ChangeRole,
    Op::CreateTopic,
    Op::Invite,
    Op::CreateEvent,
    Op::Rsvp,
    Op::TellStory,
    Op::CommentStory,
    Op::FlagStory,
    Op::FlagComment,
    Op::FlagMessage,
    Op::FlagProfile,
    Op::MoveThread,
    Op::SplitReplies,
    Op::DeleteStory,
    Op::DeleteComment,
    Op::PinStory,
    Op::EndorseStory,
    Op::SendMessage,
    Op::CreateCircle,
    Op::DecideQueue,
    Op::ApproveJoin,
    Op::SendNewsletter,
    Op::AnswerCheckin,
    Op::AttachFile,
    Op::AddVersion,
    Op::MergeCommunity,
    Op::SplitCommunity,
    Op::ExportCommunity,
    Op::PageReply,
    Op::PageDelete,
    Op::PageFlag,
    Op::PageModerate,
];

/// The occurrence of the event everyone may answer.
const OCCURRENCE: &str = "2031-03-10T10:00:00Z";

/// What a write is made on: the author's thread (a question) with the author's reply and a
/// member's, and the coordinator's event.
struct Target {
    thread: i64,
    own_reply: i64,
    members_reply: i64,
    event: i64,
    /// The author's library resource, for a new version of its document.
    resource: i64,
    /// The question a merge leads into (made with the target, before any archiving).
    merge_into: i64,
    /// The community a merge is tried on, or the topic a split takes along.
    merge_source: String,
    extra: more_ops::Extra,
}

async fn target(p: &People, op: Op) -> Target {
    let author = &p.api[&W::Author];
    let thread = author
        .thread(
            "ipc",
            json!({"title": "A question to write on", "body": "Why?", "kind": "question"}),
        )
        .await;
    let reply = |who: &Api, body: &'static str| {
        let who = who.clone();
        async move {
            let r = who
                .post(
                    &format!("/api/v1/threads/{thread}/replies"),
                    json!({"body": body}),
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.text);
            r.body["id"].as_i64().unwrap()
        }
    };
    let own_reply = reply(author, "The author's own reply").await;
    if op == Op::DecideQueue {
        let path = format!("/api/v1/replies/{own_reply}/flags");
        let f = p.api[&W::Member]
            .post(&path, json!({"reason": "spam"}))
            .await;
        assert_eq!(f.status, 201, "{}", f.text);
    }
    let members_reply = reply(&p.api[&W::Member], "A member's answer").await;
    let event = if op == Op::Rsvp {
        let e = p
            .coord()
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Ward huddle", "time_zone": "UTC", "start": "2031-03-10T10:00", "end": "2031-03-10T11:00"}),
            )
            .await;
        assert_eq!(e.status, 201, "{}", e.text);
        e.body["id"].as_i64().unwrap()
    } else {
        0
    };
    let merge_into = if op == Op::Merge {
        author
            .thread(
                "ipc",
                json!({"title": "The question it duplicates", "body": "Why?"}),
            )
            .await
    } else {
        0
    };
    Target {
        thread,
        own_reply,
        members_reply,
        event,
        merge_into,
        resource: file_ops::resource(p, op).await,
        merge_source: community_ops::source(p, op).await,
        extra: more_ops::extra(p, op).await,
    }
}

/// Tries `op` as `who` on a fresh target; a problem in words when the answer is not the rule's,
/// or a refused write changed something (or an allowed one nothing).
///
/// With `archived`, "ipc" is archived after the target is made and reopened after the try.
pub(super) async fn try_op(
    app: &TestApp,
    p: &People,
    op: Op,
    who: W,
    archived: bool,
) -> Option<String> {
    let t = target(p, op).await;
    if archived {
        let reason = json!({"reason": "Its work is done."});
        let r = p
            .coord()
            .post("/api/v1/communities/ipc/archive", reason)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let before = probe(p, op, &t).await;
    let status = act(app, p, op, who, &t).await;
    let after = probe(p, op, &t).await;
    if archived {
        let r = p.coord().delete("/api/v1/communities/ipc/archive").await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    clean_up(p, op).await;
    more_ops::clean_up(p, op, &t.extra).await;
    let expected = if archived {
        answer_archived(op, who)
    } else {
        answer(op, who)
    };
    let problem = match expected {
        Answer::Allowed if !(200..400).contains(&status) => Some("was refused"),
        Answer::Allowed if before == after => Some("was answered but changed nothing"),
        Answer::Refused(kind) if refusal(status) != Some(kind) => Some("got the wrong answer"),
        Answer::Refused(_) if before != after => Some("was refused but changed something"),
        _ => None,
    };
    problem.map(|what| {
        format!("{who:?} {op:?}: {what} — status {status}, expected {expected:?}; before {before}, after {after}")
    })
}

fn refusal(status: u16) -> Option<Refused> {
    match status {
        401 => Some(Refused::SignIn),
        403 => Some(Refused::Forbidden),
        404 => Some(Refused::Hidden),
        409 => Some(Refused::Archived),
        _ => None,
    }
}

/// The write itself; answers its status.
/// The writes tried in `file_ops` and `more_ops` (`None` for the others).
async fn act_elsewhere(api: &Api, op: Op, t: &Target) -> Option<u16> {
    if community_ops::handles(op) {
        return Some(community_ops::act(api, op, &t.merge_source).await);
    }
    if file_ops::handles(op) {
        return Some(file_ops::act(api, op, t.thread, t.resource).await);
    }
    if more_ops::handles(op) {
        let replies = (t.own_reply, t.members_reply);
        return Some(more_ops::act(api, op, replies, t.thread, &t.extra).await);
    }
    None
}

async fn act(app: &TestApp, p: &People, op: Op, who: W, t: &Target) -> u16 {
    let api = &p.api[&who];
    let (thread, reply) = (t.thread, t.own_reply);
    if let Some(status) = act_elsewhere(api, op, t).await {
        return status;
    }
    let n = who as usize;
    let r = match op {
        Op::CreateThread => {
            api.post("/api/v1/communities/ipc/threads", json!({"title": "Written by someone", "body": "x"}))
                .await
        }
        Op::Reply => api.post(&format!("/api/v1/threads/{thread}/replies"), json!({"body": "Me too"})).await,
        Op::EditThread => api.patch(&format!("/api/v1/threads/{thread}"), json!({"body": "Changed"})).await,
        Op::DeleteThread => api.delete(&format!("/api/v1/threads/{thread}")).await,
        Op::EditReply => api.patch(&format!("/api/v1/replies/{reply}"), json!({"body": "Changed"})).await,
        Op::DeleteReply => api.delete(&format!("/api/v1/replies/{reply}")).await,
        Op::Accept => {
            api.post(&format!("/api/v1/threads/{thread}/accept"), json!({"reply_id": t.members_reply}))
                .await
        }
        Op::Helpful => api.post_empty(&format!("/api/v1/replies/{reply}/helpful")).await,
        Op::FlagThread => api.post(&format!("/api/v1/threads/{thread}/flags"), json!({"reason": "spam"})).await,
        Op::FlagReply => api.post(&format!("/api/v1/replies/{reply}/flags"), json!({"reason": "spam"})).await,
        Op::CloseQuestion => {
            let path = format!("/api/v1/threads/{thread}/moderation");
            api.post(&path, json!({"action": "close"})).await
        }
        Op::Merge => {
            let path = format!("/api/v1/threads/{thread}/moderation");
            api.post(&path, json!({"action": "merge", "into": t.merge_into})).await
        }
        Op::Pin => api.post(&format!("/api/v1/threads/{thread}/moderation"), json!({"action": "pin"})).await,
        Op::HideReply => api.post(&format!("/api/v1/replies/{reply}/moderation"), json!({"action": "hide"})).await,
        Op::Silence => {
            api.post("/api/v1/communities/ipc/silences", json!({"handle": "wmember", "days": 1}))
                .await
        }
        Op::Warn => {
            let body = json!({"handle": "wmember", "message": "Please keep to the subject."});
            api.post("/api/v1/communities/ipc/warnings", body).await
        }
        Op::Settings => {
            let flags = 4 + n as i64;
            api.put("/api/v1/communities/ipc/moderation/settings", json!({"leaders_moderate": false, "flags_to_hide": flags}))
                .await
        }
        Op::EditCommunity => api.patch("/api/v1/communities/ipc", json!({"name": format!("Community ipc {n}")})).await,
        Op::ChangeRole => api.put("/api/v1/communities/ipc/members/wmember", json!({"role": "leader"})).await,
        Op::CreateTopic => {
            api.post("/api/v1/communities/ipc/topics", json!({"slug": format!("topic-{n}"), "name": format!("Topic {n}")}))
                .await
        }
        Op::Invite => {
            api.post("/api/v1/communities/ipc/invitations", json!({"invitee": format!("invitee{n}@example.org")}))
                .await
        }
        Op::CreateEvent => {
            api.post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Planned by someone", "time_zone": "UTC", "start": "2031-04-01T10:00", "end": "2031-04-01T11:00"}),
            )
            .await
        }
        Op::Rsvp => {
            api.post(&format!("/api/v1/events/{}/rsvp", t.event), json!({"occurrence": OCCURRENCE, "status": "going"}))
                .await
        }
        Op::PageReply | Op::PageDelete | Op::PageFlag | Op::PageModerate => {
            return page_act(app, p, op, who, thread).await;
        }
        _ => unreachable!("{op:?} is tried by more_ops"),
    };
    r.status
}

/// A page form's post, as the actor's browser sends it.
async fn page_act(app: &TestApp, p: &People, op: Op, who: W, thread: i64) -> u16 {
    let (path, form): (String, Vec<(&str, &str)>) = match op {
        Op::PageReply => (
            format!("/t/{thread}/replies"),
            vec![("body", "Through the form")],
        ),
        Op::PageDelete => (format!("/t/{thread}/delete"), vec![]),
        Op::PageFlag => (format!("/t/{thread}/flag"), vec![("reason", "spam")]),
        _ => (format!("/t/{thread}/moderate"), vec![("action", "pin")]),
    };
    let r = p.browsers[&who]
        .post(app.url(&path))
        .form(&form)
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

/// What a site admin reads of the write's object.
async fn probe(p: &People, op: Op, t: &Target) -> String {
    let admin = p.admin();
    let path = format!("/api/v1/threads/{}", t.thread);
    let thread = || admin.get(&path);
    let reply_of = |body: &Value, id: i64| {
        body["replies"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["id"] == id).cloned())
            .unwrap_or(Value::Null)
    };
    if community_ops::handles(op) {
        return community_ops::probe(p, op, &t.merge_source).await;
    }
    if file_ops::handles(op) {
        return file_ops::probe(p, op, t.thread, t.resource).await;
    }
    if more_ops::handles(op) {
        return more_ops::probe(p, op, t.thread, t.own_reply, &t.extra).await;
    }
    match op {
        Op::CreateThread => count(
            &admin
                .get("/api/v1/communities/ipc/threads?limit=200")
                .await
                .body["items"],
        ),
        Op::Reply | Op::PageReply => count(&thread().await.body["replies"]),
        Op::EditThread => thread().await.body["body"].to_string(),
        Op::DeleteThread | Op::PageDelete => thread().await.status.to_string(),
        Op::EditReply | Op::DeleteReply | Op::Helpful | Op::HideReply => {
            reply_of(&thread().await.body, t.own_reply).to_string()
        }
        Op::Accept => thread().await.body["accepted_reply_id"].to_string(),
        Op::FlagThread | Op::FlagReply | Op::PageFlag => {
            admin.get("/api/v1/admin/moderation/queue").await.text
        }
        // After a merge the old address leads to the other thread (the client follows).
        Op::Merge => thread().await.body["id"].to_string(),
        Op::CloseQuestion => thread().await.body["closed"].to_string(),
        Op::Pin | Op::PageModerate => thread().await.body["pinned"].to_string(),
        Op::Silence | Op::Warn => count(&admin.get("/api/v1/admin/moderation/log").await.body),
        Op::Settings => admin.get("/api/v1/communities/ipc").await.body["moderation"].to_string(),
        Op::EditCommunity => admin.get("/api/v1/communities/ipc").await.body["name"].to_string(),
        Op::ChangeRole => {
            admin
                .get("/api/v1/communities/ipc/members?limit=200")
                .await
                .text
        }
        Op::CreateTopic => admin.get("/api/v1/communities/ipc/topics").await.text,
        Op::Invite => {
            p.coord()
                .get("/api/v1/communities/ipc/invitations")
                .await
                .text
        }
        Op::CreateEvent => admin.get("/api/v1/communities/ipc/events").await.text,
        Op::Rsvp => {
            admin
                .get(&format!(
                    "/api/v1/events/{}/rsvps?occurrence={OCCURRENCE}",
                    t.event
                ))
                .await
                .text
        }
        _ => unreachable!("{op:?} is probed by more_ops"),
    }
}

fn count(list: &Value) -> String {
    list.as_array().map_or(0, Vec::len).to_string()
}

/// Puts back what an allowed write changed that later tries depend on.
async fn clean_up(p: &People, op: Op) {
    let coord = p.coord();
    match op {
        Op::Silence => {
            coord
                .delete(&format!(
                    "/api/v1/communities/ipc/silences/{}",
                    handle(W::Member)
                ))
                .await;
        }
        Op::Warn => {
            let member = &p.api[&W::Member];
            let open = member.get("/api/v1/me/warnings").await.body;
            for w in open.as_array().into_iter().flatten() {
                member
                    .post_empty(&format!("/api/v1/me/warnings/{}/acknowledge", w["id"]))
                    .await;
            }
        }
        Op::ChangeRole => {
            coord
                .put(
                    "/api/v1/communities/ipc/members/wmember",
                    json!({"role": "member"}),
                )
                .await;
        }
        _ => {}
    }
}
