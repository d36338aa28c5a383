//! A newcomer's first steps on the community page: offered to a new member only, each step
//! ticked when it is really done (the profile, the ledger), gone once all are.

use crate::common::*;
use serde_json::json;

async fn about(client: &reqwest::Client, app: &TestApp) -> String {
    let r = client.get(app.url("/c/ipc")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

/// The panel's text, if the page has one.
fn panel(page: &str) -> Option<&str> {
    let start = page.find(r#"<section class="card first-steps""#)?;
    Some(&page[start..start + page[start..].find("</section>").unwrap()])
}

#[tokio::test]
async fn a_new_member_is_shown_first_steps_until_each_is_done() {
    for app in apps().await {
        let cora = app.api().person("cora").await;
        cora.community("ipc", "public", true, "open").await;
        let question = cora
            .thread(
                "ipc",
                json!({"kind": "question", "title": "Audit forms?", "body": "Which do you use?"}),
            )
            .await;
        let event = cora
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Monthly meeting", "time_zone": "UTC",
                       "start": "2030-01-15T18:00", "end": "2030-01-15T19:00"}),
            )
            .await;
        assert_eq!(event.status, 201, "{}", event.text);
        assert!(
            panel(&about(&app.signed_in("cora@example.org").await, &app).await).is_none(),
            "not for the coordinator"
        );

        let mia = app.api().person("mia").await;
        mia.post_empty("/api/v1/communities/ipc/join").await;
        let browser = app.signed_in("mia@example.org").await;
        let first = about(&browser, &app).await;
        let steps = panel(&first).expect("a panel for the new member");
        assert!(steps.contains("0 of 4 done"), "{steps}");
        assert!(
            steps.contains(&format!(
                r#"<a href="/t/{question}">Answer a waiting question</a>"#
            )),
            "{steps}"
        );

        // Steps are done by doing them, not by clicking.
        mia.thread("ipc", json!({"kind": "discussion", "title": "Hello from ward 3", "body": "I audit hand hygiene."})).await;
        let replied = mia
            .post(
                &format!("/api/v1/threads/{question}/replies"),
                json!({"body": "The WHO form."}),
            )
            .await;
        assert_eq!(replied.status, 201, "{}", replied.text);
        let page = about(&browser, &app).await;
        let steps = panel(&page).unwrap();
        assert!(
            steps.contains("2 of 4 done")
                && steps.contains("Introduce yourself <span class=\"skip\">(done)</span>"),
            "{steps}"
        );
        mia.patch("/api/v1/me", json!({"organisation": "Northfield"}))
            .await;
        let rsvp = mia
            .post(
                &format!("/api/v1/events/{}/rsvp", event.body["id"]),
                json!({"occurrence": "2030-01-15T18:00:00Z", "status": "going"}),
            )
            .await;
        assert_eq!(rsvp.status, 200, "{}", rsvp.text);
        assert!(
            panel(&about(&browser, &app).await).is_none(),
            "all done, no panel"
        );

        // An observer is not a newcomer member.
        let otto = app.api().person("otto").await;
        otto.post_empty("/api/v1/communities/ipc/follow").await;
        assert!(panel(&about(&app.signed_in("otto@example.org").await, &app).await).is_none());
        app.finish().await;
    }
}
