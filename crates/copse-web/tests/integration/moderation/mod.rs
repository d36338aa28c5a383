//! Moderation through the API and the pages: flags hide a post at the community's threshold,
//! only established members' flags count, the review queue and its decisions, the thread tools
//! (pin, lock, hide), silences, the moderation log — and the posting limits that stop a flood,
//! with what was refused or hidden kept out of the digest.

mod approval;
mod elsewhere;
mod flags;
mod ledger;
mod limits;
mod merges;
mod moves;
mod tools;
mod unhide;
mod warnings;

use crate::common::*;
use serde_json::{Value, json};

/// A public, open community run by `coord`, with `names` as members; returns their clients.
async fn community_of(app: &TestApp, names: &[&str]) -> (Api, Vec<Api>) {
    let coord = app.api().person("coord").await;
    coord.community("ipc", "public", true, "open").await;
    let mut members = Vec::new();
    for name in names {
        let m = app.api().person(name).await;
        let r = m.post_empty("/api/v1/communities/ipc/join").await;
        assert_eq!(r.body["status"], "joined", "{}", r.text);
        members.push(m);
    }
    (coord, members)
}

/// A reply by `who` in `thread`; returns its id.
async fn reply(who: &Api, thread: i64, body: &str) -> i64 {
    let r = who
        .post(
            &format!("/api/v1/threads/{thread}/replies"),
            json!({"body": body}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

/// The reply `id` of a thread as `who` reads it.
async fn reply_seen(who: &Api, thread: i64, id: i64) -> Value {
    let t = who.get(&format!("/api/v1/threads/{thread}")).await;
    assert_eq!(t.status, 200, "{}", t.text);
    t.body["replies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .cloned()
        .unwrap()
}

fn flag(reason: &str) -> Value {
    json!({"reason": reason})
}
