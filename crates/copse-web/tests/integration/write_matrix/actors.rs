//! The actors of the write matrix and the world they act in: the community "ipc" with a member
//! at every level, a silenced member, a suspended one, an observer, a stranger, a site admin and
//! the coordinator of another community.

use std::collections::BTreeMap;

use crate::common::*;
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum W {
    Anonymous,
    Stranger,
    Observer,
    Member,
    /// The member who wrote the thread or reply the write is about.
    Author,
    CircleMember,
    Leader,
    Coordinator,
    /// The coordinator of another community.
    OtherModerator,
    Silenced,
    Suspended,
    Admin,
}

pub(super) const ACTORS: [W; 12] = [
    W::Anonymous,
    W::Stranger,
    W::Observer,
    W::Member,
    W::Author,
    W::CircleMember,
    W::Leader,
    W::Coordinator,
    W::OtherModerator,
    W::Silenced,
    W::Suspended,
    W::Admin,
];

pub(super) fn handle(w: W) -> &'static str {
    match w {
        W::Anonymous => "",
        W::Stranger => "wstranger",
        W::Observer => "wobserver",
        W::Member => "wmember",
        W::Author => "wauthor",
        W::CircleMember => "wcircler",
        W::Leader => "wleader",
        W::Coordinator => "wcoord",
        W::OtherModerator => "wother",
        W::Silenced => "wsilenced",
        W::Suspended => "wsuspended",
        W::Admin => "wroot",
    }
}

pub(super) struct People {
    pub(super) api: BTreeMap<W, Api>,
    /// A browser signed in with the page form as each actor (none for the visitor).
    pub(super) browsers: BTreeMap<W, reqwest::Client>,
    /// The author's conversation with the member (conversations are limited per day: one for
    /// every try).
    pub(super) conversation: i64,
    /// Someone who asks to join "wapprove" (sign-ups are limited per hour: one for every try).
    pub(super) requester: Api,
    /// The open check-in round of "ipc".
    pub(super) round: i64,
}

impl People {
    pub(super) fn admin(&self) -> &Api {
        &self.api[&W::Admin]
    }

    pub(super) fn coord(&self) -> &Api {
        &self.api[&W::Coordinator]
    }
}

pub(super) async fn people(app: &TestApp) -> People {
    let mut api = BTreeMap::new();
    api.insert(W::Anonymous, app.api());
    for w in ACTORS
        .iter()
        .filter(|w| !matches!(w, W::Anonymous | W::Admin))
    {
        api.insert(*w, app.api().person(handle(*w)).await);
    }
    api.insert(W::Admin, app.admin(handle(W::Admin)).await);
    api[&W::Coordinator]
        .community("ipc", "public", true, "open")
        .await;
    the_other_community(&api).await;
    for w in [
        W::Member,
        W::Author,
        W::CircleMember,
        W::Leader,
        W::Silenced,
        W::Suspended,
    ] {
        let r = api[&w].post_empty("/api/v1/communities/ipc/join").await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    api[&W::Observer]
        .post_empty("/api/v1/communities/ipc/follow")
        .await;
    let coord = &api[&W::Coordinator];
    coord
        .put(
            "/api/v1/communities/ipc/members/wleader",
            json!({"role": "leader"}),
        )
        .await;
    let circle = api[&W::CircleMember]
        .post(
            "/api/v1/communities/ipc/circles",
            json!({"name": "Night shift", "purpose": "We cover the night shifts together."}),
        )
        .await;
    assert_eq!(circle.status, 201, "{}", circle.text);
    let silence = json!({"handle": "wsilenced", "days": 30, "reason": "cooling off"});
    assert_eq!(
        coord
            .post("/api/v1/communities/ipc/silences", silence)
            .await
            .status,
        201
    );
    let mut browsers = BTreeMap::new();
    for w in ACTORS.iter().filter(|w| **w != W::Anonymous) {
        let email = format!("{}@example.org", handle(*w));
        browsers.insert(*w, app.signed_in(&email).await);
    }
    browsers.insert(W::Anonymous, app.browser());
    let suspended = api[&W::Admin]
        .post(
            "/api/v1/admin/users/wsuspended/suspend",
            json!({"reason": "spam"}),
        )
        .await;
    assert_eq!(suspended.status, 200, "{}", suspended.text);
    let conversation = conversation(&api).await;
    let round = checkin_round(&api).await;
    People {
        api,
        browsers,
        conversation,
        requester: app.api().person("wrequester").await,
        round,
    }
}

/// "wound", run by another community's coordinator — and by ours too: a thread may be moved
/// only between communities its mover moderates; and "wapprove", ours, where joining waits.
async fn the_other_community(api: &BTreeMap<W, Api>) {
    api[&W::OtherModerator]
        .community("wound", "public", true, "open")
        .await;
    api[&W::Coordinator]
        .post_empty("/api/v1/communities/wound/join")
        .await;
    api[&W::OtherModerator]
        .put(
            "/api/v1/communities/wound/members/wcoord",
            json!({"role": "coordinator"}),
        )
        .await;
    // Where joining waits for a coordinator's approval.
    api[&W::Coordinator]
        .community("wapprove", "public", true, "approval")
        .await;
}

/// The author's conversation with the member.
async fn conversation(api: &BTreeMap<W, Api>) -> i64 {
    let c = api[&W::Author]
        .post(
            "/api/v1/conversations",
            json!({"people": [handle(W::Member)], "subject": "Rotas", "body": "Hello"}),
        )
        .await;
    assert_eq!(c.status, 201, "{}", c.text);
    c.body["id"].as_i64().unwrap()
}

/// A check-in round of "ipc", opened now by its coordinator.
async fn checkin_round(api: &BTreeMap<W, Api>) -> i64 {
    let coord = &api[&W::Coordinator];
    let schedule = json!({"prompt": "What did you learn here this month?", "cadence": "monthly"});
    let set = coord
        .put("/api/v1/communities/ipc/checkin-schedule", schedule)
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
    let round = coord.post_empty("/api/v1/communities/ipc/checkins").await;
    assert_eq!(round.status, 201, "{}", round.text);
    round.body["id"]
        .as_i64()
        .or(round.body["checkin"]["id"].as_i64())
        .unwrap()
}
