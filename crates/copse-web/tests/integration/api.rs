//! The JSON API through HTTP against a real server, on every backend under test. Each allowed
//! case is paired with the refused case on the same setup.

use crate::common::*;
use serde_json::json;

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

#[tokio::test]
async fn bad_input_gets_clear_errors_and_leaves_nothing() {
    for app in apps().await {
        let ada = app.api().person("ada").await;
        let create = |body: serde_json::Value| {
            let ada = ada.clone();
            async move { ada.post("/api/v1/communities", body).await }
        };
        let base = json!({"name": "Nurses", "slug": "nurses", "domain_statement": "Hand hygiene."});
        for (slug, field) in [
            ("N", "slug"),
            ("has space", "slug"),
            ("-x", "slug"),
            ("new", "slug"),
        ] {
            let mut body = base.clone();
            body["slug"] = json!(slug);
            let r = create(body).await;
            assert_eq!(
                (r.status, r.body["error"]["field"].as_str()),
                (422, Some(field)),
                "{slug}: {}",
                r.text
            );
        }
        let mut body = base.clone();
        body["name"] = json!("   ");
        assert_eq!(create(body).await.body["error"]["field"], "name");
        let mut body = base.clone();
        body["name"] = json!("x".repeat(101));
        assert_eq!(create(body).await.status, 422);
        let mut body = base.clone();
        body["colour"] = json!("green");
        let unknown = create(body).await;
        assert_eq!(unknown.status, 422);
        assert!(
            unknown.body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("unknown field")
        );
        let mut body = base.clone();
        body["visibility"] = json!("secret");
        assert_eq!(create(body).await.status, 422);

        let syntax = ada
            .raw_post(
                "/api/v1/communities",
                "application/json",
                b"{\"name\": ".to_vec(),
            )
            .await;
        assert_eq!((syntax.status, error_code(&syntax)), (400, "bad_request"));
        let utf8 = ada
            .raw_post(
                "/api/v1/communities",
                "application/json",
                b"{\"name\": \"\xff\xfe\"}".to_vec(),
            )
            .await;
        assert_eq!(utf8.status, 400, "{}", utf8.text);
        let not_json = ada
            .raw_post("/api/v1/communities", "text/plain", b"hello".to_vec())
            .await;
        assert_eq!(
            (not_json.status, error_code(&not_json)),
            (415, "unsupported_media_type")
        );
        let huge = ada
            .raw_post(
                "/api/v1/communities",
                "application/json",
                vec![b' '; 2 * 1024 * 1024],
            )
            .await;
        assert_eq!((huge.status, error_code(&huge)), (413, "payload_too_large"));

        // After all that, nothing was created; then a good request works and a repeat is taken.
        let list = ada.get("/api/v1/communities").await;
        assert_eq!(list.body["items"].as_array().unwrap().len(), 0);
        assert_eq!(create(base.clone()).await.status, 201);
        let taken = create(base.clone()).await;
        assert_eq!(
            (
                taken.status,
                error_code(&taken),
                taken.body["error"]["field"].as_str()
            ),
            (422, "taken", Some("slug"))
        );

        // Paging parameters.
        let clamped = ada.get("/api/v1/communities?limit=1000000000").await;
        assert_eq!(clamped.status, 200);
        for bad in [
            "cursor=-1",
            "cursor=zz~1",
            "cursor=61~-5",
            "limit=abc",
            "limit=-1e99",
        ] {
            let r = ada.get(&format!("/api/v1/communities?{bad}")).await;
            assert_eq!(r.status, 400, "{bad}: {}", r.text);
            assert!(r.body["error"]["message"].is_string());
        }
        let unknown_param = ada.get("/api/v1/communities?colour=green").await;
        assert_eq!(unknown_param.status, 400);
        assert_eq!(
            ada.get("/api/v1/nothing-here").await.body["error"]["code"],
            "not_found"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn secret_communities_answer_exactly_like_missing_ones() {
    for app in apps().await {
        let owner = app.api().person("owner").await;
        let outsider = app.api().person("outsider").await;
        owner
            .community("hidden", "private", false, "invitation")
            .await;
        owner.community("listed", "private", true, "approval").await;
        owner.community("open", "public", true, "open").await;

        let missing = outsider.get("/api/v1/communities/no-such-thing").await;
        let hidden = outsider.get("/api/v1/communities/hidden").await;
        assert_eq!((hidden.status, &hidden.text), (404, &missing.text));
        let anon = app.api().get("/api/v1/communities/hidden").await;
        assert_eq!((anon.status, &anon.text), (404, &missing.text));
        for path in [
            "members",
            "domain-revisions",
            "join-requests",
            "invitations",
        ] {
            let r = outsider
                .get(&format!("/api/v1/communities/hidden/{path}"))
                .await;
            assert_eq!((r.status, &r.text), (404, &missing.text), "{path}");
        }
        assert_eq!(
            outsider
                .post_empty("/api/v1/communities/hidden/join")
                .await
                .text,
            missing.text
        );
        // The coordinator sees it.
        assert_eq!(owner.get("/api/v1/communities/hidden").await.status, 200);

        // A listed private community shows its listing but no reach, and refuses members lists.
        let listed = outsider.get("/api/v1/communities/listed").await;
        assert_eq!(listed.status, 200);
        assert!(listed.body["reach"].is_null());
        assert_eq!(
            owner.get("/api/v1/communities/listed").await.body["reach"]["members"],
            1
        );
        assert_eq!(
            outsider
                .get("/api/v1/communities/listed/members")
                .await
                .status,
            403
        );
        assert_eq!(
            owner.get("/api/v1/communities/listed/members").await.status,
            200
        );

        // The directory: outsiders see public and listed; the owner all three.
        let slugs = |r: &Reply| {
            let mut v: Vec<String> = r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["slug"].as_str().unwrap().to_string())
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            slugs(&outsider.get("/api/v1/communities").await),
            vec!["listed", "open"]
        );
        assert_eq!(
            slugs(&app.api().get("/api/v1/communities").await),
            vec!["listed", "open"]
        );
        assert_eq!(
            slugs(&owner.get("/api/v1/communities").await),
            vec!["hidden", "listed", "open"]
        );
        assert_eq!(
            slugs(&owner.get("/api/v1/communities?mine=true").await),
            vec!["hidden", "listed", "open"]
        );
        assert_eq!(
            app.api().get("/api/v1/communities?mine=true").await.status,
            401
        );
        let found = outsider.get("/api/v1/communities?q=HIDDEN").await;
        assert!(
            slugs(&found).is_empty(),
            "search never finds a hidden community"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn joining_by_policy_requests_invitations_and_roles() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("open", "public", true, "open").await;
        coord
            .community("approval", "public", true, "approval")
            .await;
        coord
            .community("invite", "private", false, "invitation")
            .await;

        // Open: join at once; joining twice is a conflict.
        let joined = ada.post_empty("/api/v1/communities/open/join").await;
        assert_eq!(
            (joined.status, joined.body["status"].as_str()),
            (200, Some("joined"))
        );
        assert_eq!(
            ada.post_empty("/api/v1/communities/open/join").await.status,
            409
        );
        assert_eq!(
            app.api()
                .post_empty("/api/v1/communities/open/join")
                .await
                .status,
            401
        );

        // Approval: answers are required; a request waits; only a coordinator decides.
        let missing = ada.post_empty("/api/v1/communities/approval/join").await;
        assert_eq!(
            (missing.status, missing.body["error"]["field"].as_str()),
            (422, Some("answers"))
        );
        let req = ada
            .post(
                "/api/v1/communities/approval/join",
                json!({"answers": ["Ward 3B"]}),
            )
            .await;
        assert_eq!(req.body["status"], "requested");
        let id = req.body["request"]["id"].as_i64().unwrap();
        assert_eq!(
            ada.post(
                "/api/v1/communities/approval/join",
                json!({"answers": ["again"]})
            )
            .await
            .status,
            409
        );
        assert_eq!(
            bob.get("/api/v1/communities/approval/join-requests")
                .await
                .status,
            403
        );
        assert_eq!(
            bob.post_empty(&format!(
                "/api/v1/communities/approval/join-requests/{id}/approve"
            ))
            .await
            .status,
            403
        );
        let pending = coord
            .get("/api/v1/communities/approval/join-requests")
            .await;
        assert_eq!(pending.body["items"][0]["answers"][0]["answer"], "Ward 3B");
        assert_eq!(
            coord
                .post_empty(&format!(
                    "/api/v1/communities/approval/join-requests/{id}/approve"
                ))
                .await
                .status,
            204
        );
        assert_eq!(
            ada.get("/api/v1/communities/approval").await.body["your_role"],
            "member"
        );
        assert_eq!(
            coord
                .post_empty(&format!(
                    "/api/v1/communities/approval/join-requests/{id}/decline"
                ))
                .await
                .status,
            404
        );

        // Invitation: joining is refused; leaders may not invite as coordinator; an invited
        // person sees the community and accepts.
        assert_eq!(
            bob.post_empty("/api/v1/communities/invite/join")
                .await
                .status,
            404,
            "hidden from bob"
        );
        let inv = coord
            .post(
                "/api/v1/communities/invite/invitations",
                json!({"invitee": "@ada", "role": "leader"}),
            )
            .await;
        assert_eq!(inv.status, 201, "{}", inv.text);
        assert!(
            inv.body["link"]
                .as_str()
                .unwrap()
                .contains("/invitations/link/cpi_")
        );
        assert_eq!(
            ada.get("/api/v1/communities/invite").await.status,
            200,
            "invited people see the listing"
        );
        assert_eq!(
            ada.post_empty("/api/v1/communities/invite/join")
                .await
                .status,
            403
        );
        let mine = ada.get("/api/v1/me/invitations").await;
        let inv_id = mine.body["items"][0]["id"].as_i64().unwrap();
        assert_eq!(
            bob.post_empty(&format!("/api/v1/me/invitations/{inv_id}/accept"))
                .await
                .status,
            404
        );
        assert_eq!(
            ada.post_empty(&format!("/api/v1/me/invitations/{inv_id}/accept"))
                .await
                .status,
            204
        );
        assert_eq!(
            ada.get("/api/v1/communities/invite").await.body["your_role"],
            "leader"
        );
        let as_coord = ada
            .post(
                "/api/v1/communities/invite/invitations",
                json!({"invitee": "@bob", "role": "coordinator"}),
            )
            .await;
        assert_eq!(as_coord.status, 403);
        let as_member = ada
            .post(
                "/api/v1/communities/invite/invitations",
                json!({"invitee": "bob@example.org"}),
            )
            .await;
        assert_eq!(as_member.status, 201);
        let nobody = ada
            .post(
                "/api/v1/communities/invite/invitations",
                json!({"invitee": "@nobody"}),
            )
            .await;
        assert_eq!(
            (nobody.status, nobody.body["error"]["field"].as_str()),
            (422, Some("invitee"))
        );

        // Roles and removal: coordinators only; the last coordinator stays.
        assert_eq!(
            ada.put(
                "/api/v1/communities/open/members/coord",
                json!({"role": "member"})
            )
            .await
            .status,
            403
        );
        let last = coord
            .put(
                "/api/v1/communities/open/members/coord",
                json!({"role": "member"}),
            )
            .await;
        assert_eq!(last.status, 409);
        assert_eq!(
            coord
                .post_empty("/api/v1/communities/open/leave")
                .await
                .status,
            409
        );
        assert_eq!(
            coord
                .put(
                    "/api/v1/communities/open/members/ada",
                    json!({"role": "coordinator"})
                )
                .await
                .status,
            204
        );
        assert_eq!(
            coord
                .post_empty("/api/v1/communities/open/leave")
                .await
                .status,
            204
        );
        assert_eq!(
            ada.delete("/api/v1/communities/open/members/coord")
                .await
                .status,
            404,
            "no longer a member"
        );
        assert_eq!(
            ada.put(
                "/api/v1/communities/open/members/ada",
                json!({"role": "observer"})
            )
            .await
            .status,
            422
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn observers_follow_public_communities_only() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        coord.community("open", "public", true, "open").await;
        coord.community("closed", "private", true, "approval").await;
        assert_eq!(
            ada.post_empty("/api/v1/communities/open/follow")
                .await
                .status,
            204
        );
        assert_eq!(
            ada.post_empty("/api/v1/communities/open/follow")
                .await
                .status,
            409
        );
        assert_eq!(
            ada.post_empty("/api/v1/communities/closed/follow")
                .await
                .status,
            403
        );
        let view = ada.get("/api/v1/communities/open").await;
        assert_eq!(view.body["your_role"], "observer");
        assert_eq!(view.body["reach"]["observers"], 1);
        let observers = coord
            .get("/api/v1/communities/open/members?observers=true")
            .await;
        assert_eq!(observers.body["items"][0]["handle"], "ada");
        let members = coord.get("/api/v1/communities/open/members").await;
        assert_eq!(
            members.body["items"].as_array().unwrap().len(),
            1,
            "observers are not members"
        );
        assert_eq!(
            ada.post_empty("/api/v1/communities/open/leave")
                .await
                .status,
            204
        );
        assert_eq!(
            ada.post_empty("/api/v1/communities/open/leave")
                .await
                .status,
            409
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn member_lists_page_by_cursor() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        coord.community("big", "public", true, "open").await;
        for i in 0..7 {
            let p = app.api().person(&format!("p{i}")).await;
            assert_eq!(
                p.post_empty("/api/v1/communities/big/join").await.status,
                200
            );
        }
        let mut seen = Vec::new();
        let mut next = String::new();
        loop {
            let r = coord
                .get(&format!(
                    "/api/v1/communities/big/members?limit=3&cursor={next}"
                ))
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            seen.extend(
                r.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m["handle"].as_str().unwrap().to_string()),
            );
            match r.body["next_cursor"].as_str() {
                Some(c) => next = c.to_string(),
                None => break,
            }
        }
        assert_eq!(seen.len(), 8);
        assert_eq!(seen[0], "coord");
        let anon = app.api().get("/api/v1/communities/big/members").await;
        assert_eq!(anon.status, 401, "people are for signed-in people");
        assert_eq!(
            coord
                .get("/api/v1/communities/big/members?cursor=garbage")
                .await
                .status,
            400
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn domain_statement_history_and_settings() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        coord.community("gis", "public", true, "open").await;
        ada.post_empty("/api/v1/communities/gis/join").await;
        let r = coord
            .patch(
                "/api/v1/communities/gis",
                json!({"domain_statement": "Open GIS, now with lidar.", "reason": "Lidar people joined", "stage": "maturing"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["stage"], "maturing");
        assert_eq!(
            ada.patch("/api/v1/communities/gis", json!({"name": "Mine now"}))
                .await
                .status,
            403
        );
        assert_eq!(
            app.api()
                .patch("/api/v1/communities/gis", json!({"name": "Mine now"}))
                .await
                .status,
            401
        );
        assert_eq!(
            coord
                .patch("/api/v1/communities/gis", json!({"slug": "other"}))
                .await
                .status,
            422
        );
        let history = app
            .api()
            .get("/api/v1/communities/gis/domain-revisions")
            .await;
        let items = history.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0]["reason"], "Lidar people joined");
        assert_eq!(items[0]["author"], "coord");
        let stages = app.api().get("/api/v1/communities/gis/stage-changes").await;
        assert_eq!(stages.body["items"][0]["from"], "potential");
        assert_eq!(stages.body["items"][0]["to"], "maturing");
        assert!(
            stages.body["items"][1]["from"].is_null(),
            "the founding stage"
        );
        // Switching to private takes effect at once for outsiders.
        coord
            .patch(
                "/api/v1/communities/gis",
                json!({"visibility": "private", "listed": false}),
            )
            .await;
        assert_eq!(app.api().get("/api/v1/communities/gis").await.status, 404);
        assert_eq!(ada.get("/api/v1/communities/gis").await.status, 200);
        app.finish().await;
    }
}

#[tokio::test]
async fn openapi_document_and_health() {
    for app in apps().await {
        let api = app.api();
        let doc = api.get("/api/v1/openapi.json").await;
        assert_eq!(doc.status, 200);
        assert!(doc.body["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = doc.body["paths"].as_object().unwrap();
        for (path, method) in [
            ("/api/v1/auth/signup", "post"),
            ("/api/v1/auth/tokens", "post"),
            ("/api/v1/communities", "get"),
            ("/api/v1/communities", "post"),
            ("/api/v1/communities/{slug}", "get"),
            ("/api/v1/communities/{slug}", "patch"),
            ("/api/v1/communities/{slug}/members", "get"),
            ("/api/v1/communities/{slug}/join", "post"),
            ("/api/v1/communities/{slug}/leave", "post"),
            ("/api/v1/me", "get"),
        ] {
            assert!(
                paths.get(path).and_then(|p| p.get(method)).is_some(),
                "{method} {path}"
            );
        }
        assert!(doc.body["components"]["schemas"]["ErrorBody"].is_object());
        let health = api.get("/healthz").await;
        assert_eq!(
            (health.status, health.body["status"].as_str()),
            (200, Some("ok"))
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn bodies_must_be_json_objects() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        coord.community("gis", "public", true, "open").await;
        for body in [
            serde_json::json!([null, null]),
            serde_json::json!("name"),
            serde_json::json!(42),
        ] {
            let r = coord.patch("/api/v1/communities/gis", body.clone()).await;
            assert_eq!((r.status, error_code(&r)), (422, "invalid"), "{body}");
            let r = coord
                .post("/api/v1/communities/gis/join", body.clone())
                .await;
            assert_eq!(r.status, 422, "{body}");
        }
        let syntax = coord
            .raw_post(
                "/api/v1/communities/gis/join",
                "application/json",
                b"{".to_vec(),
            )
            .await;
        assert_eq!(syntax.status, 400);
        app.finish().await;
    }
}

/// utoipa names a schema after its Rust type, so two `ToSchema` types with one name in
/// different modules silently share one entry of the OpenAPI document — and one of the two
/// operations is then documented with the other's body. Every documented type name is unique.
#[test]
fn documented_type_names_are_unique() {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("../copse-core/src"), &mut files);
    let mut seen: std::collections::BTreeMap<String, std::path::PathBuf> = Default::default();
    let mut documented = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut schema_derive = false;
        for line in text.lines().map(str::trim) {
            if line.starts_with("#[derive(") && line.contains("ToSchema") {
                schema_derive = true;
            } else if schema_derive
                && (line.starts_with("pub struct ") || line.starts_with("pub enum "))
            {
                let name: String = line
                    .split_whitespace()
                    .nth(2)
                    .unwrap()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                documented += 1;
                if let Some(other) = seen.insert(name.clone(), file.clone()) {
                    panic!(
                        "{name} is documented twice: {} and {}",
                        other.display(),
                        file.display()
                    );
                }
                schema_derive = false;
            } else if !line.starts_with("#[") && !line.starts_with("///") && !line.is_empty() {
                schema_derive = false;
            }
        }
    }
    assert!(documented > 100, "found only {documented} documented types");
}
