//! Accounts over the API: sign-up, tokens, throttled sign-in, profile and password.

use super::*;

#[tokio::test]
async fn signup_tokens_and_me() {
    for app in apps().await {
        let api = app.api();
        let ada = api.person("ada").await;
        let me = ada.get("/api/v1/me").await;
        assert_eq!(me.status, 200);
        assert_eq!(me.body["handle"], "ada");
        assert_eq!(me.body["email"], "ada@example.org");

        let dup = api
            .post(
                "/api/v1/auth/signup",
                json!({"handle": "ada", "email": "x@example.org", "password": PASSWORD}),
            )
            .await;
        assert_eq!((dup.status, error_code(&dup)), (422, "taken"));
        assert_eq!(dup.body["error"]["field"], "handle");

        // Wrong password and unknown account answer alike.
        let wrong = api
            .post(
                "/api/v1/auth/tokens",
                json!({"email": "ada@example.org", "password": "not the password"}),
            )
            .await;
        let unknown = api
            .post(
                "/api/v1/auth/tokens",
                json!({"email": "nobody@example.org", "password": "not the password"}),
            )
            .await;
        assert_eq!(wrong.status, 401);
        assert_eq!(wrong.text, unknown.text);

        // Tokens are listed and revocable; a revoked token is refused, not treated as anonymous.
        let list = ada.get("/api/v1/auth/tokens").await;
        assert_eq!(list.body["items"].as_array().unwrap().len(), 1);
        let id = list.body["items"][0]["id"].as_i64().unwrap();
        assert!(list.text.find("cpt_").is_none(), "secrets are never listed");
        assert_eq!(
            api.delete(&format!("/api/v1/auth/tokens/{id}"))
                .await
                .status,
            401
        );
        let other = api.person("bob").await;
        assert_eq!(
            other
                .delete(&format!("/api/v1/auth/tokens/{id}"))
                .await
                .status,
            404
        );
        assert_eq!(
            ada.delete(&format!("/api/v1/auth/tokens/{id}"))
                .await
                .status,
            204
        );
        let dead = ada.get("/api/v1/me").await;
        assert_eq!((dead.status, error_code(&dead)), (401, "invalid_token"));
        assert_eq!(api.get("/api/v1/me").await.status, 401);
        app.finish().await;
    }
}

#[tokio::test]
async fn sign_in_is_throttled_per_account() {
    for app in apps().await {
        let api = app.api();
        api.person("ada").await;
        for _ in 0..5 {
            let r = api
                .post(
                    "/api/v1/auth/tokens",
                    json!({"email": "ada@example.org", "password": "wrong password"}),
                )
                .await;
            assert_eq!(r.status, 401);
        }
        let blocked = api
            .post(
                "/api/v1/auth/tokens",
                json!({"email": "ada@example.org", "password": PASSWORD}),
            )
            .await;
        assert_eq!(
            (blocked.status, error_code(&blocked)),
            (429, "too_many_requests")
        );
        // It says when to try again: within the fifteen minutes of the window.
        let raw = reqwest::Client::new()
            .post(app.url("/api/v1/auth/tokens"))
            .json(&json!({"email": "ada@example.org", "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(raw.status(), 429);
        let retry: i64 = raw.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&retry), "Retry-After: {retry}");
        // The same throttle holds for an address nobody owns, so it reveals nothing.
        for _ in 0..5 {
            api.post(
                "/api/v1/auth/tokens",
                json!({"email": "ghost@example.org", "password": "wrong password"}),
            )
            .await;
        }
        let ghost = api
            .post(
                "/api/v1/auth/tokens",
                json!({"email": "ghost@example.org", "password": "wrong password"}),
            )
            .await;
        assert_eq!(ghost.status, 429);
        // Another account is not affected.
        api.person("bob").await;
        app.finish().await;
    }
}

#[tokio::test]
async fn profile_and_password() {
    for app in apps().await {
        let ada = app.api().person("ada").await;
        let r = ada
            .patch(
                "/api/v1/me",
                json!({"display_name": "Ada L.", "organisation": "Northfield", "country": "UK",
                       "time_zone": "Europe/London", "expertise": ["Audits", "Sepsis"]}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["expertise"], json!(["Audits", "Sepsis"]));
        let bad = ada
            .patch("/api/v1/me", json!({"time_zone": "Mars/Olympus"}))
            .await;
        assert_eq!(
            (bad.status, bad.body["error"]["field"].as_str()),
            (422, Some("time_zone"))
        );
        assert_eq!(
            ada.get("/api/v1/me").await.body["time_zone"],
            "Europe/London",
            "nothing half-written"
        );

        let bob = app.api().person("bob").await;
        let seen = bob.get("/api/v1/users/ada").await;
        assert_eq!(seen.status, 200);
        assert_eq!(seen.body["organisation"], "Northfield");
        assert!(seen.body.get("email").is_none() && !seen.text.contains("ada@example.org"));
        assert_eq!(app.api().get("/api/v1/users/ada").await.status, 401);

        let wrong = ada
            .post(
                "/api/v1/me/password",
                json!({"current_password": "nope", "new_password": "a new long password"}),
            )
            .await;
        assert_eq!(wrong.status, 422);
        let ok = ada
            .post(
                "/api/v1/me/password",
                json!({"current_password": PASSWORD, "new_password": "a new long password"}),
            )
            .await;
        assert_eq!(ok.status, 204);
        let old = app
            .api()
            .post(
                "/api/v1/auth/tokens",
                json!({"email": "ada@example.org", "password": PASSWORD}),
            )
            .await;
        assert_eq!(old.status, 401);
        let new = app
            .api()
            .post(
                "/api/v1/auth/tokens",
                json!({"email": "ada@example.org", "password": "a new long password"}),
            )
            .await;
        assert_eq!(new.status, 201);
        app.finish().await;
    }
}
