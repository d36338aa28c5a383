//! A forgotten password: the same answer for every address, a single-use link that lasts an
//! hour, a new password that ends every session and token — and nothing changes on a bad try.

use serde_json::{Value, json};

use crate::common::*;

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;
const NEW_PASSWORD: &str = "a brand new passphrase";

/// The secrets of the reset links mailed to `address`, in no order.
fn reset_secrets(messages: &[Value], address: &str) -> Vec<String> {
    messages
        .iter()
        .filter(|m| m["to"].as_str().unwrap().contains(&format!("<{address}>")))
        .filter(|m| m["subject"] == "Choose a new password")
        .map(|m| {
            let url = m["links"][0].as_str().unwrap();
            assert!(
                url.starts_with(&format!("{MAIL_BASE}/reset-password?token=cpr_")),
                "{url}"
            );
            assert_eq!(m["list_unsubscribe"], "None");
            url.split("token=").nth(1).unwrap().to_string()
        })
        .collect()
}

async fn ask(app: &TestApp, email: &str) -> Reply {
    app.api()
        .post("/api/v1/auth/password-reset", json!({ "email": email }))
        .await
}

async fn set_password(app: &TestApp, token: &str, password: &str) -> Reply {
    app.api()
        .post(
            "/api/v1/auth/password-reset/confirm",
            json!({ "token": token, "new_password": password }),
        )
        .await
}

async fn signs_in(app: &TestApp, email: &str, password: &str) -> bool {
    app.api()
        .post(
            "/api/v1/auth/tokens",
            json!({ "email": email, "password": password }),
        )
        .await
        .status
        == 201
}

#[tokio::test]
async fn a_forgotten_password_is_reset_by_its_link_and_every_session_ends() {
    for (app, clock) in mail_apps(START).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let ada = app.api().person("ada").await;
        let browser = app.signed_in("ada@example.org").await;

        let known = ask(&app, "ada@example.org").await;
        let unknown = ask(&app, "nobody@example.org").await;
        assert_eq!(known.status, 202);
        assert_eq!((known.status, &known.text), (unknown.status, &unknown.text));
        clock.advance(1_000); // a second ask is a second link (asks are told apart by time)
        let page = |email: &'static str| {
            let client = app.browser();
            let url = app.url("/forgot-password");
            async move {
                let r = client
                    .post(url)
                    .form(&[("email", email)])
                    .send()
                    .await
                    .unwrap();
                (
                    r.status(),
                    r.text().await.unwrap().replace(email, "ADDRESS"),
                )
            }
        };
        assert_eq!(page("ada@example.org").await, page("who@example.org").await);

        worker(&app.state, port, "a", None).tick().await.unwrap();
        let messages = caught(&smtp);
        let secrets = reset_secrets(&messages, "ada@example.org");
        assert_eq!(secrets.len(), 2, "one link per ask (API and page)");
        assert!(reset_secrets(&messages, "nobody@example.org").is_empty());
        a_bad_try_changes_nothing(&app, &secrets[0]).await;

        let form = app.browser();
        let reset = form
            .post(app.url("/reset-password"))
            .form(&[
                ("token", secrets[0].as_str()),
                ("new_password", NEW_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(reset.status(), 303);
        assert!(
            reset.headers()["location"]
                .to_str()
                .unwrap()
                .contains("password-reset")
        );

        // Every session and token of the account ended; the new password is the one.
        let old_session = browser
            .get(app.url("/settings/profile"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            old_session.status(),
            401,
            "the old browser session is signed out"
        );
        assert_eq!(
            ada.get("/api/v1/me").await.status,
            401,
            "the old API token is revoked"
        );
        assert!(!signs_in(&app, "ada@example.org", PASSWORD).await);
        assert!(signs_in(&app, "ada@example.org", NEW_PASSWORD).await);
        let again = set_password(&app, &secrets[0], "yet another passphrase").await;
        assert_eq!(again.status, 422);
        assert!(again.text.contains("used already"), "{}", again.text);
    }
}

/// A weak password is refused and the link still works; a made-up link is refused.
async fn a_bad_try_changes_nothing(app: &TestApp, secret: &str) {
    let weak = set_password(app, secret, "short").await;
    assert_eq!(weak.status, 422);
    assert_eq!(weak.body["error"]["field"], "new_password");
    let made_up = set_password(app, "cpr_0000", NEW_PASSWORD).await;
    assert_eq!(made_up.status, 422);
    assert!(
        signs_in(app, "ada@example.org", PASSWORD).await,
        "the old password still works"
    );
    let form = reqwest::get(app.url(&format!("/reset-password?token={secret}")))
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("Set my new password"));
}

#[tokio::test]
async fn links_expire_within_the_hour_and_asking_is_throttled_per_address() {
    for (app, clock) in mail_apps(START).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        app.api().person("bob").await;
        assert_eq!(ask(&app, "bob@example.org").await.status, 202);
        worker(&app.state, port, "a", None).tick().await.unwrap();
        let secret = reset_secrets(&caught(&smtp), "bob@example.org").remove(0);
        clock.advance(61 * 60_000);
        let late = set_password(&app, &secret, NEW_PASSWORD).await;
        assert_eq!(late.status, 422);
        assert!(late.text.contains("expired"), "{}", late.text);
        assert!(signs_in(&app, "bob@example.org", PASSWORD).await);

        // Three asks an hour per address (the first ask is over an hour old now) — known or
        // not, the answers stay alike.
        for address in ["bob@example.org", "nobody@example.org"] {
            for _ in 0..3 {
                assert_eq!(ask(&app, address).await.status, 202);
            }
            let fourth = ask(&app, address).await;
            assert_eq!(fourth.status, 429, "{address}: {}", fourth.text);
        }
        assert_eq!(ask(&app, "not an address").await.status, 422);
    }
}
