//! Stories credit only what the teller sees, and add up in the report.

use super::*;

#[tokio::test]
async fn stories_credit_only_what_the_teller_sees_and_add_up_in_the_report() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("ipc", "public", true, "open").await;
        coord.community("other", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        let thread = coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Audit checklist", "body": "Here it is."}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let hidden_circle = coord
            .post(
                "/api/v1/communities/ipc/circles",
                json!({"name": "Secret group", "purpose": "Not for you.", "listed": false}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let elsewhere = coord
            .post(
                "/api/v1/communities/other/threads",
                json!({"title": "Elsewhere", "body": "x"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let id =
            credits_are_checked_against_the_teller(hidden_circle, elsewhere, &ada, thread).await;
        let anon_id =
            anonymous_endorsed_and_hidden_from_outsiders(&bob, &ada, &coord, id, &app).await;
        the_report_adds_up(&coord, thread, id).await;
        coordinators_pin_and_introduce(&ada, anon_id, &coord).await;
        the_csv_and_helped_counts(&ada, &coord, &app, thread).await;
        app.finish().await;
    }
}

/// Credits to things the teller cannot see, elsewhere or missing all read the same.
async fn credits_are_checked_against_the_teller(
    hidden_circle: i64,
    elsewhere: i64,
    ada: &Api,
    thread: i64,
) -> i64 {
    let mut messages = Vec::new();
    for credit in [
        format!("circle:{hidden_circle}"),
        format!("thread:{elsewhere}"),
        "thread:999999".to_string(),
    ] {
        let r = ada
            .post(
                "/api/v1/communities/ipc/stories",
                story_crediting(vec![credit]),
            )
            .await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("credits")),
            "{}",
            r.text
        );
        messages.push(r.body["error"]["message"].clone());
    }
    assert!(messages.windows(2).all(|w| w[0] == w[1]), "{messages:?}");
    for (bad, field) in [
        (
            json!({"happened": "x", "took": "y", "cycles": []}),
            "cycles",
        ),
        (
            json!({"happened": "x", "took": "y", "cycles": ["applied"], "effect_value": 1e12, "effect_unit": "hours"}),
            "effect_value",
        ),
        (
            json!({"happened": "x", "took": "y", "cycles": ["applied"], "effect_value": 3}),
            "effect_unit",
        ),
        (
            json!({"happened": "x".repeat(5001), "took": "y", "cycles": ["applied"]}),
            "happened",
        ),
        (
            json!({"happened": "x", "took": "y", "cycles": ["applied"], "credits": ["page:1"]}),
            "credits",
        ),
    ] {
        let r = ada.post("/api/v1/communities/ipc/stories", bad).await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some(field)),
            "{}",
            r.text
        );
    }
    let told = ada
        .post(
            "/api/v1/communities/ipc/stories",
            story_crediting(vec![format!("thread:{thread}")]),
        )
        .await;
    assert_eq!(told.status, 201, "{}", told.text);
    told.body["id"].as_i64().unwrap()
}

/// An anonymous story hides its teller from the community, not from coordinators;
/// endorsements count once and never your own; outsiders see nothing.
async fn anonymous_endorsed_and_hidden_from_outsiders(
    bob: &Api,
    ada: &Api,
    coord: &Api,
    id: i64,
    app: &TestApp,
) -> i64 {
    let anon = bob
        .post(
            "/api/v1/communities/ipc/stories",
            json!({"happened": "A meetup.", "took": "Contacts at two hospitals.",
               "cycles": ["potential"], "anonymous": true}),
        )
        .await;
    let anon_id = anon.body["id"].as_i64().unwrap();
    assert_eq!(
        ada.get(&format!("/api/v1/stories/{anon_id}")).await.body["teller"],
        serde_json::Value::Null
    );
    assert_eq!(
        coord.get(&format!("/api/v1/stories/{anon_id}")).await.body["teller"]["handle"],
        "bob"
    );
    assert_eq!(
        bob.get(&format!("/api/v1/stories/{anon_id}")).await.body["teller"]["handle"],
        "bob"
    );
    // Endorsements count once; not your own.
    assert_eq!(
        ada.put(&format!("/api/v1/stories/{id}/endorsement"), json!({}))
            .await
            .status,
        403
    );
    for _ in 0..2 {
        let r = bob
            .put(&format!("/api/v1/stories/{id}/endorsement"), json!({}))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    assert_eq!(
        ada.get(&format!("/api/v1/stories/{id}")).await.body["endorsements"],
        1
    );
    // Outsiders see nothing.
    let stranger = app.api().person("stranger").await;
    assert_eq!(
        stranger.get(&format!("/api/v1/stories/{id}")).await.status,
        404
    );
    assert_eq!(
        stranger
            .get("/api/v1/communities/ipc/value-report")
            .await
            .status,
        403
    );
    anon_id
}

/// The report: cycles, effects summed by unit, what was credited, strongest first.
async fn the_report_adds_up(coord: &Api, thread: i64, id: i64) {
    let report = coord.get("/api/v1/communities/ipc/value-report").await;
    assert_eq!(report.status, 200, "{}", report.text);
    assert_eq!(report.body["stories"], 2);
    let cycles: Vec<(String, i64)> = report.body["per_cycle"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["cycle"].as_str().unwrap().to_string(),
                c["stories"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        cycles.contains(&("applied".into(), 1)) && cycles.contains(&("potential".into(), 1)),
        "{cycles:?}"
    );
    assert_eq!(report.body["effects"][0]["unit"], "hours");
    assert_eq!(report.body["effects"][0]["total"], 6.0);
    assert_eq!(report.body["credited"][0]["id"], thread);
    assert_eq!(
        report.body["strongest"][0]["id"], id,
        "the endorsed one first"
    );
}

/// Coordinators pin stories and write the introduction; members may not.
async fn coordinators_pin_and_introduce(ada: &Api, anon_id: i64, coord: &Api) {
    assert_eq!(
        ada.put(
            &format!("/api/v1/stories/{anon_id}/pin"),
            json!({"pinned": true})
        )
        .await
        .status,
        403
    );
    let pinned = coord
        .put(
            &format!("/api/v1/stories/{anon_id}/pin"),
            json!({"pinned": true}),
        )
        .await;
    assert_eq!(pinned.body["pinned"], true, "{}", pinned.text);
    let intro = json!({"text": "Our **quarter** in stories."});
    assert_eq!(
        ada.put(
            "/api/v1/communities/ipc/value-report/introduction",
            intro.clone()
        )
        .await
        .status,
        403
    );
    assert_eq!(
        coord
            .put("/api/v1/communities/ipc/value-report/introduction", intro)
            .await
            .status,
        200
    );
    let too_long = coord
        .put(
            "/api/v1/communities/ipc/value-report/introduction",
            json!({"text": "x".repeat(10_001)}),
        )
        .await;
    assert_eq!(too_long.status, 422);
    let report = ada.get("/api/v1/communities/ipc/value-report").await;
    assert_eq!(report.body["introduction"], "Our **quarter** in stories.");
    assert_eq!(report.body["strongest"][0]["id"], anon_id, "pinned first");
    assert_eq!(
        report.body["strongest"][0]["teller"],
        serde_json::Value::Null,
        "still anonymous to members"
    );
    assert_eq!(report.body["per_month"].as_array().unwrap().len(), 1);
}

/// The CSV has a row per readable story, anonymous tellers blank for members; threads say how
/// many stories they helped, counting only readable ones.
async fn the_csv_and_helped_counts(ada: &Api, coord: &Api, app: &TestApp, thread: i64) {
    let csv = ada
        .get("/api/v1/communities/ipc/value-report?format=csv")
        .await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.text.lines().count(), 3, "{}", csv.text);
    assert!(!csv.text.contains("\"bob\""), "{}", csv.text);
    assert!(
        coord
            .get("/api/v1/communities/ipc/value-report?format=csv")
            .await
            .text
            .contains("\"bob\"")
    );
    assert_eq!(
        ada.get("/api/v1/communities/ipc/value-report?format=pdf")
            .await
            .status,
        422
    );

    // Threads say how many stories they helped, counting only readable ones.
    let browser = app.signed_in("coord@example.org").await;
    assert!(
        page_text(browser, app.url(&format!("/t/{thread}")))
            .await
            .contains("Helped 1 person")
    );
    let anonymous = page_text(app.browser(), app.url(&format!("/t/{thread}"))).await;
    assert!(
        !anonymous.contains("Helped"),
        "stories are for members: anonymous readers see no count"
    );
}
