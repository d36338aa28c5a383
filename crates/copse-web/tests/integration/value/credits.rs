//! Stories with topics, comments and edits, and the people they credit.

use super::*;

#[tokio::test]
async fn stories_have_topics_comments_edits_and_credit_people() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let cat = app.api().person("cat").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob, &cat] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        coord
            .post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "audits", "name": "Audits"}),
            )
            .await;
        let thread = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Audit checklist", "body": "Here it is."}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let other_thread = bob
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Night shift tips", "body": "Sensor mats."}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let event = coord
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Audit clinic", "time_zone": "Europe/Berlin", "start": "2027-03-10T18:00",
                       "end": "2027-03-10T19:00", "hosts": ["bob"]}),
            )
            .await;
        assert_eq!(event.status, 201, "{}", event.text);
        let event = event.body["id"].as_i64().unwrap();
        let id = unknown_topics_are_refused_and_a_story_is_told(&cat, thread, event).await;

        let (anon, private) =
            the_credited_are_told(&ada, id, &bob, &coord, &cat, thread, event).await;
        let stranger =
            profiles_and_the_report_count_credits(&bob, id, anon, &coord, private, &app).await;
        let comment = comments_are_checked(&bob, id, &cat, &stranger).await;
        comments_are_for_readers(&bob, private, &ada, comment, id, &coord).await;
        edits_are_checked_again(thread, event, other_thread, &ada, id, &bob, &cat).await;
        deleting(&bob, id, &coord, &cat, anon, &ada).await;
        app.finish().await;
    }
}

/// A story on an unknown topic is refused; cat tells one crediting ada's thread and the event.
/// Returns its id.
async fn unknown_topics_are_refused_and_a_story_is_told(cat: &Api, thread: i64, event: i64) -> i64 {
    let unknown = cat
        .post(
            "/api/v1/communities/ipc/stories",
            story_with(thread, event, json!({"topics": ["no-such-topic"]})),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.body["error"]["field"].as_str()),
        (422, Some("topics"))
    );
    let told = cat
        .post(
            "/api/v1/communities/ipc/stories",
            story_with(thread, event, json!({})),
        )
        .await;
    assert_eq!(told.status, 201, "{}", told.text);
    assert_eq!(told.body["topics"], json!(["audits"]));
    told.body["id"].as_i64().unwrap()
}

/// The people credited are told: the thread's author and the event's hosts, not the teller.
async fn the_credited_are_told(
    ada: &Api,
    id: i64,
    bob: &Api,
    coord: &Api,
    cat: &Api,
    thread: i64,
    event: i64,
) -> (i64, i64) {
    assert_eq!(
        story_notes(ada).await,
        [("credited".to_string(), id, "cat".to_string())]
    );
    assert_eq!(story_notes(bob).await.len(), 1);
    assert_eq!(
        story_notes(coord).await.len(),
        1,
        "the event's creator hosts it too"
    );
    assert!(story_notes(cat).await.is_empty());
    // An anonymous story does not name its teller in the notification, except to coordinators.
    let anon = cat
        .post(
            "/api/v1/communities/ipc/stories",
            story_with(thread, event, json!({"anonymous": true})),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let ada_notes = story_notes(ada).await;
    assert_eq!(ada_notes[0], ("credited".to_string(), anon, String::new()));
    let coord_notes = story_notes(coord).await;
    assert_eq!(
        coord_notes[0],
        ("credited".to_string(), anon, "cat".to_string())
    );
    // A story for the coordinators only: ada is credited but cannot read it, so she is not told.
    let private = cat
        .post(
            "/api/v1/communities/ipc/stories",
            story_with(thread, event, json!({"visibility": "coordinators"})),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    assert!(
        !story_notes(ada).await.iter().any(|n| n.1 == private),
        "no notification about a story she may not read"
    );
    assert!(story_notes(coord).await.iter().any(|n| n.1 == private));

    (anon, private)
}

/// Profiles show the credit, through the same rules.
async fn profiles_and_the_report_count_credits(
    bob: &Api,
    id: i64,
    anon: i64,
    coord: &Api,
    private: i64,
    app: &TestApp,
) -> Api {
    assert_eq!(credited_to_ada(bob).await, [id, anon]);
    assert_eq!(credited_to_ada(coord).await, [id, anon, private]);
    let stranger = app.api().person("stranger").await;
    assert!(credited_to_ada(&stranger).await.is_empty());
    assert_eq!(
        app.api()
            .anonymous()
            .get("/api/v1/users/ada/credits")
            .await
            .status,
        401
    );
    let page = app
        .signed_in("bob@example.org")
        .await
        .get(app.url("/u/ada"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Credited in value stories") && page.contains("2 stories say"),
        "{page}"
    );

    // The report counts topics and the people whose work the stories credit.
    let report = bob.get("/api/v1/communities/ipc/value-report").await;
    assert_eq!(report.body["per_topic"][0]["topic"], "audits");
    assert_eq!(
        report.body["per_topic"][0]["stories"], 2,
        "the private one is not bob's to count"
    );
    let titles: Vec<&str> = report.body["credited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(titles.contains(&"Audit checklist") && titles.contains(&"Audit clinic"));
    let people: Vec<&str> = report.body["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["person"]["handle"].as_str().unwrap())
        .collect();
    assert!(
        people.contains(&"ada") && people.contains(&"bob"),
        "{people:?}"
    );
    assert!(!people.contains(&"cat"), "tellers are not credited people");
    // The printed report counts in words that agree with the number.
    let printed = app
        .signed_in("bob@example.org")
        .await
        .get(app.url("/c/ipc/value-report"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        printed.contains("· 2 stories · 0 endorsements<"),
        "{printed}"
    );

    stranger
}

/// Comments: readers of the story comment; the teller is told; bad input is named.
async fn comments_are_checked(bob: &Api, id: i64, cat: &Api, stranger: &Api) -> i64 {
    let c = bob
        .post(
            &format!("/api/v1/stories/{id}/comments"),
            json!({"body": "We are trying this **too**."}),
        )
        .await;
    assert_eq!(c.status, 201, "{}", c.text);
    let comment = c.body["id"].as_i64().unwrap();
    assert!(
        story_notes(cat)
            .await
            .contains(&("story_comment".into(), id, "bob".into()))
    );
    for bad in [json!({"body": " "}), json!({"body": "x".repeat(5001)})] {
        let r = bob
            .post(&format!("/api/v1/stories/{id}/comments"), bad)
            .await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("body"))
        );
    }
    assert_eq!(
        stranger
            .get(&format!("/api/v1/stories/{id}/comments"))
            .await
            .status,
        404
    );
    assert_eq!(
        stranger
            .post(
                &format!("/api/v1/stories/{id}/comments"),
                json!({"body": "hi"})
            )
            .await
            .status,
        404
    );
    comment
}

async fn comments_are_for_readers(
    bob: &Api,
    private: i64,
    ada: &Api,
    comment: i64,
    id: i64,
    coord: &Api,
) {
    assert_eq!(
        bob.post(
            &format!("/api/v1/stories/{private}/comments"),
            json!({"body": "hi"})
        )
        .await
        .status,
        404,
        "a story you may not read takes no comments"
    );
    assert_eq!(
        ada.delete(&format!("/api/v1/story-comments/{comment}"))
            .await
            .status,
        403
    );
    assert_eq!(
        ada.get(&format!("/api/v1/stories/{id}")).await.body["comments"],
        1
    );
    assert_eq!(
        coord
            .delete(&format!("/api/v1/story-comments/{comment}"))
            .await
            .status,
        204
    );
    assert_eq!(
        ada.get(&format!("/api/v1/stories/{id}/comments"))
            .await
            .body["items"],
        json!([])
    );
}

/// Edits: the teller only; everything is checked again; newly credited people are told.
async fn edits_are_checked_again(
    thread: i64,
    event: i64,
    other_thread: i64,
    ada: &Api,
    id: i64,
    bob: &Api,
    cat: &Api,
) {
    let mut changed = story_with(thread, event, json!({"took": "A much shorter checklist."}));
    changed["credits"]
        .as_array_mut()
        .unwrap()
        .push(json!(format!("thread:{other_thread}")));
    assert_eq!(
        ada.put(&format!("/api/v1/stories/{id}"), changed.clone())
            .await
            .status,
        403
    );
    let bob_before = story_notes(bob).await.len();
    let edited = cat.put(&format!("/api/v1/stories/{id}"), changed).await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!(edited.body["took"], "A much shorter checklist.");
    assert!(edited.body["updated_at"].is_string());
    assert_eq!(edited.body["credits"].as_array().unwrap().len(), 3);
    assert_eq!(
        story_notes(bob).await.len(),
        bob_before,
        "bob hosts the event already credited: told once per story"
    );
    let bad_edit = cat
        .put(
            &format!("/api/v1/stories/{id}"),
            story_with(thread, event, json!({"credits": ["thread:999999"]})),
        )
        .await;
    assert_eq!(bad_edit.status, 422);
    assert_eq!(
        cat.get(&format!("/api/v1/stories/{id}")).await.body["took"],
        "A much shorter checklist.",
        "a refused edit changes nothing"
    );
}

/// Deleting: not other members; the teller or a coordinator.
async fn deleting(bob: &Api, id: i64, coord: &Api, cat: &Api, anon: i64, ada: &Api) {
    assert_eq!(
        bob.delete(&format!("/api/v1/stories/{id}")).await.status,
        403
    );
    assert_eq!(
        coord.delete(&format!("/api/v1/stories/{id}")).await.status,
        204
    );
    assert_eq!(cat.get(&format!("/api/v1/stories/{id}")).await.status, 404);
    assert_eq!(
        cat.delete(&format!("/api/v1/stories/{anon}")).await.status,
        204
    );
    assert!(
        !story_notes(ada)
            .await
            .iter()
            .any(|n| n.1 == id || n.1 == anon),
        "notifications about deleted stories go with them"
    );
}
