//! The storage contract for practice: topics, threads, replies, edits, answers, helpful marks —
//! on SQLite and, when configured, PostgreSQL.

use copse_core::Error;
use copse_core::clock::FixedClock;
use copse_core::domain::*;
use copse_core::policy::{self, Actor, CommunityFacts, ThreadAction, ThreadFacts, thread_filter};
use copse_store::Store;
use copse_store::testing::{TestDb, person};

async fn backends() -> Vec<(TestDb, FixedClock)> {
    TestDb::each_backend_with_clock(1_780_000_000_000)
        .await
        .unwrap()
}

async fn community(s: &Store, slug: &str, visibility: Visibility, owner: i64) -> Community {
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

fn thread(kind: ThreadKind, space: Space, title: &str, topics: &[&str]) -> NewThread {
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
async fn threads_replies_answers_and_history() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let ada = person(s, "ada").await;
        let bob = person(s, "bob").await;
        let c = community(s, "ipc", Visibility::Public, ada.id).await;
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

        s.edit_reply(&t, &replies[0], bob.id, "We use the WHO checklist.")
            .await
            .unwrap();
        let history = s.edits(q, Some(r1)).await.unwrap();
        assert_eq!(history[0].body, "We use a checklist.");
        s.edit_thread(
            &t,
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

        // Deleting the accepted reply: placeholder stays, text, history and answer go.
        s.delete_reply(&t, r1).await.unwrap();
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

        s.delete_thread(q).await.unwrap();
        assert!(s.thread(q).await.unwrap().is_none());
        db.finish().await;
    }
}

#[tokio::test]
async fn thread_lists_filter_page_and_agree_with_policy() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let owner = person(s, "owner").await;
        let member = person(s, "member").await;
        let observer = person(s, "observer").await;
        let outsider = person(s, "outsider").await;
        let public = community(s, "public", Visibility::Public, owner.id).await;
        let private = community(s, "private", Visibility::Private, owner.id).await;
        for c in [&public, &private] {
            s.join(c.id, member.id).await.unwrap();
            s.create_topic(c.id, "audits", "Audits", None)
                .await
                .unwrap();
        }
        s.follow(public.id, observer.id).await.unwrap();
        // A circle in each community with the member in it (the owner is not).
        let mut circles = std::collections::HashMap::new();
        for c in [&public, &private] {
            let id = s
                .create_circle(c.id, member.id, "Circle", "Purpose", false, None)
                .await
                .unwrap();
            circles.insert(c.id, id);
        }
        let mut created = Vec::new();
        for c in [&public, &private] {
            // Threads are never in the direct space; that is for meetings of conversations.
            for space in [Space::Public, Space::Members, Space::Circle] {
                for kind in [ThreadKind::Question, ThreadKind::Discussion] {
                    clock.advance(10);
                    let mut new = thread(kind, space, &format!("{kind:?} {space:?}"), &["audits"]);
                    if space == Space::Circle {
                        new.circle_id = Some(circles[&c.id]);
                    }
                    let id = s.create_thread(c.id, owner.id, &new).await.unwrap();
                    created.push((c.clone(), space, id));
                }
            }
        }
        let actors = [
            Actor::Anonymous,
            Actor::Account {
                id: member.id,
                is_admin: false,
            },
            Actor::Account {
                id: observer.id,
                is_admin: false,
            },
            Actor::Account {
                id: outsider.id,
                is_admin: false,
            },
            Actor::Account {
                id: owner.id,
                is_admin: false,
            },
            Actor::Account {
                id: outsider.id,
                is_admin: true,
            },
        ];
        for actor in actors {
            for c in [&public, &private] {
                let standing = s.standing(c.id, actor.account_id()).await.unwrap();
                let private_member = s
                    .circle_role(circles[&c.id], actor.account_id())
                    .await
                    .unwrap()
                    .is_some();
                let page = s
                    .list_threads(
                        c.id,
                        thread_filter(&actor),
                        &ThreadQuery::default(),
                        50,
                        None,
                    )
                    .await
                    .unwrap();
                let listed: Vec<i64> = page.items.iter().map(|t| t.id).collect();
                for (tc, space, id) in created.iter().filter(|(tc, ..)| tc.id == c.id) {
                    let facts = ThreadFacts {
                        space: *space,
                        kind: ThreadKind::Discussion,
                        author: owner.id,
                        private_member: *space == Space::Circle && private_member,
                    };
                    let may = policy::decide_thread(
                        &actor,
                        &standing,
                        &CommunityFacts::from(tc),
                        &facts,
                        ThreadAction::Read,
                    )
                    .allowed();
                    assert_eq!(
                        listed.contains(id),
                        may,
                        "{actor:?} {space:?} in {}",
                        c.slug
                    );
                }
            }
        }

        // Filters and pages.
        let all = policy::ThreadFilter::All;
        let q = |query: ThreadQuery| async move {
            s.list_threads(public.id, all, &query, 50, None)
                .await
                .unwrap()
                .items
                .len()
        };
        assert_eq!(q(ThreadQuery::default()).await, 6);
        assert_eq!(
            q(ThreadQuery {
                kind: Some(ThreadKind::Question),
                ..Default::default()
            })
            .await,
            3
        );
        assert_eq!(
            q(ThreadQuery {
                answered: Some(false),
                ..Default::default()
            })
            .await,
            3
        );
        assert_eq!(
            q(ThreadQuery {
                answered: Some(true),
                ..Default::default()
            })
            .await,
            0
        );
        assert_eq!(
            q(ThreadQuery {
                topic: Some("audits".into()),
                ..Default::default()
            })
            .await,
            6
        );
        assert_eq!(
            q(ThreadQuery {
                topic: Some("other".into()),
                ..Default::default()
            })
            .await,
            0
        );
        let first = s
            .list_threads(public.id, all, &ThreadQuery::default(), 3, None)
            .await
            .unwrap();
        let second = s
            .list_threads(
                public.id,
                all,
                &ThreadQuery::default(),
                3,
                first.next.as_ref(),
            )
            .await
            .unwrap();
        assert_eq!(first.items.len() + second.items.len(), 6);
        assert!(second.next.is_none());
        assert!(
            first.items[0].last_activity_at >= first.items[2].last_activity_at,
            "most recent first"
        );
        db.finish().await;
    }
}

fn q(raw: &str) -> copse_core::search::SearchQuery {
    copse_core::search::SearchQuery::parse(raw).unwrap()
}

#[tokio::test]
async fn search_finds_current_text_that_the_reader_may_read() {
    use copse_store::SearchFilters;
    for (db, _) in backends().await {
        let s = &db.store;
        let owner = person(s, "owner").await;
        let member = person(s, "member").await;
        let outsider = person(s, "outsider").await;
        let public = community(s, "public", Visibility::Public, owner.id).await;
        let private = community(s, "private", Visibility::Private, owner.id).await;
        s.join(public.id, member.id).await.unwrap();
        let mut open = thread(
            ThreadKind::Question,
            Space::Public,
            "Hand hygiene audits on night shifts",
            &[],
        );
        open.body = "How do you audit hand hygiene when wards are quiet?".into();
        let open = s.create_thread(public.id, owner.id, &open).await.unwrap();
        let mut secret = thread(
            ThreadKind::Discussion,
            Space::Members,
            "Outbreak on ward seven",
            &[],
        );
        secret.body = "Norovirus audit results, members only".into();
        let secret = s.create_thread(public.id, owner.id, &secret).await.unwrap();
        let mut elsewhere = thread(ThreadKind::Discussion, Space::Public, "Private audit", &[]);
        elsewhere.body = "An audit in a private community".into();
        s.create_thread(private.id, owner.id, &elsewhere)
            .await
            .unwrap();
        let t = s.thread(open).await.unwrap().unwrap();
        let reply = s
            .create_reply(
                &t,
                member.id,
                "We use observation audits with the WHO form.",
                None,
            )
            .await
            .unwrap();

        let find = |actor: Actor, raw: &str| {
            let query = q(raw);
            async move {
                s.search(
                    thread_filter(&actor),
                    &query,
                    &SearchFilters::default(),
                    50,
                    0,
                )
                .await
                .unwrap()
                .into_iter()
                .map(|h| (h.thread_id, h.reply_id))
                .collect::<Vec<_>>()
            }
        };
        let anonymous = Actor::Anonymous;
        let member_actor = Actor::Account {
            id: member.id,
            is_admin: false,
        };
        let outsider_actor = Actor::Account {
            id: outsider.id,
            is_admin: false,
        };
        let owner_actor = Actor::Account {
            id: owner.id,
            is_admin: false,
        };

        // "audit" (stemmed) is in all three threads and the reply; each reader sees their share.
        let anon_hits = find(anonymous, "audits").await;
        assert!(anon_hits.contains(&(open, None)) && anon_hits.contains(&(open, Some(reply))));
        assert_eq!(anon_hits.len(), 2, "{anon_hits:?}");
        assert_eq!(find(outsider_actor, "audit").await.len(), 2);
        let member_hits = find(member_actor, "audit").await;
        assert!(member_hits.contains(&(secret, None)));
        assert_eq!(
            member_hits.len(),
            3,
            "members-only of their community, not the private one"
        );
        assert_eq!(find(owner_actor, "audit").await.len(), 4);
        assert!(
            find(anonymous, "norovirus").await.is_empty(),
            "no hint of the members-only thread"
        );

        // Phrases, exclusion, and text that looks like syntax.
        assert_eq!(
            find(owner_actor, "\"night shifts\"").await,
            vec![(open, None)]
        );
        assert!(find(owner_actor, "\"shifts night\"").await.is_empty());
        assert!(
            !find(owner_actor, "audit -norovirus")
                .await
                .contains(&(secret, None))
        );
        for raw in [
            "NEAR(audit",
            "audit*",
            "100%",
            "o'brien's audit",
            "\"unclosed audit",
        ] {
            let _ = find(owner_actor, raw).await;
        }

        // Filters.
        let filters = SearchFilters {
            kind: Some(ThreadKind::Question),
            answered: Some(false),
            author: Some(owner.id),
            ..Default::default()
        };
        let hits = s
            .search(thread_filter(&owner_actor), &q("audit"), &filters, 50, 0)
            .await
            .unwrap();
        assert_eq!(
            hits.iter().map(|h| h.thread_id).collect::<Vec<_>>(),
            vec![open]
        );
        assert!(
            hits[0].snippet.contains('\u{1}'),
            "matches are marked: {:?}",
            hits[0].snippet
        );
        let in_private = SearchFilters {
            community: Some(private.id),
            ..Default::default()
        };
        assert_eq!(
            s.search(thread_filter(&owner_actor), &q("audit"), &in_private, 50, 0)
                .await
                .unwrap()
                .len(),
            1
        );

        // Edited text is found as it is now; deleted text is not found.
        let r = s.replies(open, None).await.unwrap().remove(0);
        s.edit_reply(&t, &r, member.id, "We now use an electronic checklist.")
            .await
            .unwrap();
        assert!(find(owner_actor, "observation").await.is_empty());
        assert_eq!(
            find(owner_actor, "electronic").await,
            vec![(open, Some(reply))]
        );
        s.delete_reply(&t, reply).await.unwrap();
        assert!(find(owner_actor, "electronic").await.is_empty());
        s.delete_thread(secret).await.unwrap();
        assert!(find(owner_actor, "norovirus").await.is_empty());
        db.finish().await;
    }
}

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

        s.rename_topic(c.id, &qgis, "QGIS desktop", "qgis-desktop")
            .await
            .unwrap();
        let (found, redirected) = s.topic_by_slug(c.id, "qgis").await.unwrap().unwrap();
        assert_eq!((found.slug.as_str(), redirected), ("qgis-desktop", true));
        assert!(matches!(
            s.rename_topic(c.id, &desktop, "D", "qgis-desktop").await,
            Err(Error::Conflict { .. })
        ));

        let renamed = s
            .topic_by_slug(c.id, "qgis-desktop")
            .await
            .unwrap()
            .unwrap()
            .0;
        s.merge_topics(c.id, &renamed, &desktop).await.unwrap();
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
            s.merge_topics(c.id, &desktop, &desktop).await,
            Err(Error::Invalid { .. })
        ));
        db.finish().await;
    }
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

        let anon = thread_filter(&Actor::Anonymous);
        let member = thread_filter(&Actor::Account {
            id: ada.id,
            is_admin: false,
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
        db.finish().await;
    }
}
