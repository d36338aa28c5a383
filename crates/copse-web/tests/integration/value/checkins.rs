//! Check-ins open on schedule, ask the members, and become stories.

use super::*;

#[tokio::test]
async fn check_ins_open_on_schedule_ask_members_and_become_stories() {
    let start = 1_798_000_000_000; // 2026-12-23
    for (app, clock) in apps_at(start).await {
        let worker = outbox_worker(&app.state, std::env::temp_dir());
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let obs = app.api().person("obs").await;
        let stranger = app.api().person("stranger").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        obs.post_empty("/api/v1/communities/ipc/follow").await;
        let schedule = json!({"prompt": "What did you learn here this month? Did you apply anything?",
                              "cadence": "monthly", "next_at": copse_core::clock::rfc3339(start + HOUR)});
        the_schedule_is_checked(&ada, &schedule, start, &coord).await;
        let round = one_round_when_due(&worker, &ada, &clock, &coord, start).await;
        members_are_asked(&ada, round, &bob, &obs, &stranger).await;
        answers_become_stories(&obs, round, &ada, &bob, &coord).await;
        coordinators_open_rounds(&ada, &coord, &clock, &bob, round).await;
        app.finish().await;
    }
}

async fn the_schedule_is_checked(ada: &Api, schedule: &Value, start: i64, coord: &Api) {
    assert_eq!(
        ada.put("/api/v1/communities/ipc/checkin-schedule", schedule.clone())
            .await
            .status,
        403
    );
    for (bad, field) in [
        (
            json!({"prompt": "x", "cadence": "monthly", "next_at": copse_core::clock::rfc3339(start + 400 * 24 * HOUR)}),
            "next_at",
        ),
        (
            json!({"prompt": "x".repeat(501), "cadence": "monthly"}),
            "prompt",
        ),
        (
            json!({"prompt": "x", "cadence": "monthly", "next_at": "tomorrow"}),
            "next_at",
        ),
    ] {
        let r = coord
            .put("/api/v1/communities/ipc/checkin-schedule", bad)
            .await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some(field)),
            "{}",
            r.text
        );
    }
    let daily = coord
        .put(
            "/api/v1/communities/ipc/checkin-schedule",
            json!({"prompt": "x", "cadence": "daily"}),
        )
        .await;
    assert_eq!(daily.status, 422, "{}", daily.text);
    let set = coord
        .put("/api/v1/communities/ipc/checkin-schedule", schedule.clone())
        .await;
    assert_eq!(set.status, 200, "{}", set.text);
}

/// Nothing before it is due; then one round, however often the worker runs.
async fn one_round_when_due(
    worker: &Worker,
    ada: &Api,
    clock: &FixedClock,
    coord: &Api,
    start: i64,
) -> i64 {
    worker.tick().await.unwrap();
    assert_eq!(
        ada.get("/api/v1/communities/ipc/checkins").await.body["items"],
        json!([])
    );
    clock.advance(2 * HOUR);
    for _ in 0..3 {
        worker.tick().await.unwrap();
    }
    let rounds = ada.get("/api/v1/communities/ipc/checkins").await;
    assert_eq!(
        rounds.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        rounds.text
    );
    let round = rounds.body["items"][0]["checkin"]["id"].as_i64().unwrap();
    assert_eq!(rounds.body["items"][0]["open"], true);
    let next = coord.get("/api/v1/communities/ipc/checkin-schedule").await;
    assert_eq!(
        next.body["next_at"],
        copse_core::clock::rfc3339(start + HOUR + 31 * 24 * HOUR),
        "a month on"
    );
    round
}

/// Members are asked in-app; observers and strangers are not, and cannot see the round.
async fn members_are_asked(ada: &Api, round: i64, bob: &Api, obs: &Api, stranger: &Api) {
    assert_eq!(
        (
            asked(ada, round).await,
            asked(bob, round).await,
            asked(obs, round).await
        ),
        (1, 1, 0)
    );
    assert_eq!(
        obs.get(&format!("/api/v1/checkins/{round}")).await.status,
        404
    );
    assert_eq!(
        stranger
            .get(&format!("/api/v1/checkins/{round}"))
            .await
            .status,
        404
    );
    assert_eq!(
        obs.get("/api/v1/communities/ipc/checkins").await.status,
        403
    );
}

/// Answers: members only, checked; seen by the member and the coordinators.
async fn answers_become_stories(obs: &Api, round: i64, ada: &Api, bob: &Api, coord: &Api) {
    let answer = json!({"learned": "A shorter audit form.", "applied": "Used it twice on 4B."});
    assert_eq!(
        obs.put(&format!("/api/v1/checkins/{round}/answer"), answer.clone())
            .await
            .status,
        404
    );
    let empty = ada
        .put(
            &format!("/api/v1/checkins/{round}/answer"),
            json!({"learned": " "}),
        )
        .await;
    assert_eq!(
        (empty.status, empty.body["error"]["field"].as_str()),
        (422, Some("learned"))
    );
    let saved = ada
        .put(&format!("/api/v1/checkins/{round}/answer"), answer)
        .await;
    assert_eq!(saved.status, 200, "{}", saved.text);
    let listed = ada.get("/api/v1/communities/ipc/checkins").await;
    assert_eq!(
        listed.body["items"][0]["mine"]["learned"],
        "A shorter audit form."
    );
    assert!(
        bob.get("/api/v1/communities/ipc/checkins").await.body["items"][0]["mine"].is_null(),
        "only your own answer is listed"
    );
    let mine = ada.get(&format!("/api/v1/checkins/{round}")).await;
    assert_eq!(mine.body["mine"]["learned"], "A shorter audit form.");
    assert!(
        mine.body["answers"].is_null(),
        "members do not read others' answers"
    );
    assert!(bob.get(&format!("/api/v1/checkins/{round}")).await.body["mine"].is_null());
    let all = coord.get(&format!("/api/v1/checkins/{round}")).await;
    assert_eq!(all.body["answers"].as_array().unwrap().len(), 1);

    // One click: the answer becomes a story (potential + applied), once.
    assert_eq!(
        bob.post_empty(&format!("/api/v1/checkins/{round}/answer/story"))
            .await
            .status,
        422,
        "nothing to turn into a story yet"
    );
    let story = ada
        .post_empty(&format!("/api/v1/checkins/{round}/answer/story"))
        .await;
    assert_eq!(story.status, 201, "{}", story.text);
    assert_eq!(story.body["cycles"], json!(["potential", "applied"]));
    assert_eq!(story.body["took"], "A shorter audit form.");
    assert_eq!(story.body["did"], "Used it twice on 4B.");
    assert_eq!(story.body["visibility"], "community");
    assert_eq!(
        ada.post_empty(&format!("/api/v1/checkins/{round}/answer/story"))
            .await
            .status,
        409
    );
    assert_eq!(
        ada.get(&format!("/api/v1/checkins/{round}")).await.body["mine"]["story"],
        story.body["id"]
    );
    assert_eq!(
        bob.get(&format!("/api/v1/stories/{}", story.body["id"]))
            .await
            .status,
        200,
        "a community story now"
    );
}

/// Coordinators open a round at once; members may not. Closed rounds take no answers.
async fn coordinators_open_rounds(
    ada: &Api,
    coord: &Api,
    clock: &FixedClock,
    bob: &Api,
    round: i64,
) {
    assert_eq!(
        ada.post_empty("/api/v1/communities/ipc/checkins")
            .await
            .status,
        403
    );
    let now_round = coord.post_empty("/api/v1/communities/ipc/checkins").await;
    assert_eq!(now_round.status, 201, "{}", now_round.text);
    clock.advance(40 * 24 * HOUR);
    let late = bob
        .put(
            &format!("/api/v1/checkins/{round}/answer"),
            json!({"learned": "late"}),
        )
        .await;
    assert_eq!(late.status, 409, "{}", late.text);
}
