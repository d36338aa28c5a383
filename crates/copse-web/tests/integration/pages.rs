//! Pages through HTTP as a browser would use them: cookies, form posts with an Origin, redirects.

use crate::common::*;
use reqwest::Client;
use reqwest::header::{LOCATION, ORIGIN, SET_COOKIE};

async fn form(client: &reqwest::Client, url: String, fields: &[(&str, &str)]) -> reqwest::Response {
    client.post(url).form(fields).send().await.unwrap()
}

async fn text(client: &reqwest::Client, url: String) -> (u16, String) {
    let r = client.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn session_cookie(r: &reqwest::Response) -> String {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("copse_session="))
        .expect("a session cookie")
}

/// Signs up through the form; the address counts as verified (the link is tested in
/// verification.rs and the browser journeys).
async fn sign_up(app: &TestApp, client: &reqwest::Client, handle: &str) -> reqwest::Response {
    let email = format!("{handle}@example.org");
    let response = form(
        client,
        app.url("/signup"),
        &[
            ("handle", handle),
            ("email", &email),
            ("password", PASSWORD),
            ("display_name", handle),
        ],
    )
    .await;
    copse_store::testing::verify_email(&app.db.store, handle).await;
    response
}

#[tokio::test]
async fn session_cookies_are_locked_down_and_rotate() {
    for app in apps().await {
        let browser = app.browser();
        let r = sign_up(&app, &browser, "ada").await;
        assert_eq!(r.status().as_u16(), 303);
        let cookie = session_cookie(&r);
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(flag), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "not over plain HTTP");
        let (status, page) = text(&browser, app.url("/settings/profile")).await;
        assert_eq!(status, 200);
        assert!(page.contains("ada@example.org"));

        // A second browser signs in: it gets a different session id.
        let other = app.browser();
        let r2 = form(
            &other,
            app.url("/signin"),
            &[("email", "ada@example.org"), ("password", PASSWORD)],
        )
        .await;
        assert_eq!(r2.status().as_u16(), 303);
        let cookie2 = session_cookie(&r2);
        assert_ne!(cookie, cookie2);

        // Changing the password in the first browser signs out the second.
        let r3 = form(
            &browser,
            app.url("/settings/password"),
            &[
                ("current_password", PASSWORD),
                ("new_password", "another long password"),
            ],
        )
        .await;
        assert_eq!(r3.status().as_u16(), 303);
        assert_eq!(
            text(&browser, app.url("/settings/profile")).await.0,
            200,
            "this browser stays in"
        );
        assert_eq!(
            text(&other, app.url("/settings/profile")).await.0,
            401,
            "the other is out"
        );

        // Signing out ends the session on the server.
        let out = form(&browser, app.url("/signout"), &[]).await;
        assert_eq!(out.status().as_u16(), 303);
        assert!(session_cookie(&out).contains("Max-Age=0"));
        assert_eq!(text(&browser, app.url("/settings/profile")).await.0, 401);
        app.finish().await;
    }
}

#[tokio::test]
async fn secure_cookies_behind_https() {
    for app in apps_with(|| Config {
        web: copse_web::WebConfig {
            secure_cookies: true,
            ..copse_web::WebConfig::default()
        },
        ..Config::default()
    })
    .await
    {
        let r = sign_up(&app, &app.browser(), "ada").await;
        assert!(session_cookie(&r).contains("Secure"));
        app.finish().await;
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_get_changes_nothing() {
    for app in apps().await {
        let browser = app.browser();
        sign_up(&app, &browser, "ada").await;
        let fields = [
            ("name", "Nurses"),
            ("slug", "nurses"),
            ("domain_statement", "Hand hygiene"),
            ("visibility", "public"),
            ("listed", "true"),
            ("join_policy", "open"),
            ("stage", "potential"),
        ];
        // Another site's form: refused before anything happens.
        let evil = browser
            .post(app.url("/communities/new"))
            .header(ORIGIN, "https://evil.example")
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(evil.status().as_u16(), 403);
        // No Origin and no Referer: refused too.
        let bare = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let r = form(
            &bare,
            app.url("/signin"),
            &[("email", "ada@example.org"), ("password", PASSWORD)],
        )
        .await;
        assert_eq!(r.status().as_u16(), 403);
        assert_eq!(
            app.api().get("/api/v1/communities").await.body["items"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        // The same form from this site works.
        let ok = form(&browser, app.url("/communities/new"), &fields).await;
        assert_eq!(ok.status().as_u16(), 303);
        assert_eq!(ok.headers()[LOCATION], "/c/nurses?notice=created");
        // Sign-out is not reachable by GET (leaving by GET only asks: see below).
        assert_eq!(text(&browser, app.url("/signout")).await.0, 405);
        assert_eq!(
            text(&browser, app.url("/settings/profile")).await.0,
            200,
            "still signed in"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn sign_in_failures_read_the_same_and_forms_keep_input() {
    for app in apps().await {
        let browser = app.browser();
        sign_up(&app, &app.browser(), "ada").await;
        let wrong = form(
            &browser,
            app.url("/signin"),
            &[("email", "ada@example.org"), ("password", "not it at all")],
        )
        .await;
        assert_eq!(wrong.status().as_u16(), 401);
        let wrong = wrong.text().await.unwrap();
        let unknown = form(
            &browser,
            app.url("/signin"),
            &[("email", "zed@example.org"), ("password", "not it at all")],
        )
        .await;
        let unknown = unknown.text().await.unwrap();
        assert!(wrong.contains("Wrong e-mail or password."));
        assert_eq!(
            wrong.replace("ada@example.org", "X"),
            unknown.replace("zed@example.org", "X")
        );

        let bad = sign_up(&app, &browser, "b").await;
        assert_eq!(bad.status().as_u16(), 422);
        let page = bad.text().await.unwrap();
        assert!(page.contains("handle: must be 2–32 characters"), "{page}");
        assert!(
            page.contains("value=\"b@example.org\""),
            "the form keeps what was typed"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn names_are_escaped_and_private_pages_look_missing() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let r = coord
            .post(
                "/api/v1/communities",
                serde_json::json!({"name": "<script>alert(1)</script> Nurses", "slug": "xss",
                    "domain_statement": "Hi <img src=x onerror=alert(1)> [x](javascript:alert(2))"}),
            )
            .await;
        assert_eq!(r.status, 201);
        let (status, page) = text(&app.browser(), app.url("/c/xss")).await;
        assert_eq!(status, 200);
        assert!(!page.contains("<script>alert(1)"), "the name is escaped");
        assert!(
            page.contains("&#60;script&#62;alert(1)"),
            "escaped, not dropped"
        );
        assert!(!page.contains("onerror") && !page.contains("javascript:"));

        coord
            .community("hidden", "private", false, "invitation")
            .await;
        let browser = app.browser();
        let (s1, missing) = text(&browser, app.url("/c/no-such-thing")).await;
        let (s2, hidden) = text(&browser, app.url("/c/hidden")).await;
        assert_eq!((s1, s2), (404, 404));
        assert_eq!(missing, hidden);
        for sub in ["members", "history", "settings", "requests", "invite"] {
            let (s, body) = text(&browser, app.url(&format!("/c/hidden/{sub}"))).await;
            assert_eq!((s, &body), (404, &missing), "{sub}");
        }
        let (s, body) = text(&browser, app.url("/no/such/page")).await;
        assert_eq!(s, 404);
        assert!(body.contains("<h1>Not found</h1>"));
        app.finish().await;
    }
}

#[tokio::test]
async fn join_request_approval_and_observer_through_pages() {
    for app in apps().await {
        let coord = app.browser();
        sign_up(&app, &coord, "coord").await;
        let fields = [
            ("name", "IPC Nurses"),
            ("slug", "ipc"),
            ("domain_statement", "Hand hygiene audits"),
            ("visibility", "public"),
            ("listed", "true"),
            ("join_policy", "approval"),
            ("join_questions", "Where do you work?"),
            ("stage", "coalescing"),
        ];
        assert_eq!(
            form(&coord, app.url("/communities/new"), &fields)
                .await
                .status()
                .as_u16(),
            303
        );

        let ada = app.browser();
        sign_up(&app, &ada, "ada").await;
        let (_, join_page) = text(&ada, app.url("/c/ipc/join")).await;
        assert!(join_page.contains("Where do you work?"));
        let empty = form(&ada, app.url("/c/ipc/join"), &[("answers", "")]).await;
        assert_eq!(empty.status().as_u16(), 422);
        let sent = form(
            &ada,
            app.url("/c/ipc/join"),
            &[("answers", "Ward 3B, Northfield")],
        )
        .await;
        assert_eq!(sent.headers()[LOCATION], "/c/ipc?notice=requested");
        let (_, home) = text(&ada, app.url("/c/ipc?notice=requested")).await;
        assert!(home.contains("Your request is waiting for a coordinator"));

        the_coordinator_approves_in_pages(&ada, &app, &coord).await;
        // Bob follows as an observer, which shows on the page and in the counts.
        let bob = app.browser();
        sign_up(&app, &bob, "bob").await;
        assert_eq!(
            form(&bob, app.url("/c/ipc/follow"), &[])
                .await
                .status()
                .as_u16(),
            303
        );
        let (_, page) = text(&bob, app.url("/c/ipc")).await;
        assert!(page.contains("You: observer") && page.contains("Stop following"));
        assert!(page.contains("<strong>1</strong> observers"));
        leaving_asks_first(&app, &ada, "Leave IPC Nurses?", "member").await;
        leaving_asks_first(&app, &bob, "Stop following IPC Nurses?", "observer").await;
        app.finish().await;
    }
}

/// The header's button only leads to a page that asks; that page's button leaves.
async fn leaving_asks_first(app: &TestApp, who: &Client, question: &str, role: &str) {
    let (_, page) = text(who, app.url("/c/ipc")).await;
    assert!(page.contains(r#"href="/c/ipc/leave""#), "{page}");
    assert!(
        !page.contains(r#"action="/c/ipc/leave""#),
        "no one-click leaving"
    );
    let (status, asked) = text(who, app.url("/c/ipc/leave")).await;
    assert_eq!(status, 200);
    assert!(asked.contains(question), "{asked}");
    assert!(asked.contains(r#"action="/c/ipc/leave""#) && asked.contains(">Stay</a>"));
    let (_, still) = text(who, app.url("/c/ipc")).await;
    assert!(
        still.contains(&format!("You: {role}")),
        "asking changed nothing"
    );
    let left = form(who, app.url("/c/ipc/leave"), &[]).await;
    assert_eq!(left.headers()[LOCATION], "/c/ipc?notice=left");
    let (_, after) = text(who, app.url("/c/ipc")).await;
    assert!(!after.contains("You: "), "{role} left");
    let again = who.get(app.url("/c/ipc/leave")).send().await.unwrap();
    assert_eq!(
        again.headers()[LOCATION],
        "/c/ipc",
        "nothing to leave any more"
    );
}

/// Ada cannot see the requests; the coordinator can and approves.
async fn the_coordinator_approves_in_pages(ada: &Client, app: &TestApp, coord: &Client) {
    assert_eq!(text(ada, app.url("/c/ipc/requests")).await.0, 403);
    let (_, requests) = text(coord, app.url("/c/ipc/requests")).await;
    assert!(requests.contains("Ward 3B, Northfield"));
    let id = app
        .db
        .store
        .pending_requests(
            app.db
                .store
                .community_by_slug("ipc")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap()[0]
        .id;
    let approve = form(
        coord,
        app.url(&format!("/c/ipc/requests/{id}/approve")),
        &[],
    )
    .await;
    assert_eq!(approve.status().as_u16(), 303);
    let (_, members) = text(ada, app.url("/c/ipc/members")).await;
    assert!(members.contains("ada") && members.contains("coord"));
}

/// A visitor asked to sign up from a community's page comes back to it, through the sign-in
/// page's link as well; a `next` that a browser would read as another site goes home instead.
#[tokio::test]
async fn sign_up_goes_back_to_the_page_that_asked_and_never_elsewhere() {
    for app in apps().await {
        let (status, signin) = text(&app.browser(), app.url("/signin?next=/c/ipc")).await;
        assert_eq!(status, 200);
        assert!(signin.contains("href=\"/signup?next=/c/ipc\""), "{signin}");
        let (_, signup) = text(&app.browser(), app.url("/signup?next=/c/ipc")).await;
        assert!(
            signup.contains("name=\"next\" value=\"/c/ipc\""),
            "{signup}"
        );

        let browser = app.browser();
        let email = "newcomer@example.org";
        let r = form(
            &browser,
            app.url("/signup"),
            &[
                ("handle", "newcomer"),
                ("email", email),
                ("password", PASSWORD),
                ("next", "/c/ipc"),
            ],
        )
        .await;
        assert_eq!(r.status().as_u16(), 303);
        assert_eq!(r.headers()["location"], "/c/ipc?notice=welcome");
        let plain = sign_up(&app, &app.browser(), "plain").await;
        assert_eq!(
            plain.headers()["location"],
            "/settings/profile?notice=welcome"
        );

        for hostile in [
            "/\t/evil.example",
            "/\n/evil.example",
            "//evil.example",
            "/ /x",
        ] {
            let r = form(
                &app.browser(),
                app.url("/signin"),
                &[("email", email), ("password", PASSWORD), ("next", hostile)],
            )
            .await;
            assert_eq!(r.status().as_u16(), 303, "{hostile:?}");
            assert_eq!(r.headers()["location"], "/?notice=signed-in", "{hostile:?}");
        }
        app.finish().await;
    }
}

/// An error page keeps the site's menus: the signed-in viewer's account menu and the search
/// on a 404, and on a "please sign in" a sign-in and a sign-up that come back to the page.
#[tokio::test]
async fn error_pages_keep_the_menus_and_lead_back() {
    for app in apps().await {
        let ada = app.browser();
        sign_up(&app, &ada, "ada").await;
        let (status, missing) = text(&ada, app.url("/t/987654")).await;
        assert_eq!(status, 404);
        assert!(missing.contains("<summary>@ada"), "{missing}");
        assert!(missing.contains(r#"role="search""#) && missing.contains("Not found"));

        let (status, asked) = text(&app.browser(), app.url("/settings/profile?tab=x")).await;
        assert_eq!(status, 401);
        assert!(
            asked.contains(r#"href="/signin?next=/settings/profile%3Ftab%3Dx""#),
            "{asked}"
        );
        assert!(asked.contains(r#"href="/signup?next=/settings/profile%3Ftab%3Dx""#));
        assert!(
            !asked.contains("<summary>@"),
            "a visitor has no account menu"
        );
        app.finish().await;
    }
}
