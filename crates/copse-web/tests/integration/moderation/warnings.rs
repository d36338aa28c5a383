//! Warnings: a moderator writes to a member, who must acknowledge it (on every page, or by the
//! API) before they post in that community again; the log says a warning was written, not what.

use super::*;

#[tokio::test]
async fn a_warned_member_acknowledges_before_posting_again() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "troll"]).await;
        let (ada, troll) = (&m[0], &m[1]);
        let thread = ada
            .thread("ipc", json!({"title": "Hand hygiene audit", "body": "x"}))
            .await;
        let message =
            json!({"handle": "troll", "message": "Please keep to the subject: zzprivatewords."});
        assert_eq!(
            ada.post("/api/v1/communities/ipc/warnings", message.clone())
                .await
                .status,
            403
        );
        let warned = coord
            .post("/api/v1/communities/ipc/warnings", message)
            .await;
        assert_eq!(warned.status, 201, "{}", warned.text);
        let id = warned.body["id"].as_i64().unwrap();

        let refused = troll
            .post(
                &format!("/api/v1/threads/{thread}/replies"),
                json!({"body": "x"}),
            )
            .await;
        assert_eq!(refused.status, 403, "{}", refused.text);
        assert!(refused.text.contains("acknowledge"), "{}", refused.text);
        let mine = troll.get("/api/v1/me/warnings").await;
        assert_eq!(
            mine.body[0]["message"],
            "Please keep to the subject: zzprivatewords."
        );
        assert_eq!(
            ada.get("/api/v1/me/warnings").await.body,
            json!([]),
            "only theirs"
        );
        assert_eq!(
            ada.post_empty(&format!("/api/v1/me/warnings/{id}/acknowledge"))
                .await
                .status,
            404
        );
        let log = ada.get("/api/v1/communities/ipc/moderation/log").await;
        assert_eq!(log.body[0]["action"], "warn");
        assert!(
            !log.text.contains("zzprivatewords"),
            "the words stay private: {}",
            log.text
        );

        acknowledged_on_the_page(&app, troll, thread, id).await;
        app.finish().await;
    }
}

/// The warning stands at the top of the page until "I have read this"; then posting works.
async fn acknowledged_on_the_page(app: &TestApp, troll: &Api, thread: i64, id: i64) {
    let page = app.signed_in("troll@example.org").await;
    let html = page
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("zzprivatewords") && html.contains("I have read this"),
        "{html}"
    );
    let read = page
        .post(app.url(&format!("/warnings/{id}/acknowledge")))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 303);
    assert_eq!(troll.get("/api/v1/me/warnings").await.body, json!([]));
    let again = troll
        .post(
            &format!("/api/v1/threads/{thread}/replies"),
            json!({"body": "Sorry."}),
        )
        .await;
    assert_eq!(again.status, 201, "{}", again.text);
}

#[tokio::test]
async fn the_personal_export_holds_what_moderation_keeps_about_the_person() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "troll"]).await;
        let (ada, troll) = (&m[0], &m[1]);
        let thread = troll
            .thread("ipc", json!({"title": "Cheap watches", "body": "zzspam"}))
            .await;
        let flagged = ada
            .post(
                &format!("/api/v1/threads/{thread}/flags"),
                json!({"reason": "other", "note": "Looks like an advert zznote"}),
            )
            .await;
        assert_eq!(flagged.status, 201, "{}", flagged.text);
        let warning = json!({"handle": "troll", "message": "No adverts here zzwarning."});
        coord
            .post("/api/v1/communities/ipc/warnings", warning)
            .await;
        let silence = json!({"handle": "troll", "days": 3, "reason": "adverts zzsilence"});
        let r = coord
            .post("/api/v1/communities/ipc/silences", silence)
            .await;
        assert_eq!(r.status, 201, "{}", r.text);

        let theirs = troll.get("/api/v1/me/export").await;
        assert_eq!(theirs.status, 200, "{}", theirs.text);
        let records = &theirs.body["moderation"];
        assert_eq!(
            records["warnings"][0]["message"],
            "No adverts here zzwarning."
        );
        assert_eq!(records["silences"][0]["reason"], "adverts zzsilence");
        let deeds: Vec<&str> = records["deeds_about_me"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["action"].as_str().unwrap())
            .collect();
        assert_eq!(deeds, vec!["silence", "warn"], "{records}");
        assert!(
            !theirs.text.contains("zznote") && !theirs.text.contains("\"ada\""),
            "never who flagged them, nor what the flagger wrote: {}",
            theirs.text
        );
        let flagger = ada.get("/api/v1/me/export").await;
        let made = &flagger.body["moderation"]["flags_made"][0];
        assert_eq!(
            (made["target"].clone(), made["id"].clone()),
            (json!("thread"), json!(thread))
        );
        assert_eq!(made["note"], "Looks like an advert zznote");
        app.finish().await;
    }
}
