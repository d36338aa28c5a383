//! A personal data export too large to answer at once: asked for (one at a time), prepared by
//! the worker, announced by e-mail, downloaded by its owner alone — as a page and over the API
//! — and removed after a week.

use copse_app::personal_export::{GIVEN_UP_AFTER, KEPT_FOR};

use crate::common::*;
use crate::leaving::ada_and_bob;

const START: i64 = 1_892_980_800_000;

/// Runs the worker until no job is left.
async fn work(app: &TestApp, port: u16) {
    let w = worker(&app.state, port, "exports", None);
    for _ in 0..20 {
        if w.tick().await.unwrap() == 0 {
            return;
        }
    }
    panic!("the worker kept finding jobs");
}

#[tokio::test]
async fn a_large_export_is_prepared_in_the_background_for_its_owner_alone() {
    // Ada writes four things; more than three are prepared in the background.
    for (app, clock) in mail_apps_with(START, |c| c.export_at_once = 3).await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        ada_and_bob(&ada, &bob).await;
        send_welcomes(&app.state, port).await;
        let id = asked_and_prepared(&app, &ada, &smtp, port).await;
        let download = format!("/api/v1/me/exports/{id}");

        // Nobody else reaches it; Bob's own few things still come at once.
        assert_eq!(bob.get(&download).await.status, 404);
        assert_eq!(app.api().get(&download).await.status, 401);
        let bobs_page = app.signed_in("bob@example.org").await;
        let theirs = bobs_page
            .get(app.url(&format!("/settings/account/exports/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(theirs.status(), 404);
        assert_eq!(bob.get("/api/v1/me/export").await.status, 200);
        assert_eq!(
            bob.get("/api/v1/me/exports").await.body,
            serde_json::json!([])
        );

        // After a week it is gone.
        clock.advance(KEPT_FOR + 1);
        work(&app, port).await;
        assert_eq!(ada.get(&download).await.status, 404);
        assert_eq!(
            ada.get("/api/v1/me/exports").await.body,
            serde_json::json!([])
        );
        app.finish().await;
    }
}

/// Ada asks twice (one export waits), the worker prepares it and mails her; she downloads it
/// over the API and from the page. Returns its id.
async fn asked_and_prepared(app: &TestApp, ada: &Api, smtp: &Smtp, port: u16) -> i64 {
    let r = ada.get("/api/v1/me/export").await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.body["status"], "preparing");
    // Asking again while it waits prepares nothing more.
    assert_eq!(ada.get("/api/v1/me/export").await.status, 202);
    let list = ada.get("/api/v1/me/exports").await;
    assert_eq!(list.body.as_array().unwrap().len(), 1, "{}", list.text);
    assert_eq!(list.body[0]["state"], "preparing");
    assert!(list.body[0]["download"].is_null());
    let id = list.body[0]["id"].as_i64().unwrap();
    let page = app.signed_in("ada@example.org").await;
    let asked = page
        .get(app.url("/settings/account/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 303);
    let back = asked.headers()["location"].to_str().unwrap().to_string();
    assert!(back.contains("notice=export-preparing"), "{back}");
    let listed = page.get(app.url(&back)).send().await.unwrap();
    assert!(listed.text().await.unwrap().contains("being prepared"));

    work(app, port).await;
    let list = ada.get("/api/v1/me/exports").await;
    assert_eq!(list.body[0]["state"], "ready", "{}", list.text);
    let download = list.body[0]["download"].as_str().unwrap().to_string();
    assert_eq!(download, format!("/api/v1/me/exports/{id}"));
    let file = ada.get(&download).await;
    assert_eq!(file.status, 200);
    assert_eq!(file.body["account"]["email"], "ada@example.org");
    assert_eq!(file.body["writing"]["threads"].as_array().unwrap().len(), 2);
    assert_eq!(
        file.body["messages_sent"][0]["body"],
        "Ada privately lvprivate"
    );
    assert!(!file.text.contains("lvbob"), "nothing Bob wrote");
    let mails = without_welcomes(&caught(smtp));
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = mail_to(&mails, "ada");
    assert_eq!(mail["subject"], "Your copse data is ready");
    let link = format!("{MAIL_BASE}/settings/account#exports");
    assert!(
        mail["links"].as_array().unwrap().iter().any(|l| l == &link),
        "{mail}"
    );

    // The page lists it with its size and downloads it as a named file.
    let html = page
        .get(app.url("/settings/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("/settings/account/exports/{id}")),
        "{html}"
    );
    let file = page
        .get(app.url(&format!("/settings/account/exports/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(file.status(), 200);
    let disposition = file.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment; filename=\"copse-ada-"));

    id
}

#[tokio::test]
async fn an_export_whose_job_gave_up_does_not_block_the_next() {
    for (app, clock) in mail_apps_with(START, |c| c.export_at_once = 3).await {
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        ada_and_bob(&ada, &bob).await;
        // No worker runs: the export waits, as one whose job failed every attempt would.
        assert_eq!(ada.get("/api/v1/me/export").await.status, 202);
        let first = ada.get("/api/v1/me/exports").await.body[0]["id"].clone();
        clock.advance(GIVEN_UP_AFTER + 1);
        assert_eq!(ada.get("/api/v1/me/export").await.status, 202);
        let list = ada.get("/api/v1/me/exports").await;
        assert_eq!(list.body.as_array().unwrap().len(), 1, "{}", list.text);
        assert_eq!(list.body[0]["state"], "preparing");
        assert_ne!(list.body[0]["id"], first, "a new export was asked for");
        app.finish().await;
    }
}
