//! User administration: site admins find accounts, suspend (with a reason and an optional end)
//! and restore them, make and remove admins, send a password reset — each deed in the audit
//! log — and everyone else is refused. A new site's first admin comes from the setup code.

use serde_json::json;

use crate::common::*;

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;
const DAY: i64 = 24 * 3600 * 1000;

async fn signs_in(app: &TestApp, email: &str) -> u16 {
    app.api()
        .post(
            "/api/v1/auth/tokens",
            json!({ "email": email, "password": PASSWORD }),
        )
        .await
        .status
}

#[tokio::test]
async fn admins_find_people_by_name_and_by_filter_and_nobody_else_does() {
    for app in apps().await {
        let root = app.admin("root").await;
        let ada = app.api().person("ada").await;
        app.api().person("adam").await;
        let bob = app.api().person("bob").await;
        let listed = |q: &str| {
            let root = root.clone();
            let path = format!("/api/v1/admin/users?{q}");
            async move {
                let r = root.get(&path).await;
                assert_eq!(r.status, 200, "{path}: {}", r.text);
                let handles: Vec<String> = r.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i["handle"].as_str().unwrap().to_string())
                    .collect();
                (handles, r.body["total"].as_i64().unwrap())
            }
        };
        assert_eq!(
            listed("q=ADA").await,
            (vec!["adam".into(), "ada".into()], 2)
        );
        assert_eq!(listed("q=bob%40example").await.0, vec!["bob".to_string()]);
        assert_eq!(listed("filter=admins").await.0, vec!["root".to_string()]);
        // A literal `_` or `%` matches only itself.
        assert_eq!(listed("q=%25").await.1, 0);
        let r = root.get("/api/v1/admin/users?filter=banned").await;
        assert_eq!(r.status, 422, "{}", r.text);
        assert!(
            r.text.contains("suspended, unverified, admins"),
            "{}",
            r.text
        );

        for path in [
            "/api/v1/admin/users",
            "/api/v1/admin/users/ada",
            "/api/v1/admin/audit",
        ] {
            assert_eq!(ada.get(path).await.status, 403, "{path}");
            assert_eq!(app.api().get(path).await.status, 401, "{path}");
        }
        let r = ada
            .post(
                "/api/v1/admin/users/bob/suspend",
                json!({ "reason": "I dislike bob" }),
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.text);
        assert_eq!(bob.get("/api/v1/me").await.status, 200, "bob is untouched");

        // A token without the admin scope is refused too, naming the scope.
        let t = app
            .api()
            .post(
                "/api/v1/auth/tokens",
                json!({ "email": "root@example.org", "password": PASSWORD, "scopes": ["read"] }),
            )
            .await;
        assert_eq!(t.status, 201, "{}", t.text);
        let reader = Api {
            token: Some(t.body["token"].as_str().unwrap().to_string()),
            ..app.api()
        };
        let r = reader.get("/api/v1/admin/users").await;
        assert_eq!(r.status, 403);
        assert!(r.text.contains("`admin` scope"), "{}", r.text);
        app.finish().await;
    }
}

#[tokio::test]
async fn a_suspension_ends_sessions_and_sign_in_until_restored_and_is_logged() {
    for app in apps().await {
        let root = app.admin("root").await;
        let ada = app.api().person("ada").await;
        let browser = app.signed_in("ada@example.org").await;

        let r = root
            .post("/api/v1/admin/users/ada/suspend", json!({ "reason": "" }))
            .await;
        assert_eq!(r.status, 422, "a reason is needed: {}", r.text);
        let r = root
            .post(
                "/api/v1/admin/users/ada/suspend",
                json!({ "reason": "spam", "until": "2001-01-01" }),
            )
            .await;
        assert_eq!(r.status, 422, "an end in the past: {}", r.text);
        assert_eq!(
            ada.get("/api/v1/me").await.status,
            200,
            "bad tries change nothing"
        );

        let r = root
            .post(
                "/api/v1/admin/users/ada/suspend",
                json!({ "reason": "posted thirty link threads" }),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["suspension"]["reason"], "posted thirty link threads");
        assert_eq!(
            ada.get("/api/v1/me").await.status,
            401,
            "the token stops working"
        );
        let page = browser
            .get(app.url("/settings/profile"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 401, "the browser session ended");
        assert_eq!(signs_in(&app, "ada@example.org").await, 401);

        let r = root.post_empty("/api/v1/admin/users/ada/restore").await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(r.body["suspension"].is_null());
        assert_eq!(signs_in(&app, "ada@example.org").await, 201);

        let log = root.get("/api/v1/admin/audit").await;
        let actions: Vec<(&str, &str, &str)> = log.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["actor"].as_str().unwrap(),
                    e["action"].as_str().unwrap(),
                    e["target"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            actions,
            vec![
                ("@root", "restored", "@ada"),
                ("@root", "suspended", "@ada")
            ],
            "newest first, failed tries not logged"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_suspension_with_an_end_is_lifted_when_it_has_passed() {
    for (app, clock) in mail_apps(START).await {
        let root = app.admin("root").await;
        app.api().person("ada").await;
        app.api().person("bob").await;
        for who in ["ada", "bob"] {
            let r = root
                .post(
                    &format!("/api/v1/admin/users/{who}/suspend"),
                    json!({ "reason": "a week off", "until": "2030-01-02" }),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            assert_eq!(r.body["suspension"]["until"], "2030-01-02T00:00:00Z");
        }
        clock.advance(5 * DAY);
        assert_eq!(signs_in(&app, "ada@example.org").await, 401, "not yet");
        clock.advance(2 * DAY);
        // Signing in after the end restores at once; the worker restores the others.
        assert_eq!(signs_in(&app, "ada@example.org").await, 201);
        let Some((_smtp, port)) = smtp().await else {
            return;
        };
        worker(&app.state, port, "a", None).tick().await.unwrap();
        assert_eq!(signs_in(&app, "bob@example.org").await, 201);
        let log = root.get("/api/v1/admin/audit").await;
        let ended = log.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["detail"] == "the suspension ended")
            .count();
        assert_eq!(ended, 2, "{}", log.text);
        app.finish().await;
    }
}

#[tokio::test]
async fn the_admin_role_is_given_and_taken_but_the_last_admin_keeps_it() {
    for app in apps().await {
        let root = app.admin("root").await;
        let ada = app.api().person("ada").await;
        let r = root
            .post("/api/v1/admin/users/root/admin", json!({ "admin": false }))
            .await;
        assert_eq!(r.status, 409, "{}", r.text);
        assert!(r.text.contains("last admin"), "{}", r.text);

        let r = root
            .post("/api/v1/admin/users/ada/admin", json!({ "admin": true }))
            .await;
        assert_eq!(
            (r.status, &r.body["is_admin"]),
            (200, &json!(true)),
            "{}",
            r.text
        );
        // A token made before keeps its scopes (least privilege); a new one may be an admin's.
        assert_eq!(ada.get("/api/v1/admin/users").await.status, 403);
        let t = app
            .api()
            .post(
                "/api/v1/auth/tokens",
                json!({ "email": "ada@example.org", "password": PASSWORD }),
            )
            .await;
        let ada = Api {
            token: Some(t.body["token"].as_str().unwrap().to_string()),
            ..app.api()
        };
        assert_eq!(
            ada.get("/api/v1/admin/users").await.status,
            200,
            "ada is an admin now"
        );
        let r = root
            .post(
                "/api/v1/admin/users/ada/suspend",
                json!({ "reason": "a test" }),
            )
            .await;
        assert_eq!(r.status, 409, "an admin is not suspended: {}", r.text);

        let r = ada
            .post("/api/v1/admin/users/root/admin", json!({ "admin": false }))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(root.get("/api/v1/admin/users").await.status, 403);
        let r = ada
            .post(
                "/api/v1/admin/users/ada/suspend",
                json!({ "reason": "a test" }),
            )
            .await;
        assert_eq!(r.status, 409, "nobody suspends themselves: {}", r.text);
        app.finish().await;
    }
}

#[tokio::test]
async fn an_admin_sends_a_password_reset_that_arrives() {
    for (app, _clock) in mail_apps(START).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let root = app.admin("root").await;
        app.api().person("ada").await;
        let r = root
            .post_empty("/api/v1/admin/users/ada/password-reset")
            .await;
        assert_eq!(r.status, 202, "{}", r.text);
        let r = root
            .post_empty("/api/v1/admin/users/nobody/password-reset")
            .await;
        assert_eq!(r.status, 404);
        worker(&app.state, port, "a", None).tick().await.unwrap();
        let resets: Vec<_> = caught(&smtp)
            .into_iter()
            .filter(|m| m["subject"] == "Choose a new password")
            .collect();
        assert_eq!(resets.len(), 1);
        assert!(
            resets[0]["to"]
                .as_str()
                .unwrap()
                .contains("<ada@example.org>")
        );
        let log = root.get("/api/v1/admin/users/ada").await;
        assert_eq!(log.body["audit"][0]["action"], "password reset sent");
        app.finish().await;
    }
}

#[tokio::test]
async fn the_pages_suspend_and_restore_and_say_what_is_wrong() {
    for app in apps().await {
        app.admin("root").await;
        app.api().person("ada").await;
        let admin = app.signed_in("root@example.org").await;
        let get = |client: &reqwest::Client, path: &str| {
            let req = client.get(app.url(path));
            async move {
                let r = req.send().await.unwrap();
                (r.status().as_u16(), r.text().await.unwrap())
            }
        };
        let (status, home) = get(&admin, "/").await;
        assert_eq!(status, 200);
        assert!(
            home.contains(r#"<a href="/admin">Admin</a>"#),
            "the menu links the admin's home"
        );
        let (status, list) = get(&admin, "/admin/users?q=ada").await;
        assert_eq!(status, 200);
        assert!(list.contains(r#"href="/admin/users/ada""#));

        let post = |form: Vec<(&'static str, &'static str)>, path: &'static str| {
            let req = admin.post(app.url(path)).form(&form);
            async move {
                let r = req.send().await.unwrap();
                let to = r
                    .headers()
                    .get("location")
                    .map(|l| l.to_str().unwrap().to_string());
                (r.status().as_u16(), to, r.text().await.unwrap())
            }
        };
        let (status, _, page) = post(vec![("reason", "x")], "/admin/users/ada/suspend").await;
        assert_eq!(status, 422);
        assert!(
            page.contains("role=\"alert\""),
            "the problem beside the form"
        );
        assert_eq!(
            signs_in(&app, "ada@example.org").await,
            201,
            "nothing changed"
        );
        let (status, to, _) = post(
            vec![("reason", "spam links"), ("until", "")],
            "/admin/users/ada/suspend",
        )
        .await;
        assert_eq!(
            (status, to.as_deref()),
            (303, Some("/admin/users/ada?notice=user-suspended"))
        );
        assert_eq!(signs_in(&app, "ada@example.org").await, 401);
        let (_, person) = get(&admin, "/admin/users/ada").await;
        assert!(person.contains("Reason: spam links"), "{person}");
        let (status, to, _) = post(vec![], "/admin/users/ada/restore").await;
        assert_eq!(
            (status, to.as_deref()),
            (303, Some("/admin/users/ada?notice=user-restored"))
        );
        assert_eq!(signs_in(&app, "ada@example.org").await, 201);
        app.finish().await;
    }
}

#[tokio::test]
async fn members_and_visitors_are_refused_the_admin_pages_and_see_no_admin_link() {
    for app in apps().await {
        app.admin("root").await;
        app.api().person("ada").await;
        let member = app.signed_in("ada@example.org").await;
        let status = |client: reqwest::Client, path: &'static str| {
            let req = client.get(app.url(path));
            async move { req.send().await.unwrap().status().as_u16() }
        };
        for path in [
            "/admin",
            "/admin/users",
            "/admin/users/root",
            "/admin/audit",
        ] {
            assert_eq!(status(member.clone(), path).await, 403, "{path}");
            assert_eq!(status(app.browser(), path).await, 401, "{path}");
        }
        let refused = member
            .post(app.url("/admin/users/root/admin"))
            .form(&[("make", "false")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        let home = member.get(app.url("/")).send().await.unwrap();
        let home = home.text().await.unwrap();
        assert!(
            !home.contains(r#"href="/admin""#),
            "no Admin link for members"
        );
    }
}

#[tokio::test]
async fn a_new_site_gets_its_first_admin_from_the_setup_code_alone() {
    for app in apps().await {
        let browser = app.browser();
        let home = browser.get(app.url("/")).send().await.unwrap();
        assert!(
            home.text()
                .await
                .unwrap()
                .contains("Welcome to your new copse")
        );
        let code = copse_app::setup::issue_code(&app.state)
            .await
            .unwrap()
            .unwrap();
        let create = |code: String| {
            let req = browser.post(app.url("/setup")).form(&[
                ("code", code.as_str()),
                ("handle", "owner"),
                ("email", "owner@example.org"),
                ("password", PASSWORD),
            ]);
            async move { req.send().await.unwrap() }
        };
        let wrong = create("cpsetup_guess".into()).await;
        assert_eq!(wrong.status(), 422);
        assert!(wrong.text().await.unwrap().contains("not the setup code"));
        let made = create(code.clone()).await;
        assert_eq!(made.status(), 303);
        assert_eq!(made.headers()["location"], "/admin?notice=site-ready");
        let admin_home = browser.get(app.url("/admin")).send().await.unwrap();
        assert_eq!(admin_home.status(), 200, "signed in as the new admin");

        // Used up: the code makes no second admin, and the page is gone.
        assert_eq!(create(code).await.status(), 422);
        let gone = app.browser().get(app.url("/setup")).send().await.unwrap();
        assert_eq!(gone.status(), 404);
        assert_eq!(
            copse_app::setup::issue_code(&app.state).await.unwrap(),
            None
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn an_admin_deletes_a_spam_account_with_what_it_wrote() {
    for app in apps().await {
        let root = app.admin("root").await;
        let ada = app.api().person("ada").await;
        ada.community("spam", "public", true, "open").await;
        let spam = ada
            .thread(
                "spam",
                json!({"title": "Cheap watches", "body": "buy lvspam", "kind": "discussion"}),
            )
            .await;
        app.api().person("bob").await;
        let body = json!({ "remove_contributions": true });
        let own = root
            .delete_with("/api/v1/admin/users/root", body.clone())
            .await;
        assert_eq!(own.status, 409, "{}", own.text);
        assert_eq!(
            ada.delete_with("/api/v1/admin/users/bob", body.clone())
                .await
                .status,
            403
        );

        // The page wants the handle typed; a wrong one changes nothing.
        let browser = app.signed_in("root@example.org").await;
        let wrong = browser
            .post(app.url("/admin/users/ada/delete"))
            .form(&[("confirm", "bob"), ("contributions", "remove")])
            .send()
            .await
            .unwrap();
        assert_eq!(wrong.status(), 422);
        assert_eq!(ada.get("/api/v1/me").await.status, 200);

        let r = root.delete_with("/api/v1/admin/users/ada", body).await;
        assert_eq!(r.status, 204, "{}", r.text);
        assert_eq!(ada.get("/api/v1/me").await.status, 401);
        assert_eq!(
            root.get(&format!("/api/v1/threads/{spam}")).await.status,
            404
        );
        let log = root.get("/api/v1/admin/audit").await;
        assert_eq!(log.body["items"][0]["actor"], "@root");
        assert_eq!(log.body["items"][0]["action"], "deleted the account");
        assert_eq!(log.body["items"][0]["detail"], "with their contributions");
        app.finish().await;
    }
}
