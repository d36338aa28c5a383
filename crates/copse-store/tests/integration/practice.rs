//! The storage contract for practice: topics, threads, replies, edits, answers, helpful marks —
//! on SQLite and, when configured, PostgreSQL. This file: one thread's life, and the helpers
//! the other practice files share.

use copse_core::Error;
use copse_core::clock::FixedClock;
use copse_core::domain::*;
use copse_store::Store;
use copse_store::testing::{TestDb, person};

pub(crate) async fn backends() -> Vec<(TestDb, FixedClock)> {
    TestDb::each_backend_with_clock(1_780_000_000_000)
        .await
        .unwrap()
}

pub(crate) async fn community(
    s: &Store,
    slug: &str,
    visibility: Visibility,
    owner: AccountId,
) -> Community {
    s.create_community(
        &NewCommunity {
            slug: Slug::parse(slug).unwrap(),
            name: format!("C {slug}"),
            domain_statement: "d".into(),
            visibility,
            listed: true,
            join_policy: JoinPolicy::Open,
            join_questions: vec![],
            stage: Stage::Potential,
        },
        owner,
    )
    .await
    .unwrap()
}

pub(crate) fn thread(kind: ThreadKind, space: Space, title: &str, topics: &[&str]) -> NewThread {
    NewThread {
        kind,
        space,
        circle_id: None,
        title: title.into(),
        body: format!("Body of {title}"),
        link: None,
        topics: topics.iter().map(|s| s.to_string()).collect(),
    }
}

#[tokio::test]
pub(crate) async fn threads_replies_answers_and_history() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let ada = person(s, "ada").await;
        let bob = person(s, "bob").await;
        let c = community(s, "ipc", Visibility::Public, ada.id).await;
        topics_are_unique_and_threads_name_known_ones(s, &c, &ada).await;

        let q = s
            .create_thread(
                c.id,
                ada.id,
                &thread(
                    ThreadKind::Question,
                    Space::Public,
                    "How do you audit?",
                    &["hand-hygiene"],
                ),
            )
            .await
            .unwrap();
        let t = s.thread(q).await.unwrap().unwrap();
        assert_eq!(
            t.topics,
            vec![TopicRef {
                slug: "hand-hygiene".into(),
                name: "Hand hygiene".into()
            }]
        );
        clock.advance(1000);
        let r1 = s
            .create_reply(&t, bob.id, "We use a checklist.", None)
            .await
            .unwrap();
        let r2 = s
            .create_reply(&t, ada.id, "Which one?", Some(r1))
            .await
            .unwrap();
        let other = s
            .create_thread(
                c.id,
                ada.id,
                &thread(ThreadKind::Discussion, Space::Public, "Other thread", &[]),
            )
            .await
            .unwrap();
        let other = s.thread(other).await.unwrap().unwrap();
        assert!(
            matches!(
                s.create_reply(&other, bob.id, "x", Some(r1)).await,
                Err(Error::Invalid { .. })
            ),
            "quotes stay in their thread"
        );

        let (t, replies) =
            helpful_marks_quotes_and_the_accepted_answer(s, q, r1, &ada, &other).await;

        edits_keep_history(s, &t, &replies, &bob, q, r1, &ada).await;

        deleting_the_accepted_reply_takes_its_text(s, &t, r1, q, r2).await;

        s.delete_thread(q).await.unwrap();
        assert!(s.thread(q).await.unwrap().is_none());
        db.finish().await;
    }
}

/// A topic's address is taken once, and a thread can only carry topics that exist.
pub(crate) async fn topics_are_unique_and_threads_name_known_ones(
    s: &Store,
    c: &Community,
    ada: &Account,
) {
    s.create_topic(
        c.id,
        "hand-hygiene",
        "Hand hygiene",
        Some("Audits and habits"),
    )
    .await
    .unwrap();
    assert!(matches!(
        s.create_topic(c.id, "hand-hygiene", "Again", None).await,
        Err(Error::Conflict { .. })
    ));
    let unknown = s
        .create_thread(
            c.id,
            ada.id,
            &thread(ThreadKind::Question, Space::Public, "How?", &["nope"]),
        )
        .await
        .unwrap_err();
    assert!(matches!(unknown, Error::Invalid { ref field, .. } if field == "topics"));
}

/// Marking helpful counts once per person, quotes keep their source, and only a reply of the
/// thread can be its accepted answer.
pub(crate) async fn helpful_marks_quotes_and_the_accepted_answer(
    s: &Store,
    q: i64,
    r1: i64,
    ada: &Account,
    other: &Thread,
) -> (Thread, Vec<Reply>) {
    let t = s.thread(q).await.unwrap().unwrap();
    assert_eq!((t.reply_count, t.last_activity_at), (2, 1_780_000_001_000));
    s.set_helpful(&t, r1, ada.id, true).await.unwrap();
    s.set_helpful(&t, r1, ada.id, true).await.unwrap();
    let replies = s.replies(q, Some(ada.id)).await.unwrap();
    assert_eq!(
        (replies[0].helpful, replies[0].marked_by_viewer),
        (1, true),
        "marking twice counts once"
    );
    assert_eq!(replies[1].quoted.as_ref().unwrap().author_handle, "bob");
    assert_eq!(
        replies[1].quoted.as_ref().unwrap().body,
        "We use a checklist."
    );

    s.accept(&t, Some(r1)).await.unwrap();
    assert_eq!(
        s.thread(q).await.unwrap().unwrap().accepted_reply_id,
        Some(r1)
    );
    assert!(matches!(
        s.accept(&t, Some(other.id + 1000)).await,
        Err(Error::Invalid { .. })
    ));
    (t, replies)
}

/// Edits keep the earlier versions of a reply and of a thread's title.
pub(crate) async fn edits_keep_history(
    s: &Store,
    t: &Thread,
    replies: &[Reply],
    bob: &Account,
    q: i64,
    r1: i64,
    ada: &Account,
) {
    s.edit_reply(t, &replies[0], bob.id, "We use the WHO checklist.")
        .await
        .unwrap();
    let history = s.edits(q, Some(r1)).await.unwrap();
    assert_eq!(history[0].body, "We use a checklist.");
    s.edit_thread(
        t,
        ada.id,
        "How do you audit hand hygiene?",
        &t.body,
        None,
        Some(&[]),
    )
    .await
    .unwrap();
    let edited = s.thread(q).await.unwrap().unwrap();
    assert!(edited.edited_at.is_some() && edited.topics.is_empty());
    assert_eq!(
        s.edits(q, None).await.unwrap()[0].title.as_deref(),
        Some("How do you audit?")
    );
}

/// Deleting the accepted reply: placeholder stays, text, history and answer go.
pub(crate) async fn deleting_the_accepted_reply_takes_its_text(
    s: &Store,
    t: &Thread,
    r1: i64,
    q: i64,
    r2: i64,
) {
    s.delete_reply(t, r1).await.unwrap();
    let after = s.replies(q, None).await.unwrap();
    assert!(after[0].deleted && after[0].body.is_empty());
    assert_eq!(
        after[1].quoted.as_ref().unwrap().body,
        "",
        "a quote of deleted text shows nothing"
    );
    assert!(s.edits(q, Some(r1)).await.unwrap().is_empty());
    let t = s.thread(q).await.unwrap().unwrap();
    assert_eq!((t.accepted_reply_id, t.reply_count), (None, 1));
    assert!(matches!(
        s.delete_reply(&t, r1).await,
        Err(Error::Conflict { .. })
    ));
    assert_eq!(r2, after[1].id);
}
