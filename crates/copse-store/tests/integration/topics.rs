//! The storage contract for topics, notifications, the library, unanswered questions and
//! experts.

use crate::practice::*;
use copse_core::Error;
use copse_core::domain::*;
use copse_core::policy::{Actor, thread_filter};
use copse_store::Store;
use copse_store::testing::person;

#[tokio::test]
async fn topics_rename_merge_redirect_and_follow() {
    for (db, _) in backends().await {
        let s = &db.store;
        let ada = person(s, "ada").await;
        let c = community(s, "gis", Visibility::Public, ada.id).await;
        let qgis = s.create_topic(c.id, "qgis", "QGIS", None).await.unwrap();
        let desktop = s
            .create_topic(c.id, "desktop", "Desktop GIS", None)
            .await
            .unwrap();
        let t1 = s
            .create_thread(
                c.id,
                ada.id,
                &thread(
                    ThreadKind::Question,
                    Space::Public,
                    "Styling in QGIS",
                    &["qgis"],
                ),
            )
            .await
            .unwrap();
        let t2 = s
            .create_thread(
                c.id,
                ada.id,
                &thread(
                    ThreadKind::Question,
                    Space::Public,
                    "Both topics",
                    &["qgis", "desktop"],
                ),
            )
            .await
            .unwrap();
        s.set_topic_follow(c.id, qgis.id, ada.id, true)
            .await
            .unwrap();
        s.set_topic_follow(c.id, qgis.id, ada.id, true)
            .await
            .unwrap();
        assert_eq!(
            s.followed_topics(c.id, ada.id).await.unwrap(),
            vec![qgis.id]
        );

        renamed_and_merged_topics_redirect(s, &c, &qgis, &desktop, t1, t2, &ada).await;
        db.finish().await;
    }
}

/// A renamed topic answers at its old address too; merged into another, its threads move along
/// and both old addresses lead to the one that stays.
async fn renamed_and_merged_topics_redirect(
    s: &Store,
    c: &Community,
    qgis: &Topic,
    desktop: &Topic,
    t1: i64,
    t2: i64,
    ada: &Account,
) {
    s.rename_topic(c.id, qgis, "QGIS desktop", "qgis-desktop")
        .await
        .unwrap();
    let (found, redirected) = s.topic_by_slug(c.id, "qgis").await.unwrap().unwrap();
    assert_eq!((found.slug.as_str(), redirected), ("qgis-desktop", true));
    assert!(matches!(
        s.rename_topic(c.id, desktop, "D", "qgis-desktop").await,
        Err(Error::Conflict { .. })
    ));

    let renamed = s
        .topic_by_slug(c.id, "qgis-desktop")
        .await
        .unwrap()
        .unwrap()
        .0;
    s.merge_topics(c.id, &renamed, desktop).await.unwrap();
    for old in ["qgis", "qgis-desktop"] {
        let (t, redirected) = s.topic_by_slug(c.id, old).await.unwrap().unwrap();
        assert_eq!((t.id, redirected), (desktop.id, true), "{old}");
    }
    let all = copse_core::policy::ThreadFilter::All;
    let in_desktop = s
        .list_threads(
            c.id,
            all,
            &ThreadQuery {
                topic: Some("desktop".into()),
                ..Default::default()
            },
            50,
            None,
        )
        .await
        .unwrap();
    let mut ids: Vec<i64> = in_desktop.items.iter().map(|t| t.id).collect();
    ids.sort();
    assert_eq!(ids, vec![t1, t2], "threads moved with the merge");
    assert_eq!(
        s.followed_topics(c.id, ada.id).await.unwrap(),
        vec![desktop.id],
        "followers moved too"
    );
    assert!(matches!(
        s.merge_topics(c.id, desktop, desktop).await,
        Err(Error::Invalid { .. })
    ));
}

#[tokio::test]
async fn notifications_disappear_when_no_longer_readable() {
    use copse_store::NewNotification;
    for (db, _) in backends().await {
        let s = &db.store;
        let ada = person(s, "ada").await;
        let bob = person(s, "bob").await;
        let c = community(s, "ipc", Visibility::Public, ada.id).await;
        s.join(c.id, bob.id).await.unwrap();
        let public = s
            .create_thread(
                c.id,
                ada.id,
                &thread(ThreadKind::Discussion, Space::Public, "Open", &[]),
            )
            .await
            .unwrap();
        let secret = s
            .create_thread(
                c.id,
                ada.id,
                &thread(ThreadKind::Discussion, Space::Members, "Members", &[]),
            )
            .await
            .unwrap();
        let note = |thread| {
            NewNotification::thread(
                bob.id,
                c.id,
                NotificationKind::Mention,
                thread,
                None,
                ada.id,
            )
        };
        s.notify(&[note(public), note(secret)]).await.unwrap();
        assert_eq!(s.unread_notifications(bob.id).await.unwrap(), 2);
        let page = s.notifications(bob.id, 1, None).await.unwrap();
        assert_eq!(page.items[0].thread_id, Some(secret), "newest first");
        let next = s
            .notifications(bob.id, 1, page.next.as_ref())
            .await
            .unwrap();
        assert_eq!(
            (next.items[0].thread_id, next.next.is_none()),
            (Some(public), true)
        );

        // Bob leaves: the members-only notification is no longer his to see.
        s.leave(c.id, bob.id).await.unwrap();
        assert_eq!(s.unread_notifications(bob.id).await.unwrap(), 1);
        assert_eq!(
            s.notifications(bob.id, 50, None).await.unwrap().items.len(),
            1
        );
        s.mark_notifications_read(bob.id, None).await.unwrap();
        assert_eq!(s.unread_notifications(bob.id).await.unwrap(), 0);
        assert!(s.notifications(bob.id, 50, None).await.unwrap().items[0].read);
        s.delete_thread(public).await.unwrap();
        assert!(
            s.notifications(bob.id, 50, None)
                .await
                .unwrap()
                .items
                .is_empty()
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn library_unanswered_and_experts_respect_the_reader() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let owner = person(s, "owner").await;
        let ada = person(s, "ada").await;
        let c = community(s, "ipc", Visibility::Public, owner.id).await;
        s.join(c.id, ada.id).await.unwrap();
        s.create_topic(c.id, "audits", "Audits", None)
            .await
            .unwrap();
        let mut open_q = Vec::new();
        for (i, space) in [Space::Public, Space::Members, Space::Public]
            .iter()
            .enumerate()
        {
            clock.advance(1000);
            let id = s
                .create_thread(
                    c.id,
                    owner.id,
                    &thread(
                        ThreadKind::Question,
                        *space,
                        &format!("Question {i}"),
                        &["audits"],
                    ),
                )
                .await
                .unwrap();
            open_q.push(id);
        }
        let t = s.thread(open_q[1]).await.unwrap().unwrap();
        let r = s
            .create_reply(&t, ada.id, "Secret answer", None)
            .await
            .unwrap();
        s.accept(&t, Some(r)).await.unwrap();
        s.set_helpful(&t, r, owner.id, true).await.unwrap();
        let res = s
            .create_thread(
                c.id,
                owner.id,
                &thread(ThreadKind::Resource, Space::Public, "WHO guide", &[]),
            )
            .await
            .unwrap();

        each_reader_sees_their_share(&ada, s, &c, &open_q, res).await;
        db.finish().await;
    }
}

async fn each_reader_sees_their_share(
    ada: &Account,
    s: &Store,
    c: &Community,
    open_q: &[i64],
    res: i64,
) {
    let anon = thread_filter(&Actor::Anonymous);
    let member = thread_filter(&Actor::Account {
        id: ada.id,
        is_admin: false,
        must_verify: false,
    });
    let oldest: Vec<i64> = s
        .unanswered_questions(c.id, anon, 10)
        .await
        .unwrap()
        .iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(
        oldest,
        vec![open_q[0], open_q[2]],
        "oldest first, answered and hidden ones left out"
    );

    assert!(
        s.topic_experts(c.id, anon).await.unwrap().is_empty(),
        "members-only answers do not count for outsiders"
    );
    let experts = s.topic_experts(c.id, member).await.unwrap();
    assert_eq!(experts.len(), 1);
    assert_eq!(
        (
            experts[0].handle.as_str(),
            experts[0].accepted,
            experts[0].helpful
        ),
        ("ada", 1, 1)
    );

    let library = s
        .list_threads(
            c.id,
            anon,
            &ThreadQuery {
                library: true,
                ..Default::default()
            },
            50,
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        library.items.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![res],
        "resources are on the shelf"
    );
    let declared = s.declared_expertise(c.id).await.unwrap();
    assert!(declared.is_empty());
}
