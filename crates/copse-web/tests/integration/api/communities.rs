//! Communities over the API: hidden ones answer like missing ones, observers, member lists,
//! the domain statement's history and settings.

use super::*;

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

        hidden_answers_like_missing(&outsider, &app, &owner).await;

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

        the_directory_shows_what_each_may_see(&outsider, &app, &owner).await;
        app.finish().await;
    }
}

/// A hidden community answers outsiders and visitors exactly like a missing one, on every
/// path; its coordinator sees it.
async fn hidden_answers_like_missing(outsider: &Api, app: &TestApp, owner: &Api) {
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
}

/// The directory: outsiders see public and listed; the owner all three.
async fn the_directory_shows_what_each_may_see(outsider: &Api, app: &TestApp, owner: &Api) {
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
