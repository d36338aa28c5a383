//! The writes beyond threads and replies: telling, commenting on, endorsing, pinning and
//! deleting a value story and deleting a comment; flagging a story, a comment, a conversation
//! message and a profile; writing in a conversation and starting a circle; deciding about a
//! flag from the review queue; approving a request to join; sending a newsletter; moving a thread
//! to another community or splitting a reply off — what each is made on, the request, and the
//! probe.

use serde_json::{Value, json};

use super::actors::{People, W, handle};
use super::ops::Op;
use crate::common::*;

/// What these writes are made on: the author's story, the author's comment on the member's
/// story, and the author's message in a conversation with the member (ids, 0 when the write
/// needs none).
#[derive(Default)]
pub(super) struct Extra {
    story: i64,
    comment: i64,
    message: i64,
    conversation: i64,
    /// The pending join request (in "wapprove"), and the drafted newsletter issue.
    request: i64,
    issue: i64,
    /// The open check-in round.
    round: i64,
}

pub(super) fn handles(op: Op) -> bool {
    matches!(
        op,
        Op::TellStory
            | Op::CommentStory
            | Op::FlagStory
            | Op::FlagComment
            | Op::FlagMessage
            | Op::FlagProfile
            | Op::MoveThread
            | Op::SplitReplies
            | Op::DeleteStory
            | Op::DeleteComment
            | Op::PinStory
            | Op::EndorseStory
            | Op::SendMessage
            | Op::CreateCircle
            | Op::DecideQueue
            | Op::ApproveJoin
            | Op::SendNewsletter
            | Op::AnswerCheckin
    )
}

fn story_body(took: &str) -> Value {
    json!({"happened": "The audit thread", "took": took, "cycles": ["immediate"]})
}

async fn tell(who: &Api, took: &str) -> i64 {
    let r = who
        .post("/api/v1/communities/ipc/stories", story_body(took))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

pub(super) async fn extra(p: &People, op: Op) -> Extra {
    let (author, member) = (&p.api[&W::Author], &p.api[&W::Member]);
    let mut e = Extra {
        round: p.round,
        ..Extra::default()
    };
    match op {
        Op::FlagStory | Op::DeleteStory | Op::PinStory | Op::EndorseStory => {
            e.story = tell(author, "The author's story").await;
        }
        Op::CommentStory | Op::FlagComment | Op::DeleteComment => {
            e.story = tell(member, "A member's story").await;
            let path = format!("/api/v1/stories/{}/comments", e.story);
            let c = author
                .post(&path, json!({"body": "The author's comment"}))
                .await;
            assert_eq!(c.status, 201, "{}", c.text);
            e.comment = c.body["id"].as_i64().unwrap();
        }
        Op::ApproveJoin => {
            let join = json!({"answers": ["Ward 3B"]});
            let r = p
                .requester
                .post("/api/v1/communities/wapprove/join", join)
                .await;
            assert_eq!(r.body["status"], "requested", "{}", r.text);
            e.request = r.body["request"]["id"].as_i64().unwrap();
        }
        Op::SendNewsletter => {
            let d = p
                .coord()
                .post_empty("/api/v1/communities/ipc/newsletters")
                .await;
            assert_eq!(d.status, 201, "{}", d.text);
            e.issue = d.body["issue"]["number"].as_i64().unwrap();
        }
        Op::FlagMessage | Op::SendMessage => {
            let path = format!("/api/v1/conversations/{}/messages", p.conversation);
            let m = author
                .post(&path, json!({"body": "The author's message"}))
                .await;
            assert_eq!(m.status, 201, "{}", m.text);
            e.message = m.body["id"].as_i64().unwrap();
            e.conversation = p.conversation;
        }
        _ => {}
    }
    e
}

/// The write itself; answers its status. `reply` is the author's reply (flagged by the member
/// for `DecideQueue`), `members_reply` the member's.
pub(super) async fn act(api: &Api, op: Op, replies: (i64, i64), thread: i64, e: &Extra) -> u16 {
    let (reply, members_reply) = replies;
    if let Some(status) = act_more(api, op, reply, e).await {
        return status;
    }
    let flag = json!({"reason": "spam"});
    let r = match op {
        Op::TellStory => {
            api.post(
                "/api/v1/communities/ipc/stories",
                story_body("Told by someone"),
            )
            .await
        }
        Op::CommentStory => {
            api.post(
                &format!("/api/v1/stories/{}/comments", e.story),
                json!({"body": "Me too"}),
            )
            .await
        }
        Op::FlagStory => {
            api.post(&format!("/api/v1/stories/{}/flags", e.story), flag)
                .await
        }
        Op::FlagComment => {
            api.post(&format!("/api/v1/story-comments/{}/flags", e.comment), flag)
                .await
        }
        Op::FlagMessage => {
            api.post(&format!("/api/v1/messages/{}/flags", e.message), flag)
                .await
        }
        Op::FlagProfile => {
            api.post(&format!("/api/v1/users/{}/flags", handle(W::Author)), flag)
                .await
        }
        Op::MoveThread => {
            let path = format!("/api/v1/threads/{thread}/moderation");
            api.post(&path, json!({"action": "move", "to": "wound"}))
                .await
        }
        Op::SplitReplies => {
            let split =
                json!({"action": "split", "replies": [members_reply], "title": "Split off"});
            api.post(&format!("/api/v1/threads/{thread}/moderation"), split)
                .await
        }
        other => unreachable!("{other:?} is tried by act_more or ops.rs"),
    };
    r.status
}

/// The writes on stories, conversations, circles, check-ins and the queue (`None` for the
/// others).
async fn act_more(api: &Api, op: Op, reply: i64, e: &Extra) -> Option<u16> {
    let story = format!("/api/v1/stories/{}", e.story);
    let r = match op {
        Op::DeleteStory => api.delete(&story).await,
        Op::DeleteComment => {
            api.delete(&format!("/api/v1/story-comments/{}", e.comment))
                .await
        }
        Op::PinStory => {
            api.put(&format!("{story}/pin"), json!({"pinned": true}))
                .await
        }
        Op::EndorseStory => api.put(&format!("{story}/endorsement"), json!({})).await,
        Op::SendMessage => {
            let path = format!("/api/v1/conversations/{}/messages", e.conversation);
            api.post(&path, json!({"body": "Me too"})).await
        }
        Op::CreateCircle => {
            let circle = json!({"name": "Written by someone", "purpose": "To try a write."});
            api.post("/api/v1/communities/ipc/circles", circle).await
        }
        Op::DecideQueue => {
            let decision = json!({"target": "reply", "id": reply, "action": "dismiss"});
            api.post("/api/v1/communities/ipc/moderation/queue", decision)
                .await
        }
        Op::AnswerCheckin => {
            let answer = json!({"learned": "A shorter audit form.", "applied": "Used it on 4B."});
            api.put(&format!("/api/v1/checkins/{}/answer", e.round), answer)
                .await
        }
        Op::ApproveJoin => {
            let path = format!(
                "/api/v1/communities/wapprove/join-requests/{}/approve",
                e.request
            );
            api.post_empty(&path).await
        }
        Op::SendNewsletter => {
            let path = format!("/api/v1/communities/ipc/newsletters/{}/send", e.issue);
            api.post_empty(&path).await
        }
        _ => return None,
    };
    Some(r.status)
}

/// Whether the site's queue holds `target` `id` (a site admin reads every community's).
async fn queued(admin: &Api, target: &str, id: i64) -> String {
    let q = admin.get("/api/v1/admin/moderation/queue").await;
    let found = q.body.as_array().into_iter().flatten();
    found
        .filter(|i| i["target"] == target && i["id"] == id)
        .map(|i| i["flags"].to_string())
        .collect()
}

/// What a site admin reads of the write's object.
pub(super) async fn probe(p: &People, op: Op, thread: i64, reply: i64, e: &Extra) -> String {
    let admin = p.admin();
    let story_path = format!("/api/v1/stories/{}", e.story);
    let story = || admin.get(&story_path);
    match op {
        Op::DeleteStory => story().await.status.to_string(),
        Op::PinStory => story().await.body["pinned"].to_string(),
        Op::EndorseStory => story().await.body["endorsements"].to_string(),
        Op::DeleteComment => {
            admin
                .get(&format!("/api/v1/stories/{}/comments", e.story))
                .await
                .text
        }
        Op::SendMessage => {
            let c = p.api[&W::Author]
                .get(&format!("/api/v1/conversations/{}", e.conversation))
                .await;
            c.body["messages"]
                .as_array()
                .map_or(0, Vec::len)
                .to_string()
        }
        Op::CreateCircle => admin.get("/api/v1/communities/ipc/circles").await.text,
        Op::DecideQueue => queued(admin, "reply", reply).await,
        Op::AnswerCheckin => {
            let path = format!("/api/v1/checkins/{}", e.round);
            p.coord().get(&path).await.text
        }
        Op::ApproveJoin => {
            admin
                .get("/api/v1/communities/wapprove/join-requests")
                .await
                .text
        }
        Op::SendNewsletter => {
            let path = format!("/api/v1/communities/ipc/newsletters/{}", e.issue);
            admin.get(&path).await.body["issue"].to_string()
        }
        Op::TellStory => admin.get("/api/v1/communities/ipc/stories").await.text,
        Op::CommentStory => {
            admin
                .get(&format!("/api/v1/stories/{}/comments", e.story))
                .await
                .text
        }
        Op::FlagStory => queued(admin, "story", e.story).await,
        Op::FlagComment => queued(admin, "story_comment", e.comment).await,
        Op::FlagMessage => queued(admin, "message", e.message).await,
        Op::FlagProfile => {
            let author = admin
                .get(&format!("/api/v1/users/{}", handle(W::Author)))
                .await;
            let id = p.api[&W::Author].get("/api/v1/me").await.body["id"]
                .as_i64()
                .unwrap();
            format!("{} {}", author.status, queued(admin, "profile", id).await)
        }
        Op::MoveThread => {
            admin.get(&format!("/api/v1/threads/{thread}")).await.body["community"].to_string()
        }
        Op::SplitReplies => {
            let t = admin.get(&format!("/api/v1/threads/{thread}")).await;
            t.body["replies"].as_array().map_or(0, Vec::len).to_string()
        }
        other => unreachable!("{other:?} is probed by ops.rs"),
    }
}

/// A flagged profile stays flagged for the next try: dismiss it, as a site admin would; an
/// issue not sent is deleted, as one issue is prepared at a time; the requester, declined or
/// let in, is out again to ask once more.
pub(super) async fn clean_up(p: &People, op: Op, e: &Extra) {
    if op == Op::ApproveJoin {
        let decline = format!(
            "/api/v1/communities/wapprove/join-requests/{}/decline",
            e.request
        );
        p.coord().post_empty(&decline).await;
        p.coord()
            .delete("/api/v1/communities/wapprove/members/wrequester")
            .await;
    }
    if op == Op::SendNewsletter {
        let path = format!("/api/v1/communities/ipc/newsletters/{}", e.issue);
        p.coord().delete(&path).await;
    }
    if op == Op::FlagProfile {
        let id = p.api[&W::Author].get("/api/v1/me").await.body["id"]
            .as_i64()
            .unwrap();
        p.admin()
            .post(
                "/api/v1/admin/moderation/queue",
                json!({"target": "profile", "id": id, "action": "dismiss"}),
            )
            .await;
    }
}
