//! Archiving a community and reopening it, as its coordinator and its members meet it: the
//! banner, the refusals, the stage log, the calendar and the jobs that stop. And handing a
//! community over to a new coordinator.

use copse_core::domain::checkin::{Cadence, CheckinSchedule};
use serde_json::json;

use crate::common::*;

const REASON: &str = "The audit programme ended; its checklists stay here.";

#[tokio::test]
async fn an_archived_community_reads_as_before_and_takes_nothing_until_reopened() {
    for app in apps().await {
        let api = app.api();
        let coordinator = api.person("acoord").await;
        let member = api.person("amember").await;
        coordinator
            .community("audits", "public", true, "open")
            .await;
        assert_eq!(
            member
                .post_empty("/api/v1/communities/audits/join")
                .await
                .status,
            200
        );
        let thread = member
            .thread(
                "audits",
                json!({"title": "Hand-rub audit checklist", "body": "Ours, version 3."}),
            )
            .await;
        let event = coordinator
            .post(
                "/api/v1/communities/audits/events",
                json!({"title": "Monthly audit review", "time_zone": "Europe/Berlin",
                       "start": "2027-01-05T18:00", "end": "2027-01-05T19:00", "rule": "FREQ=MONTHLY"}),
            )
            .await;
        assert_eq!(event.status, 201, "{}", event.text);

        who_may_archive(&member, &coordinator).await;
        refused_while_archived(&member, &coordinator, thread).await;
        still_readable(&app, &api, thread).await;
        calendar_cancels_what_was_to_come(&app).await;
        jobs_leave_it_alone(&app).await;

        let reopened = coordinator
            .delete("/api/v1/communities/audits/archive")
            .await;
        assert_eq!(reopened.status, 200, "{}", reopened.text);
        assert!(reopened.body["archived"].is_null());
        let again = coordinator
            .delete("/api/v1/communities/audits/archive")
            .await;
        assert_eq!(again.status, 409, "only an archived community reopens");
        member
            .thread(
                "audits",
                json!({"title": "The audit starts again", "body": "Round two."}),
            )
            .await;
        let log = api.get("/api/v1/communities/audits/stage-changes").await;
        let kinds: Vec<&str> = log.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["reopened", "archived", "stage"], "newest first");
        assert_eq!(log.body["items"][1]["note"], REASON);
        app.finish().await;
    }
}

async fn who_may_archive(member: &Api, coordinator: &Api) {
    let path = "/api/v1/communities/audits/archive";
    let by_member = member.post(path, json!({"reason": "I am done"})).await;
    assert_eq!(by_member.status, 403, "{}", by_member.text);
    let no_reason = coordinator.post(path, json!({"reason": "  "})).await;
    assert_eq!(no_reason.status, 422, "{}", no_reason.text);
    let too_long = coordinator
        .post(path, json!({"reason": "x".repeat(501)}))
        .await;
    assert_eq!(too_long.status, 422, "{}", too_long.text);
    let done = coordinator.post(path, json!({"reason": REASON})).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.body["archived"]["reason"], REASON);
    assert_eq!(done.body["archived"]["by"], "acoord");
    let twice = coordinator.post(path, json!({"reason": REASON})).await;
    assert_eq!(twice.status, 409, "{}", twice.text);
}

async fn refused_while_archived(member: &Api, coordinator: &Api, thread: i64) {
    let tries = [
        member
            .post(
                "/api/v1/communities/audits/threads",
                json!({"title": "One more", "body": "x"}),
            )
            .await,
        member
            .post(
                &format!("/api/v1/threads/{thread}/replies"),
                json!({"body": "Me too"}),
            )
            .await,
        member
            .patch(
                &format!("/api/v1/threads/{thread}"),
                json!({"body": "Changed"}),
            )
            .await,
        coordinator
            .patch("/api/v1/communities/audits", json!({"name": "Renamed"}))
            .await,
        coordinator
            .post(
                "/api/v1/communities/audits/topics",
                json!({"slug": "hands", "name": "Hands"}),
            )
            .await,
    ];
    for r in tries {
        assert_eq!(r.status, 409, "{}", r.text);
        assert!(r.text.contains("archived"), "{}", r.text);
    }
    // Leaving stays open to whoever no longer wants it in their list.
    let stranger = member.person("aleaver").await;
    assert_eq!(
        stranger
            .post_empty("/api/v1/communities/audits/join")
            .await
            .status,
        409,
        "no one joins an archived community"
    );
}

async fn still_readable(app: &TestApp, api: &Api, thread: i64) {
    let t = api.get(&format!("/api/v1/threads/{thread}")).await;
    assert_eq!(t.status, 200);
    let found = api.get("/api/v1/search?q=checklist").await;
    assert!(
        found.text.contains("Hand-rub audit checklist"),
        "{}",
        found.text
    );
    let page = app
        .browser()
        .get(app.url("/c/audits"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("This community is archived"), "{html}");
    assert!(
        html.contains("its checklists stay here"),
        "the reason is on the page"
    );
    assert!(
        !html.contains("Reopen the community"),
        "only coordinators are offered that"
    );
    let member = app.signed_in("amember@example.org").await;
    let form = member
        .get(app.url("/c/audits/archive"))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 403, "the archive form is the coordinators'");
}

async fn calendar_cancels_what_was_to_come(app: &TestApp) {
    let ics = app
        .browser()
        .get(app.url("/c/audits/calendar.ics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let cancelled = ics.matches("STATUS:CANCELLED").count();
    assert!(
        cancelled >= 10,
        "the coming year of monthly meetings called off: {ics}"
    );
    assert!(ics.contains("UNTIL="), "the series ends: {ics}");
    assert!(
        ics.contains("the community was archived"),
        "and says why: {ics}"
    );
}

async fn jobs_leave_it_alone(app: &TestApp) {
    let store = &app.db.store;
    let audits = store.community_by_slug("audits").await.unwrap().unwrap();
    let owner = store.account_by_handle("acoord").await.unwrap().unwrap();
    let due = store.now() - 1000;
    let schedule = CheckinSchedule {
        prompt: "What did you try this month?".into(),
        cadence: Cadence::parse("monthly").unwrap(),
        next_at: Some(due),
    };
    store
        .set_checkin_schedule(audits.id, &schedule, owner.id)
        .await
        .unwrap();
    let waiting = store.due_checkins(store.now()).await.unwrap();
    assert!(
        !waiting.iter().any(|(c, _)| *c == audits.id),
        "no check-in is asked of an archived community"
    );
    let levels = store.community_ids().await.unwrap();
    assert!(
        !levels.contains(&audits.id),
        "nor are its levels recomputed"
    );
}

#[tokio::test]
async fn a_coordinator_hands_the_community_over_and_steps_down() {
    for app in apps().await {
        let api = app.api();
        let founder = api.person("hfounder").await;
        let successor = api.person("hsuccessor").await;
        founder.community("handover", "public", true, "open").await;
        let joined = successor
            .post_empty("/api/v1/communities/handover/join")
            .await;
        assert_eq!(joined.status, 200, "{}", joined.text);
        let role = |r: &str| json!({"role": r});
        let path = |who: &str| format!("/api/v1/communities/handover/members/{who}");
        let alone = founder.put(&path("hfounder"), role("member")).await;
        assert_eq!(
            alone.status, 409,
            "the only coordinator stays: {}",
            alone.text
        );
        let named = founder.put(&path("hsuccessor"), role("coordinator")).await;
        assert_eq!(named.status, 204, "{}", named.text);
        let stepped = founder.put(&path("hfounder"), role("member")).await;
        assert_eq!(stepped.status, 204, "{}", stepped.text);
        let edit = |who: &Api| {
            let who = who.clone();
            async move {
                who.patch(
                    "/api/v1/communities/handover",
                    json!({"name": "Handed over"}),
                )
                .await
                .status
            }
        };
        assert_eq!(edit(&founder).await, 403, "the founder runs it no more");
        assert_eq!(edit(&successor).await, 200, "the successor does");
        let last = successor.put(&path("hsuccessor"), role("member")).await;
        assert_eq!(last.status, 409, "{}", last.text);
        app.finish().await;
    }
}
