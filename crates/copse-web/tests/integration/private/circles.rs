//! Circles: invite, admit, post, plan and hide.

use super::*;

#[tokio::test]
async fn circles_invite_admit_post_and_hide() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let obs = app.api().person("obs").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        obs.post_empty("/api/v1/communities/ipc/follow").await;

        // Observers and outsiders cannot start circles; members can.
        let body = json!({"name": "Mentoring circle", "purpose": "New link nurses meet experienced ones."});
        assert_eq!(
            obs.post("/api/v1/communities/ipc/circles", body.clone())
                .await
                .status,
            403
        );
        let listed = ada.post("/api/v1/communities/ipc/circles", body).await;
        assert_eq!(listed.status, 201, "{}", listed.text);
        let listed_id = listed.body["id"].as_i64().unwrap();
        // Its one member is counted as one ("1 member", not "1 members").
        let page = app
            .signed_in("ada@example.org")
            .await
            .get(app.url(&format!("/circles/{listed_id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("· 1 member<"), "{page}");
        let hidden = ada
            .post(
                "/api/v1/communities/ipc/circles",
                json!({"name": "Audit working group", "purpose": "Rewrite the audit form.", "listed": false, "ends": "2031-12-31"}),
            )
            .await;
        let hidden_id = hidden.body["id"].as_i64().unwrap();
        for bad in [
            json!({"name": "x", "purpose": "Fine purpose"}),
            json!({"name": "Fine name", "purpose": "Fine purpose", "ends": "2001-01-01"}),
            json!({"name": "Fine name", "purpose": "Fine purpose", "ends": "someday"}),
        ] {
            assert_eq!(
                ada.post("/api/v1/communities/ipc/circles", bad)
                    .await
                    .status,
                422
            );
        }

        bob_sees_listed_circles_and_asks_to_join(&bob, &obs, hidden_id, listed_id, &ada).await;
        posts_and_events_are_for_members(&bob, listed_id, &coord, hidden_id).await;
        invitations_and_hosts(&ada, hidden_id, &coord, &bob).await;
        events_from_the_circle_page(&app, listed_id).await;
        a_thread_moved_in_leaves_public_view(&coord, &app, listed_id, &ada).await;
        app.finish().await;
    }
}

/// Bob sees the listed circle, not the hidden one (guessing its id looks like nothing), asks
/// to join the listed one, and sees its name but not what is inside until admitted.
async fn bob_sees_listed_circles_and_asks_to_join(
    bob: &Api,
    obs: &Api,
    hidden_id: i64,
    listed_id: i64,
    ada: &Api,
) {
    assert_eq!(
        circle_names(&bob.get("/api/v1/communities/ipc/circles").await),
        ["Mentoring circle"]
    );
    assert!(circle_names(&obs.get("/api/v1/communities/ipc/circles").await).is_empty());
    let missing = bob.get("/api/v1/circles/999999").await;
    let guessed = bob.get(&format!("/api/v1/circles/{hidden_id}")).await;
    assert_eq!((guessed.status, &guessed.text), (404, &missing.text));
    let r = bob
        .post(&format!("/api/v1/circles/{hidden_id}/requests"), json!({}))
        .await;
    assert_eq!((r.status, &r.text), (404, &missing.text));

    // Bob asks to join the listed one; he sees its name but not what is inside until admitted.
    let seen = bob.get(&format!("/api/v1/circles/{listed_id}")).await;
    assert_eq!(seen.status, 200);
    assert!(seen.body["members"].as_array().unwrap().is_empty());
    assert_eq!(
        bob.post(
            &format!("/api/v1/circles/{listed_id}/requests"),
            json!({"message": "I am new"})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        bob.post(&format!("/api/v1/circles/{listed_id}/requests"), json!({}))
            .await
            .status,
        409
    );
    assert_eq!(
        bob.post(
            &format!("/api/v1/circles/{listed_id}/requests/bob"),
            json!({"accept": true})
        )
        .await
        .status,
        403
    );
    let detail = ada.get(&format!("/api/v1/circles/{listed_id}")).await;
    assert_eq!(detail.body["requests"][0]["message"], "I am new");
    assert_eq!(
        ada.post(
            &format!("/api/v1/circles/{listed_id}/requests/bob"),
            json!({"accept": true})
        )
        .await
        .status,
        204
    );
}

/// Posting in the circle is for its members, and the thread is invisible to others; a circle
/// member plans a circle event.
async fn posts_and_events_are_for_members(bob: &Api, listed_id: i64, coord: &Api, hidden_id: i64) {
    let t = bob
        .post("/api/v1/communities/ipc/threads", json!({"title": "My first audit", "body": "How do I start?", "space": "circle", "circle": listed_id}))
        .await;
    assert_eq!(t.status, 201, "{}", t.text);
    let tid = t.body["id"].as_i64().unwrap();
    assert_eq!(
        coord.get(&format!("/api/v1/threads/{tid}")).await.status,
        404,
        "coordinators are not in every circle"
    );
    assert_eq!(bob.get(&format!("/api/v1/threads/{tid}")).await.status, 200);
    let r = coord
        .post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Sneaky", "body": "x", "space": "circle", "circle": hidden_id}),
        )
        .await;
    assert_eq!(r.status, 404);
    let r = coord
        .post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "No circle", "body": "x", "space": "circle"}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["field"].as_str()),
        (422, Some("circle"))
    );
    // A circle event, planned by a circle member.
    let e = bob
        .post(
            "/api/v1/communities/ipc/events",
            json!({"title": "Circle coffee", "time_zone": "UTC", "start": "2030-01-07T10:00",
               "end": "2030-01-07T11:00", "space": "circle", "circle": listed_id}),
        )
        .await;
    assert_eq!(e.status, 201, "{}", e.text);
    assert_eq!(
        coord
            .get(&format!("/api/v1/events/{}", e.body["id"]))
            .await
            .status,
        404
    );
}

/// Invitations: hosts invite members; the invited accept; the last host cannot leave.
async fn invitations_and_hosts(ada: &Api, hidden_id: i64, coord: &Api, bob: &Api) {
    assert_eq!(
        ada.post(
            &format!("/api/v1/circles/{hidden_id}/invitations"),
            json!({"handle": "obs"})
        )
        .await
        .status,
        422
    );
    assert_eq!(
        ada.post(
            &format!("/api/v1/circles/{hidden_id}/invitations"),
            json!({"handle": "bob"})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        coord
            .post(
                &format!("/api/v1/circles/{hidden_id}/invitation"),
                json!({"accept": true})
            )
            .await
            .status,
        404
    );
    assert_eq!(
        bob.post(
            &format!("/api/v1/circles/{hidden_id}/invitation"),
            json!({"accept": true})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        bob.get(&format!("/api/v1/circles/{hidden_id}"))
            .await
            .status,
        200
    );
    assert_eq!(
        ada.delete(&format!("/api/v1/circles/{hidden_id}/members/ada"))
            .await
            .status,
        409
    );
    assert_eq!(
        bob.delete(&format!("/api/v1/circles/{hidden_id}/members/ada"))
            .await
            .status,
        403
    );
    assert_eq!(
        ada.delete(&format!("/api/v1/circles/{hidden_id}/members/bob"))
            .await
            .status,
        204
    );
    assert_eq!(
        bob.get(&format!("/api/v1/circles/{hidden_id}"))
            .await
            .status,
        404,
        "removal takes effect at once"
    );
}

/// Circle events can be planned from the circle's page too (members of the circle only).
async fn events_from_the_circle_page(app: &TestApp, listed_id: i64) {
    let form = [
        ("title", "Circle walk"),
        ("start", "2030-02-01T10:00"),
        ("end", "2030-02-01T11:00"),
        ("time_zone", "UTC"),
    ];
    let r = app
        .signed_in("bob@example.org")
        .await
        .post(app.url(&format!("/circles/{listed_id}/events")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/e/"));
    let r = app
        .signed_in("coord@example.org")
        .await
        .post(app.url(&format!("/circles/{listed_id}/events")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "not in the circle");
}

/// A public thread moved into the circle leaves public view at once.
async fn a_thread_moved_in_leaves_public_view(
    coord: &Api,
    app: &TestApp,
    listed_id: i64,
    ada: &Api,
) {
    let public = coord
        .post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Audit form draft", "body": "Draft attached."}),
        )
        .await;
    let pid = public.body["id"].as_i64().unwrap();
    assert_eq!(
        app.api()
            .get(&format!("/api/v1/threads/{pid}"))
            .await
            .status,
        200
    );
    let moved = coord
        .patch(
            &format!("/api/v1/threads/{pid}"),
            json!({"move_to_circle": listed_id}),
        )
        .await;
    assert_eq!(
        moved.status, 403,
        "the coordinator is not in that (listed) circle: {}",
        moved.text
    );
    assert_eq!(
        ada.put(
            &format!("/api/v1/circles/{listed_id}/members/coord"),
            json!({"role": "host"})
        )
        .await
        .status,
        422,
        "not in it"
    );
    ada.post(
        &format!("/api/v1/circles/{listed_id}/invitations"),
        json!({"handle": "coord"}),
    )
    .await;
    coord
        .post(
            &format!("/api/v1/circles/{listed_id}/invitation"),
            json!({"accept": true}),
        )
        .await;
    let moved = coord
        .patch(
            &format!("/api/v1/threads/{pid}"),
            json!({"move_to_circle": listed_id}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    assert_eq!(
        app.api()
            .get(&format!("/api/v1/threads/{pid}"))
            .await
            .status,
        404
    );
    let search = app.api().get("/api/v1/search?q=draft").await;
    assert!(!search.text.contains("Audit form draft"));
}
