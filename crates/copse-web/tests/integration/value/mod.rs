//! Value-creation stories through HTTP: credits checked against the access policy, anonymity,
//! endorsements that count once, bad input, and the value report.

mod checkins;
mod credits;
mod stories;

use crate::common::*;
use copse_app::worker::Worker;
use copse_core::clock::FixedClock;
use serde_json::{Value, json};

const HOUR: i64 = 3_600_000;

/// A story crediting `credits`, with an effect of six hours a month.
fn story_crediting(credits: Vec<String>) -> Value {
    json!({"happened": "The audit checklist thread.", "took": "A shorter checklist.", "did": "Used it on 4B.",
           "difference": "Audits are faster.", "cycles": ["applied", "realized"], "effect_value": 6,
           "effect_unit": "hours", "effect_period": "per month", "credits": credits})
}

/// A page's text as `client` reads it.
async fn page_text(client: reqwest::Client, url: String) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

/// A story crediting the thread and the event, on "audits", with `extra` fields on top.
fn story_with(thread: i64, event: i64, extra: Value) -> Value {
    let mut s = json!({"happened": "The audit checklist thread and the clinic.", "took": "A shorter checklist.",
                       "cycles": ["applied"], "credits": [format!("thread:{thread}"), format!("event:{event}")],
                       "topics": ["audits"]});
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    s
}

/// The stories crediting ada's work that `who` may read, by id.
async fn credited_to_ada(who: &Api) -> Vec<i64> {
    let r = who.get("/api/v1/users/ada/credits").await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut ids: Vec<i64> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

/// How many times `who` was asked in-app to answer check-in round `round`.
async fn asked(who: &Api, round: i64) -> usize {
    who.get("/api/v1/notifications").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "check_in" && n["checkin_id"] == round)
        .count()
}

/// The kinds of a person's notifications about stories, with who they name as the actor.
async fn story_notes(who: &Api) -> Vec<(String, i64, String)> {
    let r = who.get("/api/v1/notifications").await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| !n["story_id"].is_null())
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_string(),
                n["story_id"].as_i64().unwrap(),
                n["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
