//! One issue from draft to every reader's copy, the archive and the feed.

use super::*;

#[tokio::test]
async fn coordinators_draft_edit_preview_and_send_and_each_reader_gets_what_they_may_read() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let obs = app.api().person("obs").await;
        let rem = app.api().person("rem").await;
        let quiet = app.api().person("quiet").await;
        let stranger = app.api().person("stranger").await;
        let anon = app.api().anonymous();
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob, &rem, &quiet] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        obs.post_empty("/api/v1/communities/ipc/follow").await;
        // The worker runs all along (it gives new communities the default cadence).
        let w = worker(&app.state, port, "a", None);
        w.tick().await.unwrap();

        the_default_cadence(&coord, &ada, &anon, &stranger).await;
        let month = a_month_of_activity(&coord, &bob, &ada).await;
        drafted_once_when_due(&clock, &w, &coord).await;
        let body = a_draft_is_the_coordinators_alone(&ada, &obs, &anon, &coord, &month).await;
        edits_are_checked(&coord, month.in_circle, &ada, &body).await;
        previews_as_each_reader(&coord, &ada).await;
        between_drafting_and_sending(&coord, &quiet).await;
        sending_asks_first(&app, &coord, "draft").await;
        let (ada_mail, obs_mail) = send_now(&ada, &coord, &w, &smtp).await;
        the_message_is_well_formed(&ada_mail, month.members);
        in_the_archive(&coord, &anon, &app).await;
        sending_asks_first(&app, &coord, "sent").await;
        the_feed_is_valid_atom(&anon).await;
        nothing_twice_and_one_click_stops_it(&w, &smtp, &obs_mail, &app, &obs).await;
        the_next_issue_waits_for_its_time(&coord, &w, &smtp, &clock).await;
        app.finish().await;
    }
}

/// The default cadence: monthly, the first draft on the first of next month.
async fn the_default_cadence(coord: &Api, ada: &Api, anon: &Api, stranger: &Api) {
    let settings = coord
        .get("/api/v1/communities/ipc/newsletter-settings")
        .await;
    assert_eq!(settings.status, 200, "{}", settings.text);
    assert_eq!(settings.body["cadence"], "monthly");
    assert_eq!(settings.body["next_at"], "2030-01-01T07:00:00Z");
    for (who, status) in [(ada, 403), (anon, 401), (stranger, 403)] {
        assert_eq!(
            who.get("/api/v1/communities/ipc/newsletter-settings")
                .await
                .status,
            status
        );
    }
    let bad = coord
        .put(
            "/api/v1/communities/ipc/newsletter-settings",
            json!({"cadence": "hourly", "next_at": null}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
}

/// What the month brought, by id: what the issue must show, and the circle's thread it must not.
#[derive(Clone, Copy)]
struct Month {
    public: i64,
    members: i64,
    reply: i64,
    library: i64,
    event: i64,
    story: i64,
    in_circle: i64,
}

/// A month's activity in every kind of space.
async fn a_month_of_activity(coord: &Api, bob: &Api, ada: &Api) -> Month {
    let threads = "/api/v1/communities/ipc/threads";
    let public = created(
        coord,
        threads,
        json!({"title": "Night audits nlpublic?", "body": "x", "kind": "question"}),
    )
    .await;
    let reply = created(
        bob,
        &format!("/api/v1/threads/{public}/replies"),
        json!({"body": "Use the two-person check."}),
    )
    .await;
    assert_eq!(
        coord
            .post(
                &format!("/api/v1/threads/{public}/accept"),
                json!({"reply_id": reply})
            )
            .await
            .status,
        204
    );
    ada.post_empty(&format!("/api/v1/replies/{reply}/helpful"))
        .await;
    let members = created(
        coord,
        threads,
        json!({"title": "Staffing nlmembers", "body": "x", "space": "members"}),
    )
    .await;
    let circle = created(
        ada,
        "/api/v1/communities/ipc/circles",
        json!({"name": "Ward 4B", "purpose": "Our ward.", "listed": false}),
    )
    .await;
    let in_circle = created(
        ada,
        threads,
        json!({"title": "Ward talk nlcircle", "body": "x", "space": "circle", "circle": circle}),
    )
    .await;
    let library = created(
        coord,
        threads,
        json!({"title": "Audit template nllibrary", "body": "x", "kind": "resource", "link": "https://example.org/t.pdf"}),
    )
    .await;
    let story = created(
        ada,
        "/api/v1/communities/ipc/stories",
        json!({"happened": "x", "took": "nlstory the two-person check", "cycles": ["applied"], "credits": [format!("thread:{public}")]}),
    )
    .await;
    let event = created(
        coord,
        "/api/v1/communities/ipc/events",
        json!({"title": "Clinic nlevent", "time_zone": "UTC", "start": "2030-01-10T10:00", "end": "2030-01-10T11:00", "space": "members"}),
    )
    .await;

    Month {
        public,
        members,
        reply,
        library,
        event,
        story,
        in_circle,
    }
}

/// The worker drafts the issue once, when it is due, and moves the cadence on.
async fn drafted_once_when_due(clock: &FixedClock, w: &Worker, coord: &Api) {
    clock.set(NEW_YEAR);
    w.tick().await.unwrap();
    w.tick().await.unwrap();
    w.tick().await.unwrap();
    let list = coord.get("/api/v1/communities/ipc/newsletters").await;
    assert_eq!(list.status, 200, "{}", list.text);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "one draft: {}", list.text);
    assert_eq!(items[0]["status"], "draft");
    assert_eq!(items[0]["number"], 1);
    assert_eq!(items[0]["subject"], "Community ipc — December 2029");
    assert_eq!(
        coord
            .get("/api/v1/communities/ipc/newsletter-settings")
            .await
            .body["next_at"],
        "2030-02-01T07:00:00Z"
    );
}

/// A draft is the coordinators' alone; one issue is prepared at a time.
async fn a_draft_is_the_coordinators_alone(
    ada: &Api,
    obs: &Api,
    anon: &Api,
    coord: &Api,
    month: &Month,
) -> String {
    let Month {
        public,
        members,
        reply,
        library,
        event,
        story,
        in_circle,
    } = *month;
    assert!(
        ada.get("/api/v1/communities/ipc/newsletters").await.body["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    for who in [ada, obs, anon] {
        assert_eq!(
            who.get("/api/v1/communities/ipc/newsletters/1")
                .await
                .status,
            404
        );
    }
    let draft = coord.get("/api/v1/communities/ipc/newsletters/1").await;
    assert_eq!(draft.status, 200, "{}", draft.text);
    let body = draft.body["body"].as_str().unwrap().to_string();
    for line in [
        format!("[[thread:{public}]]"),
        format!("[[thread:{members}]]"),
        format!("[[answer:{reply}]]"),
        format!("[[thread:{library}]]"),
        format!("[[event:{event}]]"),
        format!("[[story:{story}]]"),
        "[[member:".to_string(),
    ] {
        assert!(body.contains(&line), "the draft has {line}: {body}");
    }
    assert!(
        !body.contains(&format!("[[thread:{in_circle}]]")),
        "circles are not news: {body}"
    );
    // One issue is prepared at a time.
    assert_eq!(
        coord
            .post_empty("/api/v1/communities/ipc/newsletters")
            .await
            .status,
        409
    );

    body
}

/// Editing: the references are checked, as the editor reads them.
async fn edits_are_checked(coord: &Api, in_circle: i64, ada: &Api, body: &str) {
    let r = edit_issue(coord, "x", "Hello\n\n[[poll:3]]".into()).await;
    assert_eq!(r.status, 422, "{}", r.text);
    assert!(r.text.contains("line 3"), "{}", r.text);
    let r = edit_issue(coord, "x", format!("[[thread:{in_circle}]]")).await;
    assert_eq!(r.status, 422, "not in the circle: {}", r.text);
    let r = edit_issue(coord, "", "x".into()).await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = ada
        .put(
            "/api/v1/communities/ipc/newsletters/1",
            json!({"subject": "x", "body": "x"}),
        )
        .await;
    assert_eq!(r.status, 403);
    let body = body.replace(
        "<!-- Write a few lines to the community here. -->",
        "A happy new year from the coordinators, nlword.",
    );
    let r = edit_issue(coord, "January at ipc", body).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// Previews: as a member, an observer, a visitor — coordinators only.
async fn previews_as_each_reader(coord: &Api, ada: &Api) {
    let as_member = preview_as(coord, "member").await;
    for word in [
        "nlword",
        "nlpublic",
        "nlmembers",
        "nllibrary",
        "nlstory",
        "nlevent",
        "an answer by bob",
    ] {
        assert!(as_member.contains(word), "{word}: {as_member}");
    }
    let as_observer = preview_as(coord, "observer").await;
    assert!(as_observer.contains("nlword") && as_observer.contains("nlpublic"));
    for word in ["nlmembers", "nlstory", "nlevent", "## Value stories"] {
        assert!(!as_observer.contains(word), "{word}: {as_observer}");
    }
    assert_eq!(
        ada.get("/api/v1/communities/ipc/newsletters/1?as=member")
            .await
            .status,
        404
    );
    assert_eq!(
        coord
            .get("/api/v1/communities/ipc/newsletters/1?as=boss")
            .await
            .status,
        422
    );
}

/// Between drafting and sending: rem is removed, quiet opts out.
async fn between_drafting_and_sending(coord: &Api, quiet: &Api) {
    assert_eq!(
        coord
            .delete("/api/v1/communities/ipc/members/rem")
            .await
            .status,
        204
    );
    let mine = quiet.get("/api/v1/me/email").await;
    assert_eq!(
        mine.body["newsletters"],
        json!([{"community": "ipc", "name": "Community ipc", "subscribed": true}])
    );
    let r = quiet
        .put(
            "/api/v1/me/email",
            json!({"digest": "weekly", "newsletters": [{"community": "elsewhere", "subscribed": false}]}),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.text);
    let r = quiet
        .put(
            "/api/v1/me/email",
            json!({"digest": "weekly", "newsletters": [{"community": "ipc", "subscribed": false}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["newsletters"][0]["subscribed"], false);
}

/// The issue's page only links to sending; the page that asks sends nothing by being read,
/// is the coordinators' alone, and once the issue is out leads back to it.
async fn sending_asks_first(app: &TestApp, coord: &Api, status: &str) {
    let page = |who: &'static str| async move {
        let browser = app.signed_in(who).await;
        let r = browser
            .get(app.url("/c/ipc/newsletter/1/send"))
            .send()
            .await
            .unwrap();
        let location = r
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_string());
        (r.status().as_u16(), location, r.text().await.unwrap())
    };
    let (code, location, text) = page("coord@example.org").await;
    if status == "draft" {
        assert_eq!(code, 200, "{text}");
        assert!(
            text.contains("now?</h2>") && text.contains(r#"value="now">Send it now"#),
            "{text}"
        );
        let (code, _, _) = page("bob@example.org").await;
        assert_eq!(
            code, 404,
            "a draft is the coordinators' alone: a member is not told of it"
        );
    } else {
        assert_eq!(code, 303);
        assert_eq!(
            location.as_deref(),
            Some("/c/ipc/newsletter/1?notice=newsletter-sending")
        );
    }
    let issue = coord.get("/api/v1/communities/ipc/newsletters/1").await;
    assert_eq!(
        issue.body["issue"]["status"], status,
        "asking changes nothing"
    );
}

/// Send now.
async fn send_now(ada: &Api, coord: &Api, w: &Worker, smtp: &Smtp) -> (Value, Value) {
    assert_eq!(
        ada.post_empty("/api/v1/communities/ipc/newsletters/1/send")
            .await
            .status,
        403
    );
    let sent = coord
        .post_empty("/api/v1/communities/ipc/newsletters/1/send")
        .await;
    assert_eq!(sent.status, 200, "{}", sent.text);
    assert_eq!(sent.body["issue"]["status"], "sending");
    assert_eq!(
        coord
            .post_empty("/api/v1/communities/ipc/newsletters/1/send")
            .await
            .status,
        409
    );
    assert_eq!(edit_issue(coord, "Too late", "x".into()).await.status, 409);
    w.tick().await.unwrap();
    let messages = issue_mail(smtp, "January at ipc");
    let count = to_whom(&messages);
    assert_eq!(
        count.keys().map(String::as_str).collect::<Vec<_>>(),
        ["ada", "bob", "coord", "obs"],
        "rem was removed, quiet opted out, the stranger is not in it: {count:?}"
    );
    assert!(count.values().all(|n| *n == 1), "{count:?}");
    let ada_mail = mail_to(&messages, "ada");
    let text = ada_mail["text"].as_str().unwrap();
    for word in [
        "nlword",
        "nlpublic",
        "nlmembers",
        "nlstory",
        "nlevent",
        "Thursday 10 January 2030",
        "Welcome to our new members",
    ] {
        assert!(text.contains(word), "ada's copy has {word}: {text}");
    }
    let obs_mail = mail_to(&messages, "obs");
    let obs_text = obs_mail["text"].as_str().unwrap();
    assert!(obs_text.contains("nlword") && obs_text.contains("nlpublic"));
    for word in ["nlmembers", "nlstory", "nlevent", "Value stories"] {
        assert!(
            !obs_text.contains(word),
            "observers get public spaces only: {word}: {obs_text}"
        );
    }
    (ada_mail, obs_mail)
}

/// The message: text and HTML, RFC 8058 headers, links back that work.
fn the_message_is_well_formed(ada_mail: &Value, members: i64) {
    assert_eq!(
        ada_mail["structure"],
        json!({"multipart/alternative": ["text/plain", "text/html"]})
    );
    assert_eq!(
        ada_mail["list_unsubscribe_post"],
        "List-Unsubscribe=One-Click"
    );
    let html = ada_mail["html"].as_str().unwrap();
    assert!(html.contains("<table") && !html.contains("<script"));
    assert!(html.contains("style="), "inline styles");
    let links: Vec<&str> = ada_mail["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(links.iter().all(|l| l.starts_with(BASE)), "{links:?}");
    assert!(links.contains(&format!("{BASE}/t/{members}").as_str()));
    assert!(links.contains(&format!("{BASE}/c/ipc/newsletter/1").as_str()));
    assert!(links.contains(&format!("{BASE}/settings/email").as_str()));
}

/// It went out: in the archive for everyone, each reading what they may.
async fn in_the_archive(coord: &Api, anon: &Api, app: &TestApp) {
    let issue = coord.get("/api/v1/communities/ipc/newsletters/1").await;
    assert_eq!(issue.body["issue"]["status"], "sent");
    assert_eq!(issue.body["delivery"]["sent"], 4);
    let public_issue = anon.get("/api/v1/communities/ipc/newsletters/1").await;
    assert_eq!(public_issue.status, 200, "{}", public_issue.text);
    assert!(
        public_issue.body["body"].is_null(),
        "the Markdown is the editors'"
    );
    assert!(public_issue.body["delivery"].is_null());
    let html = public_issue.body["html"].as_str().unwrap();
    assert!(html.contains("nlpublic") && !html.contains("nlmembers"));
    let page = anon.get("/c/ipc/newsletter/1").await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("nlpublic") && !page.text.contains("nlmembers"));
    let bob_browser = app.signed_in("bob@example.org").await;
    let page = bob_browser
        .get(app.url("/c/ipc/newsletter/1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("nlmembers"),
        "a member reads the members' links"
    );
    assert!(!page.contains("nlcircle"));
    let archive = anon.get("/c/ipc/newsletter").await;
    assert!(archive.text.contains("January at ipc"), "{}", archive.text);
}

/// The feed: valid Atom as feedparser reads it, as a visitor sees the issue.
async fn the_feed_is_valid_atom(anon: &Api) {
    let feed = anon.get("/c/ipc/newsletter.atom").await;
    assert_eq!(feed.status, 200);
    let feed = parse_feed(&feed.text);
    assert_eq!(feed["bozo"], 0, "{feed}");
    assert_eq!(feed["version"], "atom10");
    let entries = feed["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{feed}");
    assert_eq!(entries[0]["title"], "January at ipc");
    let content = entries[0]["content"].as_str().unwrap();
    assert!(content.contains("nlpublic") && !content.contains("nlmembers"));
}

/// Nothing goes twice.
async fn nothing_twice_and_one_click_stops_it(
    w: &Worker,
    smtp: &Smtp,
    obs_mail: &Value,
    app: &TestApp,
    obs: &Api,
) {
    w.tick().await.unwrap();
    assert_eq!(issue_mail(smtp, "January at ipc").len(), 4);

    // The observer stops it with one click, without signing in.
    let unsubscribe = obs_mail["list_unsubscribe"]
        .as_str()
        .unwrap()
        .trim_matches(['<', '>', ' '])
        .to_string();
    assert!(unsubscribe.contains("list=newsletter:ipc"), "{unsubscribe}");
    let r = reqwest::Client::new()
        .post(app.url(unsubscribe.trim_start_matches(BASE)))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        obs.get("/api/v1/me/email").await.body["newsletters"][0]["subscribed"],
        false
    );
}

/// The next issue, scheduled an hour ahead: nothing before its time.
async fn the_next_issue_waits_for_its_time(
    coord: &Api,
    w: &Worker,
    smtp: &Smtp,
    clock: &FixedClock,
) {
    let next = coord
        .post_empty("/api/v1/communities/ipc/newsletters")
        .await;
    assert_eq!(next.status, 201, "{}", next.text);
    assert_eq!(next.body["issue"]["number"], 2);
    let r = coord
        .put(
            "/api/v1/communities/ipc/newsletters/2",
            json!({"subject": "Second issue", "body": "Short one, nlsecond."}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = coord
        .post(
            "/api/v1/communities/ipc/newsletters/2/send",
            json!({"at": "2029-12-31T09:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, 422, "in the past: {}", r.text);
    let r = coord
        .post(
            "/api/v1/communities/ipc/newsletters/2/send",
            json!({"at": "2030-01-01T09:00:00Z"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["issue"]["status"], "scheduled");
    assert_eq!(r.body["issue"]["send_at"], "2030-01-01T09:00:00Z");
    w.tick().await.unwrap();
    assert!(issue_mail(smtp, "Second issue").is_empty());
    clock.set(NEW_YEAR + 2 * HOUR);
    w.tick().await.unwrap();
    w.tick().await.unwrap();
    let count = to_whom(&issue_mail(smtp, "Second issue"));
    assert_eq!(
        count.keys().map(String::as_str).collect::<Vec<_>>(),
        ["ada", "bob", "coord"],
        "the observer unsubscribed: {count:?}"
    );
}
