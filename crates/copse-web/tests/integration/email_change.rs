//! Changing one's e-mail address: the new address gets a link and counts only once it is
//! followed; the old one is told at once and keeps receiving mail until then.

use serde_json::{Value, json};

use crate::common::*;

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;

fn to<'m>(messages: &'m [Value], address: &str, subject: &str) -> Vec<&'m Value> {
    messages
        .iter()
        .filter(|m| m["to"].as_str().unwrap().contains(&format!("<{address}>")))
        .filter(|m| m["subject"] == subject)
        .collect()
}

async fn change(api: &Api, email: &str, password: &str) -> Reply {
    api.post(
        "/api/v1/me/email-address",
        json!({"email": email, "password": password}),
    )
    .await
}

#[tokio::test]
async fn a_new_address_counts_once_confirmed_and_the_old_one_is_told() {
    for (app, _clock) in mail_apps(START).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let ada = app.api().person("ada").await;
        app.api().person("bob").await;
        assert_eq!(
            change(&ada, "ada@new.example", "wrong password")
                .await
                .status,
            422
        );
        let taken = change(&ada, "bob@example.org", PASSWORD).await;
        assert_eq!(
            (taken.status, error_code(&taken)),
            (422, "taken"),
            "{}",
            taken.text
        );
        let same = change(&ada, "ada@example.org", PASSWORD).await;
        assert_eq!(same.status, 422, "{}", same.text);
        assert_eq!(change(&ada, "not an address", PASSWORD).await.status, 422);

        let r = change(&ada, "Ada@New.example", PASSWORD).await;
        assert_eq!(r.status, 202, "{}", r.text);
        worker(&app.state, port, "a", None).tick().await.unwrap();
        let mail = caught(&smtp);
        let told = to(&mail, "ada@example.org", "Your copse address is changing");
        assert_eq!(told.len(), 1, "{mail:?}");
        assert!(
            told[0]["text"]
                .as_str()
                .unwrap()
                .contains("ada@new.example")
        );
        let link = to(&mail, "ada@new.example", "Confirm your new e-mail address");
        assert_eq!(link.len(), 1, "{mail:?}");
        let url = link[0]["links"][0].as_str().unwrap();
        let secret = url.split("token=").nth(1).unwrap();

        // Until then the old address is the account's: it signs in, the new one does not.
        assert_eq!(ada.get("/api/v1/me").await.body["email"], "ada@example.org");
        let r = app
            .api()
            .post("/api/v1/auth/verify-email", json!({"token": secret}))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let me = ada.get("/api/v1/me").await;
        assert_eq!(
            (&me.body["email"], &me.body["email_verified"]),
            (&json!("ada@new.example"), &json!(true))
        );
        let signin = |email: &'static str| {
            let api = app.api();
            async move {
                api.post(
                    "/api/v1/auth/tokens",
                    json!({"email": email, "password": PASSWORD}),
                )
                .await
                .status
            }
        };
        assert_eq!(signin("ada@new.example").await, 201);
        assert_eq!(signin("ada@example.org").await, 401);
        let again = app
            .api()
            .post("/api/v1/auth/verify-email", json!({"token": secret}))
            .await;
        assert!(
            again.status >= 400 && again.status < 500,
            "used once: {}",
            again.text
        );
        app.finish().await;
    }
}
