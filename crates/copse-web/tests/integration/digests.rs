//! Personal digests end to end: built for each person through the access policy, sent through
//! the worker's job queue to a real SMTP server (aiosmtpd), parsed by Python's e-mail parser;
//! one-click unsubscribe without signing in stops the next digest; a crash mid-batch resumes
//! with exactly one digest per person; two workers on one database send each digest once.

use std::collections::BTreeMap;

use crate::common::*;
use serde_json::{Value, json};

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;
/// Monday 2029-12-31, 08:00 UTC: the weekly digest of the week before has gone out at 07:00.
const MONDAY: i64 = 1_893_398_400_000;
const DAY: i64 = 86_400_000;
const BASE: &str = MAIL_BASE;

async fn apps() -> Vec<(TestApp, copse_core::clock::FixedClock)> {
    mail_apps(START).await
}

#[tokio::test]
async fn weekly_digests_follow_the_policy_and_unsubscribe_stops_them() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let obs = app.api().person("obs").await;
        let cat = app.api().person("cat").await;
        let dan = app.api().person("dan").await;
        let rem = app.api().person("rem").await;
        let stranger = app.api().person("stranger").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob, &cat, &dan, &rem] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        obs.post_empty("/api/v1/communities/ipc/follow").await;
        // stranger belongs nowhere: no digest.
        let _ = &stranger;
        assert_eq!(
            cat.put("/api/v1/me/email", json!({"digest": "daily"}))
                .await
                .status,
            200
        );
        assert_eq!(
            dan.put("/api/v1/me/email", json!({"digest": "off"}))
                .await
                .status,
            200
        );
        assert_eq!(
            dan.put("/api/v1/me/email", json!({"digest": "hourly"}))
                .await
                .status,
            422
        );
        bob.patch("/api/v1/me", json!({"expertise": ["sepsis"]}))
            .await;
        coord
            .post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "audits", "name": "Audits"}),
            )
            .await;
        bob.post_empty("/api/v1/communities/ipc/topics/audits/follow")
            .await;
        let circle = ada
            .post(
                "/api/v1/communities/ipc/circles",
                json!({"name": "Ward 4B", "purpose": "Our ward.", "listed": false}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        clock.advance(DAY);
        let post = |who: &Api, body: Value| {
            let who = who.clone();
            async move {
                let r = who.post("/api/v1/communities/ipc/threads", body).await;
                assert_eq!(r.status, 201, "{}", r.text);
                r.body["id"].as_i64().unwrap()
            }
        };
        let public = post(
            &coord,
            json!({"title": "Public dgpublic", "body": "x", "topics": ["audits"]}),
        )
        .await;
        let members = post(
            &coord,
            json!({"title": "Members dgmembers", "body": "x", "space": "members"}),
        )
        .await;
        let in_circle = post(
            &ada,
            json!({"title": "Circle dgcircle", "body": "x", "space": "circle", "circle": circle}),
        )
        .await;
        let question = post(&coord, json!({"title": "Sepsis screening at night dgquestion?", "body": "x", "kind": "question"})).await;
        let _ = (members, in_circle, question);
        // Two questions answered in the week: bob follows the first's topic and replied to
        // the second; ada wrote both accepted answers.
        let by_topic = post(
            &coord,
            json!({"title": "Glove changes dgbytopic?", "body": "x", "kind": "question", "topics": ["audits"]}),
        )
        .await;
        let by_reply = post(
            &coord,
            json!({"title": "Hand rub dgbyreply?", "body": "x", "kind": "question"}),
        )
        .await;
        bob.post(
            &format!("/api/v1/threads/{by_reply}/replies"),
            json!({"body": "Following this one."}),
        )
        .await;
        for q in [by_topic, by_reply] {
            let answer = ada
                .post(
                    &format!("/api/v1/threads/{q}/replies"),
                    json!({"body": "Every two hours."}),
                )
                .await
                .body["id"]
                .as_i64()
                .unwrap();
            let r = coord
                .post(
                    &format!("/api/v1/threads/{q}/accept"),
                    json!({"reply_id": answer}),
                )
                .await;
            assert_eq!(r.status, 204, "{}", r.text);
        }
        let story = coord
            .post(
                "/api/v1/communities/ipc/stories",
                json!({"happened": "x", "took": "dgstory checklist", "cycles": ["applied"], "credits": [format!("thread:{public}")]}),
            )
            .await;
        assert_eq!(story.status, 201, "{}", story.text);
        let event = coord
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Clinic dgevent", "time_zone": "UTC", "start": "2030-01-03T10:00", "end": "2030-01-03T11:00", "space": "members"}),
            )
            .await;
        assert_eq!(event.status, 201, "{}", event.text);
        // Removed between the activity and the sending: nothing goes to them.
        assert_eq!(
            coord
                .delete("/api/v1/communities/ipc/members/rem")
                .await
                .status,
            204
        );

        clock.set(MONDAY);
        let w = worker(&app.state, port, "a", None);
        w.tick().await.unwrap();
        w.tick().await.unwrap();
        let messages = caught(&smtp);
        let ours: Vec<Value> = messages
            .iter()
            .filter(|m| m["subject"].as_str().unwrap().contains("weekly digest"))
            .cloned()
            .collect();
        let count = to_whom(&ours);
        assert_eq!(
            count.keys().map(String::as_str).collect::<Vec<_>>(),
            ["ada", "bob", "coord", "obs"],
            "cat is daily, dan off, rem removed, the stranger in no community: {count:?}"
        );
        assert!(count.values().all(|n| *n == 1), "one each: {count:?}");
        let of = |handle: &str| {
            ours.iter()
                .find(|m| m["to"].as_str().unwrap().contains(&format!("<{handle}@")))
                .unwrap()
                .clone()
        };
        // Everyone sees only what the policy lets them read.
        let ada_mail = of("ada");
        let text = ada_mail["text"].as_str().unwrap();
        for word in ["dgpublic", "dgmembers", "dgquestion", "dgstory", "dgevent"] {
            assert!(text.contains(word), "ada's digest has {word}: {text}");
        }
        assert!(
            !text.contains("dgcircle"),
            "her own thread is not news to her"
        );
        assert!(text.contains("Say welcome to"), "members welcome newcomers");
        assert!(
            !text.contains("Answered questions"),
            "she wrote the answers: {text}"
        );
        let bob_mail = of("bob");
        let text = bob_mail["text"].as_str().unwrap();
        assert!(!text.contains("dgcircle"), "not in the circle");
        assert!(text.contains("in a topic you follow"));
        assert!(
            text.contains("Answered questions you follow:\n- Hand rub dgbyreply?")
                && text.contains("- Glove changes dgbytopic?\n  https://copse.example/t/"),
            "{text}"
        );
        assert!(
            text.contains("Questions you could answer:\n- Sepsis screening at night dgquestion?"),
            "{text}"
        );
        let obs_text = of("obs")["text"].as_str().unwrap().to_string();
        assert!(obs_text.contains("dgpublic"));
        for word in ["dgmembers", "dgcircle", "dgevent", "dgstory", "Say welcome"] {
            assert!(
                !obs_text.contains(word),
                "observers read public spaces only: {word}"
            );
        }
        // The message: text and HTML alternatives, RFC 8058 headers, working links.
        assert_eq!(
            ada_mail["structure"],
            json!({"multipart/alternative": ["text/plain", "text/html"]})
        );
        assert_eq!(
            ada_mail["list_unsubscribe_post"],
            "List-Unsubscribe=One-Click"
        );
        let unsubscribe = ada_mail["list_unsubscribe"]
            .as_str()
            .unwrap()
            .trim_matches(['<', '>', ' '])
            .to_string();
        assert!(
            unsubscribe.starts_with(&format!("{BASE}/unsubscribe/")),
            "{unsubscribe}"
        );
        let links: Vec<&str> = ada_mail["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert!(links.iter().all(|l| l.starts_with(BASE)), "{links:?}");
        let thread_link = links
            .iter()
            .find(|l| l.ends_with(&format!("/t/{members}")))
            .expect("a link to the members thread");
        let path = thread_link.trim_start_matches(BASE);
        assert_eq!(
            ada.get(&format!("/api/v1/threads/{}", &path[3..]))
                .await
                .status,
            200
        );
        assert!(ada_mail["html"].as_str().unwrap().contains("<table"));
        assert!(!ada_mail["html"].as_str().unwrap().contains("<script"));

        // Running again sends nothing more.
        w.tick().await.unwrap();
        assert_eq!(caught(&smtp).len(), messages.len());

        // One-click unsubscribe, as a mail client does it: no session, no Origin.
        let r = reqwest::Client::new()
            .post(app.url(unsubscribe.trim_start_matches(BASE)))
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(ada.get("/api/v1/me/email").await.body["digest"], "off");
        // The next week: bob gets his next digest, ada none; cat her daily one.
        clock.set(MONDAY + 6 * DAY + 12 * 3_600_000);
        post(&coord, json!({"title": "Next week dgnext", "body": "x"})).await;
        clock.set(MONDAY + 7 * DAY);
        w.tick().await.unwrap();
        let next: Vec<Value> = caught(&smtp)
            .into_iter()
            .filter(|m| m["text"].as_str().unwrap_or("").contains("dgnext"))
            .collect();
        let count = to_whom(&next);
        assert!(
            count.contains_key("bob") && !count.contains_key("ada"),
            "{count:?}"
        );
        // The daily digest went to cat, on her cadence.
        assert!(
            caught(&smtp)
                .iter()
                .any(|m| m["to"].as_str().unwrap().contains("<cat@")
                    && m["subject"].as_str().unwrap().contains("daily digest"))
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_crash_mid_batch_resumes_and_two_workers_send_each_digest_once() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        coord.community("ipc", "public", true, "open").await;
        let mut people = Vec::new();
        for i in 0..24 {
            let p = app.api().person(&format!("p{i:02}")).await;
            p.post_empty("/api/v1/communities/ipc/join").await;
            people.push(p);
        }
        clock.advance(DAY);
        coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "News", "body": "x"}),
            )
            .await;
        clock.set(MONDAY);
        let before = caught(&smtp).len();
        // The first node crashes after 7 messages: its job stays claimed.
        worker(&app.state, port, "a", Some(7)).tick().await.unwrap();
        assert_eq!(caught(&smtp).len() - before, 7);
        // Another node cannot take the job while its lease runs…
        worker(&app.state, port, "b", None).tick().await.unwrap();
        assert_eq!(caught(&smtp).len() - before, 7);
        // …and resumes it once the lease ran out, skipping whoever has theirs.
        clock.advance(301_000);
        let (b, c) = (
            worker(&app.state, port, "b", None),
            worker(&app.state, port, "c", None),
        );
        let (x, y) = tokio::join!(b.tick(), c.tick());
        x.unwrap();
        y.unwrap();
        b.tick().await.unwrap();
        let messages: Vec<Value> = caught(&smtp).into_iter().skip(before).collect();
        let count = to_whom(&messages);
        assert_eq!(
            count.len(),
            25,
            "everyone (newcomers to welcome for the author): {count:?}"
        );
        assert!(
            count.values().all(|n| *n == 1),
            "exactly one each: {count:?}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn notifications_are_emailed_at_once_or_in_the_digest_as_each_person_chooses() {
    const MINUTE: i64 = 60_000;
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let w = worker(&app.state, port, "a", None);
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        // Defaults: mentions and accepted answers at once, the rest in the digest.
        let settings = ada.get("/api/v1/me/email").await;
        let mode_of = |body: &Value, kind: &str| {
            body["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| k["kind"] == kind)
                .unwrap()["mode"]
                .clone()
        };
        assert_eq!(settings.body["digest"], "weekly");
        assert_eq!(mode_of(&settings.body, "mention"), "immediate");
        assert_eq!(mode_of(&settings.body, "reply"), "digest");
        let bad = ada
            .put(
                "/api/v1/me/email",
                json!({"digest": "weekly", "notifications": [{"kind": "reply", "mode": "sometimes"}]}),
            )
            .await;
        assert_eq!(bad.status, 422, "{}", bad.text);
        let mails = |needle: &'static str| {
            let found = caught(&smtp);
            found
                .into_iter()
                .filter(move |m| m["subject"].as_str().unwrap().contains(needle))
                .collect::<Vec<_>>()
        };
        let thread = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Night checks", "body": "How do you do them?"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        bob.post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Audit forms", "body": "@ada has the template."}),
        )
        .await;
        // Not before the grace period: someone on the site would have seen it.
        clock.advance(MINUTE);
        w.tick().await.unwrap();
        assert!(mails("mentioned you").is_empty());
        clock.advance(2 * MINUTE);
        w.tick().await.unwrap();
        w.tick().await.unwrap();
        let mentioned = mails("mentioned you");
        assert_eq!(mentioned.len(), 1, "once");
        assert!(mentioned[0]["to"].as_str().unwrap().contains("<ada@"));
        assert!(
            mentioned[0]["text"]
                .as_str()
                .unwrap()
                .contains(&format!("{BASE}/t/"))
        );
        assert_eq!(
            mentioned[0]["list_unsubscribe_post"],
            "List-Unsubscribe=One-Click"
        );
        // A reply waits for the digest by default …
        bob.post(
            &format!("/api/v1/threads/{thread}/replies"),
            json!({"body": "We do them at 2 am."}),
        )
        .await;
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        assert!(mails("replied to").is_empty());
        // … unless she wants replies at once.
        let set = ada
            .put(
                "/api/v1/me/email",
                json!({"digest": "weekly", "notifications": [{"kind": "reply", "mode": "immediate"}]}),
            )
            .await;
        assert_eq!(mode_of(&set.body, "reply"), "immediate", "{}", set.text);
        assert_eq!(
            mode_of(&set.body, "mention"),
            "immediate",
            "left out: the default"
        );
        bob.post(
            &format!("/api/v1/threads/{thread}/replies"),
            json!({"body": "And at 5 am."}),
        )
        .await;
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        assert_eq!(mails("replied to").len(), 1);
        // Read on the site before the e-mail would go: no e-mail.
        bob.post(
            &format!("/api/v1/threads/{thread}/replies"),
            json!({"body": "Or never."}),
        )
        .await;
        assert_eq!(
            ada.post_empty("/api/v1/notifications/read").await.status,
            204
        );
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        assert_eq!(mails("replied to").len(), 1, "seen on the site");
        // One click in the mention e-mail stops mention e-mails, without signing in.
        let link = mentioned[0]["list_unsubscribe"]
            .as_str()
            .unwrap()
            .trim_matches(['<', '>', ' '])
            .trim_start_matches(BASE)
            .to_string();
        let r = reqwest::Client::new()
            .post(app.url(&link))
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(
            mode_of(&ada.get("/api/v1/me/email").await.body, "mention"),
            "off"
        );
        bob.post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Again", "body": "@ada once more."}),
        )
        .await;
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        assert_eq!(mails("mentioned you").len(), 1, "mentions are off now");

        // The digest carries the unread notifications of digest kinds: coord's reply.
        let coord_thread = coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Coordinators' corner", "body": "x"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        bob.post(
            &format!("/api/v1/threads/{coord_thread}/replies"),
            json!({"body": "Hello."}),
        )
        .await;
        clock.set(MONDAY);
        w.tick().await.unwrap();
        let digest = mails("weekly digest")
            .into_iter()
            .find(|m| m["to"].as_str().unwrap().contains("<coord@"))
            .expect("coord's digest");
        let text = digest["text"].as_str().unwrap();
        assert!(
            text.contains("For you:\n- @bob replied to Coordinators' corner"),
            "{text}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn bounces_are_recorded_and_admins_send_them_again() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        coord.community("ipc", "public", true, "open").await;
        let mut members = Vec::new();
        for h in ["ada", "bob", "cy"] {
            let m = app.api().person(h).await;
            m.post_empty("/api/v1/communities/ipc/join").await;
            members.push(m);
        }
        clock.advance(DAY);
        coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "News", "body": "x"}),
            )
            .await;
        clock.set(MONDAY);
        // The mail server is down: every message fails, the batch goes on, nothing crashes.
        let dead = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        worker(&app.state, dead, "a", None).tick().await.unwrap();
        assert!(caught(&smtp).is_empty());
        let admin = app.admin("root").await;
        let overview = admin.get("/api/v1/admin/email").await;
        assert_eq!(overview.status, 200, "{}", overview.text);
        let run = &overview.body["runs"][0];
        assert_eq!(run["run"], "weekly-2029-12-31");
        assert_eq!(
            (run["sent"].as_i64(), run["failed"].as_i64()),
            (Some(0), Some(4))
        );
        let failures = overview.body["failures"].as_array().unwrap();
        assert_eq!(failures.len(), 4);
        assert!(
            failures
                .iter()
                .all(|f| !f["error"].as_str().unwrap().is_empty())
        );
        // Admins only.
        assert_eq!(members[0].get("/api/v1/admin/email").await.status, 403);
        assert_eq!(
            app.api()
                .anonymous()
                .get("/api/v1/admin/email")
                .await
                .status,
            401
        );
        let again = json!({"run": "weekly-2029-12-31"});
        assert_eq!(
            members[0]
                .post("/api/v1/admin/email/retry", again.clone())
                .await
                .status,
            403
        );
        assert_eq!(
            admin
                .post(
                    "/api/v1/admin/email/retry",
                    json!({"run": "weekly-2029-12-30"})
                )
                .await
                .status,
            422,
            "not a period"
        );
        // Sent again once the server is back: one each.
        let r = admin.post("/api/v1/admin/email/retry", again).await;
        assert_eq!(r.body["queued"], 1, "{}", r.text);
        worker(&app.state, port, "a", None).tick().await.unwrap();
        let count = to_whom(&caught(&smtp));
        assert_eq!(count.len(), 4, "{count:?}");
        assert!(count.values().all(|n| *n == 1));
        let overview = admin.get("/api/v1/admin/email").await;
        let run = &overview.body["runs"][0];
        assert_eq!(
            (run["sent"].as_i64(), run["failed"].as_i64()),
            (Some(4), Some(0))
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn messages_are_emailed_unless_read_first() {
    const MINUTE: i64 = 60_000;
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let w = worker(&app.state, port, "a", None);
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        let started = ada
            .post(
                "/api/v1/conversations",
                json!({"people": ["bob"], "subject": "Night checks", "body": "Can we talk?"}),
            )
            .await;
        assert_eq!(started.status, 201, "{}", started.text);
        let id = started.body["id"].as_i64().unwrap();
        let messages = || {
            caught(&smtp)
                .into_iter()
                .filter(|m| m["subject"].as_str().unwrap().contains("wrote to you in"))
                .collect::<Vec<_>>()
        };
        w.tick().await.unwrap();
        assert!(messages().is_empty(), "not before the grace period");
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        let sent = messages();
        assert_eq!(sent.len(), 1);
        assert!(
            sent[0]["to"].as_str().unwrap().contains("<bob@"),
            "not to its author"
        );
        assert!(
            sent[0]["text"]
                .as_str()
                .unwrap()
                .contains(&format!("{BASE}/conversations/{id}"))
        );
        // Read on the site first: no e-mail.
        ada.post(
            &format!("/api/v1/conversations/{id}/messages"),
            json!({"body": "Tomorrow?"}),
        )
        .await;
        assert_eq!(
            bob.get(&format!("/api/v1/conversations/{id}")).await.status,
            200
        );
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        assert_eq!(messages().len(), 1, "bob read it on the site");
        // Messages off: nothing more.
        bob.put(
            "/api/v1/me/email",
            json!({"digest": "weekly", "notifications": [{"kind": "message", "mode": "off"}]}),
        )
        .await;
        ada.post(
            &format!("/api/v1/conversations/{id}/messages"),
            json!({"body": "Hello?"}),
        )
        .await;
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        assert_eq!(messages().len(), 1, "off");
        // In the digest: no e-mail of its own; the weekly digest counts what is unread.
        bob.put(
            "/api/v1/me/email",
            json!({"digest": "weekly", "notifications": [{"kind": "message", "mode": "digest"}]}),
        )
        .await;
        ada.post(
            &format!("/api/v1/conversations/{id}/messages"),
            json!({"body": "Still there?"}),
        )
        .await;
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        assert_eq!(messages().len(), 1, "in the digest, not at once");
        clock.set(MONDAY);
        w.tick().await.unwrap();
        let digests: Vec<Value> = caught(&smtp)
            .into_iter()
            .filter(|m| m["subject"].as_str().unwrap().contains("weekly digest"))
            .collect();
        let bob_digest = digests
            .iter()
            .find(|m| m["to"].as_str().unwrap().contains("<bob@"))
            .expect("bob's digest");
        let text = bob_digest["text"].as_str().unwrap();
        assert!(
            text.contains(&format!(
                "For you:\n- 2 unread messages in Night checks\n  {BASE}/conversations/{id}"
            )),
            "{text}"
        );
        assert!(
            digests
                .iter()
                .filter(|m| m["to"].as_str().unwrap().contains("<ada@"))
                .all(|m| !m["text"].as_str().unwrap().contains("unread message")),
            "ada wrote them, and wants messages at once"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn failed_notification_and_message_emails_are_sent_again_by_an_admin() {
    const MINUTE: i64 = 60_000;
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        ada.post(
            "/api/v1/conversations",
            json!({"people": ["bob"], "subject": "Night checks", "body": "Can we talk?"}),
        )
        .await;
        bob.post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Audit forms", "body": "@ada has the template."}),
        )
        .await;
        clock.advance(3 * MINUTE);
        let dead = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        worker(&app.state, dead, "a", None).tick().await.unwrap();
        let admin = app.admin("root").await;
        let overview = admin.get("/api/v1/admin/email").await;
        let failed: BTreeMap<String, i64> = overview.body["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["run"].as_str().unwrap().to_string(),
                    r["failed"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(failed.get("messages"), Some(&1), "{failed:?}");
        assert_eq!(failed.get("notifications"), Some(&1), "{failed:?}");
        for run in ["messages", "notifications"] {
            let r = admin
                .post("/api/v1/admin/email/retry", json!({"run": run}))
                .await;
            assert_eq!(r.body["queued"], 1, "{run}: {}", r.text);
        }
        worker(&app.state, port, "a", None).tick().await.unwrap();
        let subjects: Vec<String> = caught(&smtp)
            .iter()
            .map(|m| m["subject"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(subjects.len(), 2, "{subjects:?}");
        assert!(
            subjects
                .iter()
                .any(|s| s.contains("wrote to you in Night checks"))
        );
        assert!(
            subjects
                .iter()
                .any(|s| s.contains("mentioned you in Audit forms"))
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn new_circle_threads_reach_the_circles_members_as_they_choose() {
    const MINUTE: i64 = 60_000;
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let w = worker(&app.state, port, "a", None);
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let cat = app.api().person("cat").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob, &cat] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        let circle = ada
            .post(
                "/api/v1/communities/ipc/circles",
                json!({"name": "Ward 4B", "purpose": "Our ward.", "listed": false}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        ada.post(
            &format!("/api/v1/circles/{circle}/invitations"),
            json!({"handle": "bob"}),
        )
        .await;
        let r = bob
            .post(
                &format!("/api/v1/circles/{circle}/invitation"),
                json!({"accept": true}),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
        // Quiet by default (the digest); bob wants them at once.
        let mode = |body: &Value| {
            body["notifications"]
                .as_array()
                .unwrap()
                .iter()
                .find(|k| k["kind"] == "circle")
                .unwrap()["mode"]
                .clone()
        };
        assert_eq!(mode(&bob.get("/api/v1/me/email").await.body), "digest");
        let r = bob
            .put(
                "/api/v1/me/email",
                json!({"digest": "weekly", "notifications": [{"kind": "circle", "mode": "immediate"}]}),
            )
            .await;
        assert_eq!(mode(&r.body), "immediate");
        let r = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Handover notes cxcircle", "body": "x", "space": "circle", "circle": circle}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let kinds = |who: &Api| {
            let who = who.clone();
            async move {
                who.get("/api/v1/notifications").await.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["kind"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(kinds(&bob).await, ["circle"]);
        assert!(kinds(&cat).await.is_empty(), "not in the circle");
        assert!(kinds(&ada).await.is_empty(), "her own thread");
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        let mails: Vec<Value> = caught(&smtp)
            .into_iter()
            .filter(|m| m["text"].as_str().unwrap_or("").contains("cxcircle"))
            .collect();
        assert_eq!(
            to_whom(&mails)
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            ["bob"]
        );
        assert!(
            mails[0]["subject"]
                .as_str()
                .unwrap()
                .contains("posted in your circle"),
            "{}",
            mails[0]["subject"]
        );
        app.finish().await;
    }
}
