//! Threads, replies, answers and topics through HTTP, on every backend under test. Each allowed
//! case is paired with the refused one.

mod edits;
mod questions;
mod reading;
mod topics;

use crate::common::*;
use serde_json::json;

async fn setup(app: &TestApp) -> (Api, Api, Api, Api) {
    let coord = app.api().person("coord").await;
    let ada = app.api().person("ada").await;
    let bob = app.api().person("bob").await;
    let obs = app.api().person("obs").await;
    coord.community("ipc", "public", true, "open").await;
    assert_eq!(
        ada.post_empty("/api/v1/communities/ipc/join").await.status,
        200
    );
    assert_eq!(
        bob.post_empty("/api/v1/communities/ipc/join").await.status,
        200
    );
    assert_eq!(
        obs.post_empty("/api/v1/communities/ipc/follow")
            .await
            .status,
        204
    );
    (coord, ada, bob, obs)
}

/// The titles of a search's hits, in order.
fn titles(r: &Reply) -> Vec<String> {
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}
