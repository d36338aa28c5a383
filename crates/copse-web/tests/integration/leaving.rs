//! Leaving for good: one's data downloaded as one JSON document, and an account deleted —
//! refused with a wrong password, for the site's last admin and for a community's only
//! coordinator; afterwards nothing personal is left, and what it wrote stays under "a former
//! member" unless it asked for that to go too.

use serde_json::{Value, json};

use crate::common::*;

/// Ada coordinates "ipc" with Bob as a member; she starts a thread Bob answers, a thread
/// nobody answers, and a conversation with Bob. Returns (answered, unanswered, conversation).
pub(crate) async fn ada_and_bob(ada: &Api, bob: &Api) -> (i64, i64, i64) {
    ada.community("ipc", "public", true, "open").await;
    assert_eq!(
        bob.post_empty("/api/v1/communities/ipc/join").await.status,
        200
    );
    let answered = ada
        .thread("ipc", json!({"title": "Glove changes between patients?", "body": "Ada asks lvglove", "kind": "question"}))
        .await;
    let unanswered = ada
        .thread(
            "ipc",
            json!({"title": "Night audits", "body": "Ada wonders lvnight", "kind": "discussion"}),
        )
        .await;
    let r = bob
        .post(
            &format!("/api/v1/threads/{answered}/replies"),
            json!({"body": "Bob answers lvbob"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = ada
        .post(
            &format!("/api/v1/threads/{answered}/replies"),
            json!({"body": "Ada thanks lvthanks"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let c = ada
        .post(
            "/api/v1/conversations",
            json!({"people": ["bob"], "subject": "Audits", "body": "Ada privately lvprivate"}),
        )
        .await;
    assert_eq!(c.status, 201, "{}", c.text);
    (answered, unanswered, c.body["id"].as_i64().unwrap())
}

#[tokio::test]
async fn the_export_holds_what_the_person_gave_and_nothing_of_others() {
    for app in apps().await {
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        ada_and_bob(&ada, &bob).await;
        let r = ada.get("/api/v1/me/export").await;
        assert_eq!(r.status, 200, "{}", r.text);
        let d = &r.body;
        assert_eq!(d["account"]["email"], "ada@example.org");
        assert_eq!(d["memberships"][0]["role"], "coordinator");
        let threads: Vec<&str> = d["writing"]["threads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["body"].as_str().unwrap())
            .collect();
        assert_eq!(threads.len(), 2);
        assert!(threads.contains(&"Ada asks lvglove"));
        assert_eq!(d["writing"]["replies"][0]["body"], "Ada thanks lvthanks");
        assert_eq!(d["messages_sent"][0]["body"], "Ada privately lvprivate");
        assert!(!r.text.contains("lvbob"), "nothing Bob wrote");
        assert!(!r.text.contains("bob@example.org"), "no one else's address");
        assert_eq!(app.api().get("/api/v1/me/export").await.status, 401);

        // The page offers the same as a download named after the account.
        let browser = app.signed_in("ada@example.org").await;
        let file = browser
            .get(app.url("/settings/account/export"))
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 200);
        let disposition = file.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.starts_with("attachment; filename=\"copse-ada-"),
            "{disposition}"
        );
        let body: Value = file.json().await.unwrap();
        assert_eq!(body["writing"], d["writing"]);
        app.finish().await;
    }
}

#[tokio::test]
async fn a_deletion_is_refused_until_it_may_and_then_leaves_nothing_personal() {
    for app in apps().await {
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let (answered, unanswered, conversation) = ada_and_bob(&ada, &bob).await;
        let delete = |password: &str| {
            let ada = ada.clone();
            let body = json!({"password": password});
            async move { ada.delete_with("/api/v1/me", body).await }
        };
        let r = delete("not my password").await;
        assert_eq!(r.status, 422, "{}", r.text);
        let r = delete(PASSWORD).await;
        assert_eq!(r.status, 409, "{}", r.text);
        assert!(
            r.text.contains("only coordinator of Community ipc"),
            "{}",
            r.text
        );
        assert_eq!(
            ada.get("/api/v1/me").await.status,
            200,
            "refusals change nothing"
        );

        let r = ada
            .put(
                "/api/v1/communities/ipc/members/bob",
                json!({"role": "coordinator"}),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
        let r = delete(PASSWORD).await;
        assert_eq!(r.status, 204, "{}", r.text);

        assert_eq!(ada.get("/api/v1/me").await.status, 401, "the token is gone");
        let signin = app
            .api()
            .post(
                "/api/v1/auth/tokens",
                json!({"email": "ada@example.org", "password": PASSWORD}),
            )
            .await;
        assert_eq!(signin.status, 401);
        assert_eq!(bob.get("/api/v1/users/ada").await.status, 404, "no profile");
        let members = bob.get("/api/v1/communities/ipc/members").await;
        assert!(!members.text.contains("\"ada\""), "{}", members.text);
        let talk = bob
            .get(&format!("/api/v1/conversations/{conversation}"))
            .await;
        assert!(
            !talk.text.contains("lvprivate"),
            "her private messages are gone: {}",
            talk.text
        );

        // What she wrote in public stays, under "a former member".
        for (thread, text) in [(answered, "lvglove"), (unanswered, "lvnight")] {
            let t = bob.get(&format!("/api/v1/threads/{thread}")).await;
            assert_eq!(t.status, 200);
            assert!(
                t.text.contains(text) && t.text.contains("a former member"),
                "{}",
                t.text
            );
            assert!(!t.text.contains("\"ada\""), "{}", t.text);
        }
        // A new account may take her address, never her old handle's place by accident.
        let again = app.api().person("ada").await;
        assert_eq!(again.get("/api/v1/me").await.body["handle"], "ada");
        app.finish().await;
    }
}

#[tokio::test]
async fn a_deletion_that_takes_its_contributions_keeps_others_answers() {
    for app in apps().await {
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let (answered, unanswered, _) = ada_and_bob(&ada, &bob).await;
        ada.put(
            "/api/v1/communities/ipc/members/bob",
            json!({"role": "coordinator"}),
        )
        .await;
        let r = ada
            .delete_with(
                "/api/v1/me",
                json!({"password": PASSWORD, "remove_contributions": true}),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
        assert_eq!(
            bob.get(&format!("/api/v1/threads/{unanswered}"))
                .await
                .status,
            404
        );
        let t = bob.get(&format!("/api/v1/threads/{answered}")).await;
        assert_eq!(t.status, 200);
        assert!(t.text.contains("lvbob"), "Bob's answer stays: {}", t.text);
        assert!(
            !t.text.contains("lvglove") && !t.text.contains("lvthanks"),
            "{}",
            t.text
        );
        let found = bob.get("/api/v1/search?q=lvnight").await;
        assert!(
            !found.text.contains("Night audits"),
            "gone from search: {}",
            found.text
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn the_last_admin_cannot_delete_their_account() {
    for app in apps().await {
        let root = app.admin("root").await;
        let r = root
            .delete_with("/api/v1/me", json!({"password": PASSWORD}))
            .await;
        assert_eq!(r.status, 409, "{}", r.text);
        assert!(r.text.contains("last admin"), "{}", r.text);
        app.finish().await;
    }
}
