//! API tokens with scopes and an expiry: a token does what its scopes say and no more (403
//! naming the missing scope), stops at its expiry, and only site admins hold `admin`.

use super::*;

/// A token for `email` with the given fields, or the refusal.
async fn token(app: &TestApp, email: &str, extra: Value) -> Reply {
    let mut body = json!({"email": email, "password": PASSWORD});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    app.api().post("/api/v1/auth/tokens", body).await
}

fn client(app: &TestApp, reply: &Reply) -> Api {
    assert_eq!(reply.status, 201, "{}", reply.text);
    Api {
        token: Some(reply.body["token"].as_str().unwrap().to_string()),
        ..app.api()
    }
}

#[tokio::test]
async fn tokens_do_what_their_scopes_say_until_they_expire() {
    for (app, clock) in apps_at(1_893_326_400_000).await {
        app.api().person("ada").await;
        let read = token(
            &app,
            "ada@example.org",
            json!({"scopes": ["read"], "name": "ro"}),
        )
        .await;
        assert_eq!(read.body["scopes"], json!(["read"]));
        let reader = client(&app, &read);
        assert_eq!(reader.get("/api/v1/me").await.status, 200);
        let refused = reader
            .post(
                "/api/v1/communities",
                json!({"name": "Ro", "slug": "ro", "domain_statement": "x", "visibility": "public",
                       "listed": true, "join_policy": "open"}),
            )
            .await;
        assert_eq!(refused.status, 403);
        assert!(refused.text.contains("`write` scope"), "{}", refused.text);

        let default = token(
            &app,
            "ada@example.org",
            json!({"expires_in_days": 1, "name": "day"}),
        )
        .await;
        assert_eq!(
            default.body["scopes"],
            json!(["read", "write"]),
            "all a member may hold"
        );
        let writer = client(&app, &default);
        let made = writer
            .post(
                "/api/v1/communities",
                json!({"name": "Rw", "slug": "rw", "domain_statement": "x", "visibility": "public",
                       "listed": true, "join_policy": "open"}),
            )
            .await;
        assert_eq!(made.status, 201, "{}", made.text);

        let not_admin = token(&app, "ada@example.org", json!({"scopes": ["admin"]})).await;
        assert_eq!(not_admin.status, 422);
        assert_eq!(not_admin.body["error"]["field"], "scopes");
        let too_long = token(&app, "ada@example.org", json!({"expires_in_days": 400})).await;
        assert_eq!(too_long.status, 422);

        clock.advance(86_400_001);
        assert_eq!(
            writer.get("/api/v1/me").await.status,
            401,
            "expired after a day"
        );
        assert_eq!(
            reader.get("/api/v1/me").await.status,
            200,
            "no expiry, no end"
        );
        let listed = reader.get("/api/v1/auth/tokens").await;
        let names: Vec<&str> = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"ro") && !names.contains(&"day"),
            "the expired token is not listed: {names:?}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn the_admin_api_needs_the_admin_scope() {
    for app in apps().await {
        let root = app.admin("root").await;
        assert_eq!(root.get("/api/v1/admin/jobs").await.status, 200);
        let narrow = client(
            &app,
            &token(
                &app,
                "root@example.org",
                json!({"scopes": ["read", "write"]}),
            )
            .await,
        );
        let refused = narrow.get("/api/v1/admin/jobs").await;
        assert_eq!(refused.status, 403);
        assert!(refused.text.contains("`admin` scope"), "{}", refused.text);
        app.finish().await;
    }
}
