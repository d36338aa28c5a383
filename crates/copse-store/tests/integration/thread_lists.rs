//! The storage contract for thread lists: each reader's list agrees with the policy; filters
//! and pages.

use crate::practice::*;
use copse_core::clock::FixedClock;
use copse_core::domain::*;
use copse_core::policy::{self, Actor, CommunityFacts, ThreadAction, ThreadFacts, thread_filter};
use copse_store::Store;
use copse_store::testing::person;
use std::collections::HashMap;

/// How many threads of `community` a list with `query` holds (up to 50), with no reader filter.
async fn listed(s: &Store, community: CommunityId, query: ThreadQuery) -> usize {
    s.list_threads(community, policy::ThreadFilter::All, &query, 50, None)
        .await
        .unwrap()
        .items
        .len()
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
        let (circles, created) =
            threads_in_every_space(&public, &private, s, &member, &clock, &owner).await;
        let actors = [
            Actor::Anonymous,
            Actor::Account {
                id: member.id,
                is_admin: false,
                must_verify: false,
            },
            Actor::Account {
                id: observer.id,
                is_admin: false,
                must_verify: false,
            },
            Actor::Account {
                id: outsider.id,
                is_admin: false,
                must_verify: false,
            },
            Actor::Account {
                id: owner.id,
                is_admin: false,
                must_verify: false,
            },
            Actor::Account {
                id: outsider.id,
                is_admin: true,
                must_verify: false,
            },
        ];
        each_list_holds_what_the_policy_allows(
            &actors, &public, &private, s, &circles, &created, &owner,
        )
        .await;
        filters_and_pages(s, &public).await;
        db.finish().await;
    }
}

/// A circle in each community with the member in it (the owner is not), and a question and a
/// discussion in each space of each community.
async fn threads_in_every_space(
    public: &Community,
    private: &Community,
    s: &Store,
    member: &Account,
    clock: &FixedClock,
    owner: &Account,
) -> (HashMap<CommunityId, i64>, Vec<(Community, Space, i64)>) {
    let mut circles = std::collections::HashMap::new();
    for c in [public, private] {
        let id = s
            .create_circle(c.id, member.id, "Circle", "Purpose", false, None)
            .await
            .unwrap();
        circles.insert(c.id, id);
    }
    let mut created = Vec::new();
    for c in [public, private] {
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
    (circles, created)
}

/// Every actor's list of each community holds exactly the threads the policy lets them read.
async fn each_list_holds_what_the_policy_allows(
    actors: &[Actor; 6],
    public: &Community,
    private: &Community,
    s: &Store,
    circles: &HashMap<CommunityId, i64>,
    created: &[(Community, Space, i64)],
    owner: &Account,
) {
    for actor in actors {
        for c in [public, private] {
            let standing = s.standing(c.id, actor.account_id()).await.unwrap();
            let private_member = s
                .circle_role(circles[&c.id], actor.account_id())
                .await
                .unwrap()
                .is_some();
            let page = s
                .list_threads(
                    c.id,
                    thread_filter(actor),
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
                    hidden: false,
                    locked: false,
                };
                let may = policy::decide_thread(
                    actor,
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
}

/// Filters and pages.
async fn filters_and_pages(s: &Store, public: &Community) {
    let all = policy::ThreadFilter::All;
    // (filter, threads listed): the six threads of the public community, three questions, none
    // answered, all on "audits".
    for (query, expected) in [
        (ThreadQuery::default(), 6),
        (
            ThreadQuery {
                kind: Some(ThreadKind::Question),
                ..Default::default()
            },
            3,
        ),
        (
            ThreadQuery {
                answered: Some(false),
                ..Default::default()
            },
            3,
        ),
        (
            ThreadQuery {
                answered: Some(true),
                ..Default::default()
            },
            0,
        ),
        (
            ThreadQuery {
                topic: Some("audits".into()),
                ..Default::default()
            },
            6,
        ),
        (
            ThreadQuery {
                topic: Some("other".into()),
                ..Default::default()
            },
            0,
        ),
    ] {
        let shown = format!("{query:?}");
        assert_eq!(listed(s, public.id, query).await, expected, "{shown}");
    }
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
}
