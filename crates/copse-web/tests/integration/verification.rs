//! Verified e-mail: a sign-up gets a link by e-mail; until it is followed the account reads
//! and edits its profile but does not post, receives nothing else, and cannot take an
//! invitation sent to its address — which closes the hole where anyone could sign up with an
//! invited address and walk into a private community.

use serde_json::{Value, json};

use crate::common::*;

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;
/// Monday 2029-12-31, 08:00 UTC: the weekly digests of the week before are due.
const MONDAY: i64 = 1_893_398_400_000;

/// The verification link of the one message to `address`, and its secret.
fn link_to(messages: &[Value], address: &str) -> (String, String) {
    let mail = messages
        .iter()
        .filter(|m| m["to"].as_str().unwrap().contains(&format!("<{address}>")))
        .find(|m| m["subject"] == "Confirm your e-mail address")
        .unwrap_or_else(|| panic!("no verification link to {address}"));
    assert_eq!(
        mail["list_unsubscribe"], "None",
        "a link to verify is not a list"
    );
    let url = mail["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|l| l.contains("/verify-email?token="))
        .expect("the link in the HTML part")
        .to_string();
    assert!(
        mail["text"].as_str().unwrap().contains(&url),
        "and in the text part"
    );
    let secret = url.split("token=").nth(1).unwrap().to_string();
    assert!(secret.starts_with("cpv_"), "{secret}");
    (url, secret)
}

/// Signs up `handle` with `email` through the API, as a stranger would: nothing verifies it.
async fn stranger(app: &TestApp, handle: &str, email: &str) -> Api {
    let api = app.api();
    let r = api
        .post(
            "/api/v1/auth/signup",
            json!({"handle": handle, "email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["email_verified"], false);
    let t = api
        .post(
            "/api/v1/auth/tokens",
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(t.status, 201, "{}", t.text);
    Api {
        token: Some(t.body["token"].as_str().unwrap().to_string()),
        ..api
    }
}

#[tokio::test]
async fn an_invitation_by_email_waits_until_the_address_is_verified() {
    for (app, _clock) in mail_apps(START).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        coord
            .community("ward", "private", false, "invitation")
            .await;
        let inv = coord
            .post(
                "/api/v1/communities/ward/invitations",
                json!({"invitee": "carol@example.org"}),
            )
            .await;
        assert_eq!(inv.status, 201, "{}", inv.text);
        let link = inv.body["link"].as_str().unwrap().to_string();
        let link_path = &link[link.find("/invitations/link/").unwrap()..];

        // Someone signs up with Carol's address: the invitation is not theirs to take.
        let taker = stranger(&app, "taker", "carol@example.org").await;
        refused_until_verified(&app, &taker, link_path).await;

        // Whoever reads Carol's mail follows the link sent there…
        worker(&app.state, port, "a", None).tick().await.unwrap();
        let messages = caught(&smtp);
        assert!(
            messages
                .iter()
                .any(|m| m["subject"] == "You are invited to Community ward"
                    && m["to"].as_str().unwrap().contains("<carol@example.org>")),
            "the invitation itself went to the address"
        );
        let (url, secret) = link_to(&messages, "carol@example.org");
        follow_the_link(&app, &taker, &url, &secret).await;

        // …and now the invitation is accepted.
        let browser = app.signed_in("carol@example.org").await;
        let accepted = browser
            .post(app.url(&format!("{link_path}/accept")))
            .send()
            .await
            .unwrap();
        assert_eq!(accepted.status(), 303);
        let ward = taker.get("/api/v1/communities/ward").await;
        assert_eq!(ward.body["your_role"], "member", "{}", ward.text);
    }
}

/// Before verification: the link's accept is refused with why, the invitation is not in the
/// account's list, the community stays hidden, and the account may not post.
async fn refused_until_verified(app: &TestApp, taker: &Api, link_path: &str) {
    let browser = app.signed_in("carol@example.org").await;
    let refused = browser
        .post(app.url(&format!("{link_path}/accept")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Verify your e-mail address first"),
        "the refusal says what to do"
    );
    let mine = taker.get("/api/v1/me/invitations").await;
    assert_eq!(mine.body["items"], json!([]), "{}", mine.text);
    assert_eq!(taker.get("/api/v1/communities/ward").await.status, 404);
    let post = taker
        .post(
            "/api/v1/communities",
            json!({"name": "Mine", "slug": "mine", "domain_statement": "We learn.",
                   "visibility": "public", "listed": true, "join_policy": "open"}),
        )
        .await;
    assert_eq!(post.status, 403, "{}", post.text);
    assert!(post.text.contains("Verify your e-mail address first"));
    let profile = taker.patch("/api/v1/me", json!({"bio": "Nurse."})).await;
    assert_eq!(profile.status, 200, "the profile can be edited meanwhile");
}

/// Opening the link changes nothing (a mail scanner may fetch it); pressing its button, or the
/// API, verifies; the link then works no more.
async fn follow_the_link(app: &TestApp, taker: &Api, url: &str, secret: &str) {
    let path = &url[url.find("/verify-email").unwrap()..];
    let page = reqwest::get(app.url(path)).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Confirm my address"));
    assert_eq!(taker.get("/api/v1/me").await.body["email_verified"], false);
    let verified = app
        .api()
        .post("/api/v1/auth/verify-email", json!({"token": secret}))
        .await;
    assert_eq!(verified.status, 200, "{}", verified.text);
    assert_eq!(verified.body["email_verified"], true);
    let again = app
        .api()
        .post("/api/v1/auth/verify-email", json!({"token": secret}))
        .await;
    assert_eq!(again.status, 422);
    assert!(again.text.contains("used already"), "{}", again.text);
}

#[tokio::test]
async fn an_address_taken_before_the_invitation_does_not_name_its_account() {
    for (app, _clock) in mail_apps(START).await {
        let taker = stranger(&app, "early", "dora@example.org").await;
        let coord = app.api().person("coord").await;
        coord
            .community("ward", "private", false, "invitation")
            .await;
        let inv = coord
            .post(
                "/api/v1/communities/ward/invitations",
                json!({"invitee": "dora@example.org"}),
            )
            .await;
        assert_eq!(inv.status, 201, "{}", inv.text);
        let mine = taker.get("/api/v1/me/invitations").await;
        assert_eq!(mine.body["items"], json!([]), "{}", mine.text);
        assert_eq!(
            taker.get("/api/v1/communities/ward").await.status,
            404,
            "an invitation by handle would show the listing; this one names no account"
        );
        let link = inv.body["link"].as_str().unwrap();
        let path = &link[link.find("/invitations/link/").unwrap()..];
        let browser = app.signed_in("dora@example.org").await;
        let refused = browser
            .post(app.url(&format!("{path}/accept")))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
    }
}

#[tokio::test]
async fn an_expired_or_unknown_link_says_so_and_changes_nothing() {
    for (app, clock) in mail_apps(START).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let dan = stranger(&app, "dan", "dan@example.org").await;
        worker(&app.state, port, "a", None).tick().await.unwrap();
        let (_, old) = link_to(&caught(&smtp), "dan@example.org");
        clock.advance(3 * 24 * 3_600_000);
        let expired = app
            .api()
            .post("/api/v1/auth/verify-email", json!({"token": old}))
            .await;
        assert_eq!(expired.status, 422);
        assert!(expired.text.contains("expired"), "{}", expired.text);
        let unknown = app
            .api()
            .post("/api/v1/auth/verify-email", json!({"token": "cpv_nothing"}))
            .await;
        assert_eq!(unknown.status, 422);
        assert_eq!(dan.get("/api/v1/me").await.body["email_verified"], false);

        // A new link, asked for from the account, works.
        assert_eq!(dan.post_empty("/api/v1/me/verification").await.status, 202);
        worker(&app.state, port, "a", None).tick().await.unwrap();
        let messages = caught(&smtp);
        assert_eq!(messages.len(), 2);
        let fresh = messages
            .iter()
            .map(|m| link_to(std::slice::from_ref(m), "dan@example.org").1)
            .find(|s| *s != old)
            .expect("a second, different link");
        let ok = app
            .api()
            .post("/api/v1/auth/verify-email", json!({"token": fresh}))
            .await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        let verified_already = dan.post_empty("/api/v1/me/verification").await;
        assert_eq!(verified_already.status, 409);
    }
}

#[tokio::test]
async fn nothing_but_the_link_goes_to_an_unverified_address() {
    for (app, clock) in mail_apps(START).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        coord.community("ipc", "public", true, "open").await;
        let ver = app.api().person("ver").await;
        let unv = stranger(&app, "unv", "unv@example.org").await;
        for member in [&ver, &unv] {
            let joined = member.post_empty("/api/v1/communities/ipc/join").await;
            assert_eq!(
                joined.status, 200,
                "joining waits for nothing: {}",
                joined.text
            );
        }
        let reply = unv
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Hello", "body": "x"}),
            )
            .await;
        assert_eq!(
            reply.status, 403,
            "an unverified member reads but does not post"
        );
        coord
            .thread(
                "ipc",
                json!({"title": "Hand hygiene audit", "body": "How do you audit?"}),
            )
            .await;
        clock.set(MONDAY);
        let w = worker(&app.state, port, "a", None);
        w.tick().await.unwrap();
        w.tick().await.unwrap();
        let messages = caught(&smtp);
        let to_unv: Vec<&Value> = messages
            .iter()
            .filter(|m| m["to"].as_str().unwrap().contains("<unv@example.org>"))
            .collect();
        assert_eq!(to_unv.len(), 1, "only the link: {to_unv:?}");
        assert_eq!(to_unv[0]["subject"], "Confirm your e-mail address");
        let digests_to_ver = messages
            .iter()
            .filter(|m| m["to"].as_str().unwrap().contains("<ver@example.org>"))
            .filter(|m| m["subject"].as_str().unwrap().contains("weekly digest"))
            .count();
        assert_eq!(digests_to_ver, 1, "the verified member gets theirs");
    }
}
