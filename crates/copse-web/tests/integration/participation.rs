//! Participation through HTTP: acts recorded as they happen, levels recomputed on demand and by
//! the worker, explanations, the window moving on, thresholds, who may see what, and the export.

use crate::common::*;
use copse_core::clock::FixedClock;
use serde_json::json;

/// 2030-01-01T00:00:00Z.
const NOW: i64 = 1_893_456_000_000;
const DAY: i64 = 24 * 3600 * 1000;

#[tokio::test]
async fn replies_move_a_member_inwards_and_the_window_moves_them_out_again() {
    for (app, clock) in apps_at(NOW).await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let obs = app.api().person("obs").await;
        let stranger = app.api().person("stranger").await;
        coord.community("ipc", "public", true, "open").await;
        coord.community("guild", "private", true, "approval").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        obs.post_empty("/api/v1/communities/ipc/follow").await;
        let q = bob
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"kind": "question", "title": "Audit tips?", "body": "Any tips?"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let mut replies = Vec::new();
        for i in 0..4 {
            let r = ada
                .post(
                    &format!("/api/v1/threads/{q}/replies"),
                    json!({"body": format!("Tip {i}")}),
                )
                .await;
            replies.push(r.body["id"].as_i64().unwrap());
        }
        acts_count_once(&bob, &replies, &ada, &coord).await;
        outsiders_see_nothing(&obs, &stranger, &app).await;
        deleted_replies_and_thresholds(&ada, &replies, &coord).await;
        the_window_moves_on(&clock, &app, &ada, &coord).await;
        app.finish().await;
    }
}

/// Recording twice (the same act) counts once; a helpful mark counts for the author.
async fn acts_count_once(bob: &Api, replies: &[i64], ada: &Api, coord: &Api) {
    bob.post_empty(&format!("/api/v1/replies/{}/helpful", replies[0]))
        .await;
    bob.post_empty(&format!("/api/v1/replies/{}/helpful", replies[0]))
        .await;

    assert_eq!(
        ada.post_empty("/api/v1/communities/ipc/participation/recompute")
            .await
            .status,
        403
    );
    let r = coord
        .post_empty("/api/v1/communities/ipc/participation/recompute")
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mine = ada.get("/api/v1/communities/ipc/participation").await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    assert_eq!(mine.body["you"]["level"], "active");
    assert_eq!(
        mine.body["you"]["explanation"],
        "active: 4 replies, 1 helpful mark received in the last 90 days (9 points); core needs 30 points."
    );
    assert!(
        mine.body["members"].as_array().unwrap().is_empty(),
        "members see the aggregate and themselves"
    );
    let leads = coord.get("/api/v1/communities/ipc/participation").await;
    let names: Vec<&str> = leads.body["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["person"]["handle"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert_eq!(leads.body["distribution"]["active"], 1);
    assert_eq!(leads.body["history"].as_array().unwrap().len(), 1);
    // The recomputation keeps the weeks the weekly chart draws: this week's acts are there.
    let weeks = leads.body["weekly_activity"].as_array().unwrap();
    assert_eq!(weeks.len(), 1, "{weeks:?}");
    assert!(weeks[0]["acts"].as_i64().unwrap() >= 5, "{weeks:?}");
    assert!(weeks[0]["points"].as_i64().unwrap() >= 9, "{weeks:?}");
}

/// Outsiders see nothing: observers and strangers are refused, private ones hidden.
async fn outsiders_see_nothing(obs: &Api, stranger: &Api, app: &TestApp) {
    assert_eq!(
        obs.get("/api/v1/communities/ipc/participation")
            .await
            .status,
        403
    );
    assert_eq!(
        stranger
            .get("/api/v1/communities/ipc/participation")
            .await
            .status,
        403
    );
    assert_eq!(
        app.api()
            .get("/api/v1/communities/ipc/participation")
            .await
            .status,
        401
    );
    assert_eq!(
        stranger
            .get("/api/v1/communities/guild/participation")
            .await
            .status,
        403
    );
    let page = app
        .browser()
        .get(app.url("/c/ipc/participation"))
        .send()
        .await
        .unwrap();
    assert!(page.status().as_u16() >= 300);
}

/// A deleted reply no longer counts; thresholds are for coordinators, checked, and applied at
/// once.
async fn deleted_replies_and_thresholds(ada: &Api, replies: &[i64], coord: &Api) {
    ada.delete(&format!("/api/v1/replies/{}", replies[3])).await;
    coord
        .post_empty("/api/v1/communities/ipc/participation/recompute")
        .await;
    let mine = ada.get("/api/v1/communities/ipc/participation").await;
    assert_eq!(
        mine.body["you"]["level"], "peripheral",
        "{}",
        mine.body["you"]
    );

    // Thresholds: coordinators only, checked, and applied at once.
    let t = |w, c, a| json!({"window_days": w, "core_points": c, "active_points": a});
    assert_eq!(
        ada.put(
            "/api/v1/communities/ipc/participation/thresholds",
            t(90, 30, 6)
        )
        .await
        .status,
        403
    );
    for (bad, field) in [
        (t(3, 30, 8), "window_days"),
        (t(90, 5, 8), "core_points"),
        (t(90, 30, 0), "active_points"),
    ] {
        let r = coord
            .put("/api/v1/communities/ipc/participation/thresholds", bad)
            .await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some(field)),
            "{}",
            r.text
        );
    }
    let r = coord
        .put(
            "/api/v1/communities/ipc/participation/thresholds",
            t(30, 20, 6),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        ada.get("/api/v1/communities/ipc/participation").await.body["you"]["level"],
        "active"
    );
}

/// Thirty-one days on, the window has moved past everything: inactive, and the path is kept.
async fn the_window_moves_on(clock: &FixedClock, app: &TestApp, ada: &Api, coord: &Api) {
    clock.advance(31 * DAY);
    let worker = outbox_worker(&app.state, std::env::temp_dir());
    worker.tick().await.unwrap();
    let mine = ada.get("/api/v1/communities/ipc/participation").await;
    assert_eq!(
        mine.body["you"]["level"], "inactive",
        "the daily job recomputed: {}",
        mine.text
    );
    let path: Vec<&str> = mine.body["you"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        path,
        ["inactive", "active", "peripheral", "active"],
        "newest first"
    );
    let moves = coord
        .get("/api/v1/communities/ipc/participation")
        .await
        .body["movement"]
        .clone();
    assert!(
        moves
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["outwards"].as_i64().unwrap() >= 1),
        "{moves}"
    );
}

#[tokio::test]
async fn the_export_follows_the_access_rules() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let eve = app.api().person("eve").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &eve] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        eve.patch("/api/v1/me", json!({"display_name": "=HYPERLINK(\"x\")"}))
            .await;
        coord
            .post_empty("/api/v1/communities/ipc/participation/recompute")
            .await;
        let all = coord
            .get("/api/v1/communities/ipc/participation/export?format=csv")
            .await;
        assert_eq!(all.status, 200);
        assert_eq!(
            all.text.lines().count(),
            4,
            "a header and three members: {}",
            all.text
        );
        assert!(
            all.text.contains("\"'=HYPERLINK(\"\"x\"\")\""),
            "no formula injection: {}",
            all.text
        );
        let own = ada
            .get("/api/v1/communities/ipc/participation/export")
            .await;
        let rows = own.body["levels"].as_array().unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0]["handle"], "ada");
        assert!(
            own.body["level_changes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["handle"] == "ada")
        );
        let all = coord
            .get("/api/v1/communities/ipc/participation/export?from=2020-01-01&to=2100-01-01")
            .await;
        assert_eq!(
            (all.status, all.body["error"]["field"].as_str()),
            (422, Some("to")),
            "at most three years"
        );
        let weeks = coord
            .get("/api/v1/communities/ipc/participation/export?format=csv&table=activity&from=2026-01-01")
            .await;
        assert!(weeks.text.starts_with("week,acts,points"), "{}", weeks.text);
        for bad in ["format=csv&table=secrets", "from=someday"] {
            let r = coord
                .get(&format!(
                    "/api/v1/communities/ipc/participation/export?{bad}"
                ))
                .await;
            assert_eq!(r.status, 422, "{bad}");
        }
        assert_eq!(
            ada.get("/api/v1/communities/ipc/participation/export?format=xml")
                .await
                .status,
            422
        );
        app.finish().await;
    }
}
