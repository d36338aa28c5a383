//! The writes on whole communities: merging a community into "ipc", and splitting a topic of
//! "ipc" off into a new community. Each split takes a fresh topic (with a thread in it). Each
//! merge merges a fresh community, started by a site admin (who is not held to the daily limit
//! on new communities) with the matrix's coordinator made its coordinator and its leader its
//! leader too — so the coordinator coordinates both, the leader leads both, and the others are
//! at most members of "ipc". Asking for an archive of "ipc" is tried here too: not a write to
//! the community, but one to the site (the archive's row and its job), so archiving "ipc" does
//! not stop it.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use super::actors::{People, W, handle};
use super::ops::Op;
use crate::common::*;

static MADE: AtomicUsize = AtomicUsize::new(0);

pub(super) fn handles(op: Op) -> bool {
    matches!(
        op,
        Op::MergeCommunity | Op::SplitCommunity | Op::ExportCommunity
    )
}

/// The community a merge is tried on, or the topic a split takes along (and the address of the
/// community it would make); empty for other writes.
pub(super) async fn source(p: &People, op: Op) -> String {
    match op {
        Op::MergeCommunity => community_to_merge(p).await,
        Op::SplitCommunity => topic_to_split(p).await,
        Op::ExportCommunity => "ipc".to_string(),
        _ => String::new(),
    }
}

async fn topic_to_split(p: &People) -> String {
    let slug = format!("wsplit-{}", MADE.fetch_add(1, Ordering::Relaxed));
    let topic = json!({"slug": slug, "name": format!("Topic {slug}")});
    let made = p
        .coord()
        .post("/api/v1/communities/ipc/topics", topic)
        .await;
    assert_eq!(made.status, 201, "{}", made.text);
    p.api[&W::Author]
        .thread(
            "ipc",
            json!({"title": "Filed to be split off", "body": "x", "topics": [slug]}),
        )
        .await;
    slug
}

async fn community_to_merge(p: &People) -> String {
    let slug = format!("wmerge-{}", MADE.fetch_add(1, Ordering::Relaxed));
    p.admin().community(&slug, "public", true, "open").await;
    // The leader leads both, so that a merge open to leaders would show here.
    for (who, role) in [(W::Coordinator, "coordinator"), (W::Leader, "leader")] {
        let joined = p.api[&who]
            .post_empty(&format!("/api/v1/communities/{slug}/join"))
            .await;
        assert_eq!(joined.status, 200, "{}", joined.text);
        let path = format!("/api/v1/communities/{slug}/members/{}", handle(who));
        let made = p.admin().put(&path, json!({"role": role})).await;
        assert_eq!(made.status, 204, "{}", made.text);
    }
    slug
}

pub(super) async fn act(api: &Api, op: Op, source: &str) -> u16 {
    if op == Op::SplitCommunity {
        let split = json!({"name": format!("Split {source}"), "slug": source,
                           "domain_statement": "A practice of its own.", "topics": [source]});
        return api
            .post("/api/v1/communities/ipc/split", split)
            .await
            .status;
    }
    if op == Op::ExportCommunity {
        let path = format!("/api/v1/communities/{source}/exports");
        return api.post_empty(&path).await.status;
    }
    let path = format!("/api/v1/communities/{source}/merge");
    api.post(&path, json!({"into": "ipc"})).await.status
}

/// What a site admin reads at the source's community address: the merged community (itself
/// until it is merged), the split one (none until it is made); for an archive, the archives
/// asked for of "ipc" (a site admin sees everyone's).
pub(super) async fn probe(p: &People, op: Op, source: &str) -> String {
    if op == Op::ExportCommunity {
        let r = p
            .admin()
            .get(&format!("/api/v1/communities/{source}/exports"))
            .await;
        return format!("{} {}", r.status, r.text);
    }
    let r = p
        .admin()
        .get(&format!("/api/v1/communities/{source}"))
        .await;
    format!("{} {}", r.status, r.body["slug"])
}
