//! The storage contract for messages imported from a mailing list archive: threads and replies
//! at their own dates, found again by Message-ID and by subject, a full thread refusing more,
//! and each Message-ID once per community.

use copse_core::domain::*;
use copse_store::testing::{TestDb, community, person};
use copse_store::{ArchivedPost, MAX_REPLIES_PER_THREAD};

fn post<'a>(id: &'a str, author: AccountId, at: i64) -> ArchivedPost<'a> {
    ArchivedPost {
        message_id: id,
        subject: "hand rub",
        author,
        body: "From the list.",
        at,
    }
}

#[tokio::test]
async fn imported_messages_become_threads_and_replies_once() {
    for (db, _) in TestDb::each_backend_with_clock(1_780_000_000_000)
        .await
        .unwrap()
    {
        let s = &db.store;
        let ana = person(s, "ana").await;
        let c = community(s, &ana).await;
        let mut w = s.write().await.unwrap();
        let root = w
            .import_thread(
                c.id,
                Space::Members,
                "Hand rub",
                &post("m1@list", ana.id, 1_000),
            )
            .await
            .unwrap();
        // Replies out of order: the thread's activity is the latest, not the last written.
        let late = w
            .import_reply(c.id, root, &post("m3@list", ana.id, 3_000))
            .await
            .unwrap();
        let early = w
            .import_reply(c.id, root, &post("m2@list", ana.id, 2_000))
            .await
            .unwrap();
        assert!(late.is_some() && early.is_some());
        assert_eq!(
            w.imported_thread(c.id, "m2@list").await.unwrap(),
            Some(root)
        );
        assert_eq!(w.imported_thread(c.id, "m9@list").await.unwrap(), None);
        assert_eq!(
            w.imported_thread_by_subject(c.id, "hand rub")
                .await
                .unwrap(),
            Some(root)
        );
        assert_eq!(
            w.imported_thread_by_subject(c.id, "other").await.unwrap(),
            None
        );
        assert!(
            w.import_reply(c.id, root, &post("m2@list", ana.id, 2_000))
                .await
                .is_err(),
            "a Message-ID once per community"
        );
        w.roll_back().await;

        written_at_their_dates(s, &c, ana.id).await;
        a_full_thread_takes_no_more(s, &c, ana.id).await;
        db.finish().await;
    }
}

async fn a_full_thread_takes_no_more(s: &copse_store::Store, c: &Community, ana: AccountId) {
    let mut w = s.write().await.unwrap();
    let root = w
        .import_thread(c.id, Space::Members, "Deep", &post("deep0", ana, 1))
        .await
        .unwrap();
    let ids: Vec<String> = (1..=MAX_REPLIES_PER_THREAD)
        .map(|i| format!("deep{i}"))
        .collect();
    for id in &ids {
        assert!(
            w.import_reply(c.id, root, &post(id, ana, 2))
                .await
                .unwrap()
                .is_some()
        );
    }
    let over = w
        .import_reply(c.id, root, &post("one-too-many", ana, 3))
        .await
        .unwrap();
    assert_eq!(over, None, "the caller goes on in a new thread");
    assert_eq!(
        w.imported_thread(c.id, "one-too-many").await.unwrap(),
        None,
        "nothing recorded"
    );
    w.commit().await.unwrap();
}

async fn written_at_their_dates(s: &copse_store::Store, c: &Community, ana: AccountId) {
    let mut w = s.write().await.unwrap();
    let root = w
        .import_thread(
            c.id,
            Space::Members,
            "Hand rub",
            &post("m1@list", ana, 1_000),
        )
        .await
        .unwrap();
    w.import_reply(c.id, root, &post("m3@list", ana, 3_000))
        .await
        .unwrap();
    w.import_reply(c.id, root, &post("m2@list", ana, 2_000))
        .await
        .unwrap();
    w.commit().await.unwrap();
    let thread = s.thread(root).await.unwrap().unwrap();
    assert_eq!(
        (
            thread.created_at,
            thread.last_activity_at,
            thread.reply_count
        ),
        (1_000, 3_000, 2)
    );
    assert_eq!(thread.space, Space::Members);
    let replies = s.replies(root, Some(ana)).await.unwrap();
    // Each at its own date (a thread lists replies in the order they were imported, which
    // `copse import mbox` makes the order of their dates).
    let mut dates: Vec<i64> = replies.iter().map(|r| r.created_at).collect();
    dates.sort_unstable();
    assert_eq!(dates, [2_000, 3_000]);
}
