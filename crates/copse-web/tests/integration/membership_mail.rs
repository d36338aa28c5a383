//! Membership that arrives: coordinators hear of a join request (in the app and by e-mail, as
//! each chose) while they coordinate; applicants hear of the answer; every new member — by
//! open join, approval or invitation — gets one welcome that leads to the community.

use serde_json::{Value, json};

use crate::common::*;

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;
const LATER: i64 = 3 * 60 * 1000;

fn to(messages: &[Value], address: &str, subject: &str) -> Vec<Value> {
    messages
        .iter()
        .filter(|m| m["to"].as_str().unwrap().contains(&format!("<{address}>")))
        .filter(|m| m["subject"].as_str().unwrap().contains(subject))
        .cloned()
        .collect()
}

async fn kinds(api: &Api) -> Vec<String> {
    let r = api.get("/api/v1/notifications").await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            format!(
                "{} {}",
                n["kind"].as_str().unwrap(),
                n["url"].as_str().unwrap()
            )
        })
        .collect()
}

async fn ask(api: &Api) -> i64 {
    let r = api
        .post(
            "/api/v1/communities/ipc/join",
            json!({"answers": ["Ward 3B"]}),
        )
        .await;
    assert_eq!(r.body["status"], "requested", "{}", r.text);
    r.body["request"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn coordinators_hear_of_requests_and_applicants_of_the_answer() {
    for (app, clock) in mail_apps(START).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let ada = app.api().person("ada").await;
        let lea = app.api().person("lea").await;
        let bob = app.api().person("bob").await;
        let dan = app.api().person("dan").await;
        ada.community("ipc", "public", true, "approval").await;
        let lea_in = ask(&lea).await;
        ada.post_empty(&format!(
            "/api/v1/communities/ipc/join-requests/{lea_in}/approve"
        ))
        .await;
        ada.put(
            "/api/v1/communities/ipc/members/lea",
            json!({"role": "leader"}),
        )
        .await;

        let bob_request = ask(&bob).await;
        let dan_request = ask(&dan).await;
        assert!(
            kinds(&ada)
                .await
                .contains(&"join_request /c/ipc/requests".to_string())
        );
        assert!(
            !kinds(&lea)
                .await
                .iter()
                .any(|k| k.starts_with("join_request")),
            "a leader does not answer requests"
        );
        let r = ada
            .post_empty(&format!(
                "/api/v1/communities/ipc/join-requests/{bob_request}/decline"
            ))
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
        let r = ada
            .post_empty(&format!(
                "/api/v1/communities/ipc/join-requests/{dan_request}/approve"
            ))
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
        assert_eq!(kinds(&bob).await, vec!["join_declined /c/ipc".to_string()]);
        assert!(
            kinds(&dan)
                .await
                .contains(&"join_approved /c/ipc".to_string())
        );

        clock.advance(LATER);
        worker(&app.state, port, "a", None).tick().await.unwrap();
        the_mail_says_so(&caught(&smtp));

        // A coordinator who steps down no longer sees the requests they were told of.
        ada.put(
            "/api/v1/communities/ipc/members/lea",
            json!({"role": "coordinator"}),
        )
        .await;
        lea.put(
            "/api/v1/communities/ipc/members/ada",
            json!({"role": "member"}),
        )
        .await;
        assert!(
            !kinds(&ada)
                .await
                .iter()
                .any(|k| k.starts_with("join_request"))
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn every_new_member_is_welcomed_once() {
    for (app, clock) in mail_apps(START).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let cy = app.api().person("cy").await;
        ada.community("open", "public", true, "open").await;
        // Joins, leaves and joins again: still one welcome.
        for step in ["join", "leave", "join"] {
            let r = bob
                .post_empty(&format!("/api/v1/communities/open/{step}"))
                .await;
            assert!(r.status < 300, "{step}: {}", r.text);
        }
        let invited = ada
            .post(
                "/api/v1/communities/open/invitations",
                json!({"invitee": "@cy"}),
            )
            .await;
        assert_eq!(invited.status, 201, "{}", invited.text);
        let id = invited.body["invitation"]["id"].as_i64().unwrap();
        let r = cy
            .post_empty(&format!("/api/v1/me/invitations/{id}/accept"))
            .await;
        assert!(r.status < 300, "{}", r.text);
        clock.advance(LATER);
        worker(&app.state, port, "a", None).tick().await.unwrap();
        let mail = caught(&smtp);
        assert_eq!(
            to(&mail, "bob@example.org", "Welcome").len(),
            1,
            "once: {mail:?}"
        );
        assert_eq!(
            to(&mail, "cy@example.org", "Welcome to Community open").len(),
            1
        );
        assert!(
            to(&mail, "ada@example.org", "Welcome").is_empty(),
            "not the founder"
        );
        app.finish().await;
    }
}

/// What the coordinator, the declined and the approved applicant find in their inboxes.
fn the_mail_says_so(mail: &[Value]) {
    let asks = to(mail, "ada@example.org", "asks to join");
    assert_eq!(asks.len(), 3, "lea, bob and dan asked: {mail:?}");
    assert!(
        asks[0]["links"][0]
            .as_str()
            .unwrap()
            .ends_with("/c/ipc/requests")
    );
    assert!(to(mail, "lea@example.org", "asks to join").is_empty());
    assert_eq!(
        to(mail, "bob@example.org", "declined your request").len(),
        1
    );
    assert!(to(mail, "bob@example.org", "Welcome").is_empty());
    let welcome = to(mail, "dan@example.org", "Welcome to Community ipc");
    assert_eq!(welcome.len(), 1, "{mail:?}");
    assert!(welcome[0]["links"][0].as_str().unwrap().ends_with("/c/ipc"));
    assert!(
        to(mail, "dan@example.org", "let you into").is_empty(),
        "an approval waits for the digest: the welcome says it at once"
    );
}
