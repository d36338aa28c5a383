//! Private life through HTTP: circles, conversations, blocks and connections with meeting
//! times — the flows, the limits and the bad input — on every backend under test.

mod circles;
mod connections;
mod conversations;

use crate::common::*;
use serde_json::{Value, json};

/// The names of the circles a list shows.
fn circle_names(r: &Reply) -> Vec<String> {
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

/// A new conversation about hand hygiene audits with `to`.
fn conversation(to: Vec<&str>, body: &str) -> Value {
    json!({"people": to, "subject": "Hand hygiene audits", "body": body})
}

/// A connection request to `to` about hand-hygiene audits.
fn request_to(to: &str) -> Value {
    json!({"handle": to, "topic": "hand-hygiene audits", "message": "I'd like to learn how your ward runs them."})
}

/// Whether a page or feed names the connection's conversation.
fn names_the_conversation(r: &Reply) -> bool {
    r.text.contains("Conversation: hand-hygiene audits")
}
