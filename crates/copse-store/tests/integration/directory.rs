//! The storage contract for the directory: its filter agrees with the policy, search and
//! "mine".

use crate::contract::*;
use copse_core::domain::*;
use copse_core::policy::{self, Actor, CommunityAction, CommunityFacts, community_filter};
use copse_store::{DirectoryQuery, Invitee, Store};

/// The directory's SQL filter and the policy's single-object decision agree for every kind of
/// community and every kind of actor.
#[tokio::test]
async fn directory_filter_agrees_with_policy() {
    for (db, _) in backends().await {
        let s = &db.store;
        let owner = account(s, "owner", "O", "UK").await;
        let ada = account(s, "ada", "A", "UK").await;
        let admin = s
            .create_account(&NewAccount {
                handle: Handle::parse("root").unwrap(),
                email: Email::parse("root@example.org").unwrap(),
                password_hash: "h".into(),
                profile: Profile {
                    display_name: "Root".into(),
                    ..Profile::default()
                },
                is_admin: true,
                email_verified: true,
            })
            .await
            .unwrap();
        let all = every_kind_of_community(s, &owner, &ada).await;
        let actors = [
            Actor::Anonymous,
            Actor::Account {
                id: ada.id,
                is_admin: false,
                must_verify: false,
            },
            Actor::Account {
                id: admin.id,
                is_admin: true,
                must_verify: false,
            },
        ];
        each_lists_what_the_policy_allows(&actors, s, &all).await;
        db.finish().await;
    }
}

/// A community of every shape (visibility, listing, join policy), for each of which ada is
/// an outsider, an observer, a member or invited.
async fn every_kind_of_community(s: &Store, owner: &Account, ada: &Account) -> Vec<Community> {
    let mut all = Vec::new();
    let mut n = 0;
    for visibility in Visibility::ALL {
        for listed in [false, true] {
            for join in JoinPolicy::ALL {
                // For each shape: ada is an outsider, an observer, a member or invited.
                for relation in 0..4 {
                    n += 1;
                    let slug = format!("c{n}");
                    let c = s
                        .create_community(&community(&slug, *visibility, listed, *join), owner.id)
                        .await
                        .unwrap();
                    match relation {
                        1 => s.follow(c.id, ada.id).await.unwrap(),
                        2 => s.join(c.id, ada.id).await.unwrap(),
                        3 => s
                            .invite(
                                c.id,
                                &Invitee::Account(ada.id),
                                Role::Member,
                                &format!("tok{n}"),
                                owner.id,
                            )
                            .await
                            .map(|_| ())
                            .unwrap(),
                        _ => {}
                    }
                    all.push(c);
                }
            }
        }
    }
    all
}

/// Every actor's directory, page by page, holds exactly the communities the policy lets them see.
async fn each_lists_what_the_policy_allows(actors: &[Actor; 3], s: &Store, all: &Vec<Community>) {
    let mut checked = 0;
    for actor in actors {
        let mut listed = Vec::new();
        let mut after = None;
        loop {
            let page = s
                .list_communities(
                    community_filter(actor),
                    &DirectoryQuery {
                        limit: 7,
                        after,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            listed.extend(page.items.iter().map(|e| e.community.id));
            match page.next {
                Some(c) => after = Some(c),
                None => break,
            }
        }
        for c in all {
            let standing = s.standing(c.id, actor.account_id()).await.unwrap();
            let allowed = policy::decide(
                actor,
                &standing,
                &CommunityFacts::from(c),
                CommunityAction::SeeListing,
            )
            .allowed();
            assert_eq!(
                listed.contains(&c.id),
                allowed,
                "{actor:?} {c:?} {standing:?}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 3 * all.len());
}

#[tokio::test]
async fn directory_search_and_mine() {
    for (db, _) in backends().await {
        let s = &db.store;
        let ada = account(s, "ada", "A", "UK").await;
        let bob = account(s, "bob", "B", "UK").await;
        let mut nurses = community("nurses", Visibility::Public, true, JoinPolicy::Open);
        nurses.name = "Infection Control Nurses".into();
        nurses.domain_statement = "Hand hygiene audits, 100% of wards".into();
        let c1 = s.create_community(&nurses, ada.id).await.unwrap();
        let c2 = s
            .create_community(
                &community("gis", Visibility::Public, true, JoinPolicy::Open),
                bob.id,
            )
            .await
            .unwrap();
        let filter = community_filter(&Actor::Anonymous);
        let by = |text: &str| DirectoryQuery {
            text: Some(text.into()),
            limit: 10,
            ..Default::default()
        };
        let ids = |p: copse_core::page::Page<copse_store::DirectoryEntry>| {
            p.items.iter().map(|e| e.community.id).collect::<Vec<_>>()
        };
        assert_eq!(
            ids(s.list_communities(filter, &by("CONTROL")).await.unwrap()),
            vec![c1.id]
        );
        assert_eq!(
            ids(s.list_communities(filter, &by("hygiene")).await.unwrap()),
            vec![c1.id]
        );
        assert_eq!(
            ids(s.list_communities(filter, &by("100%")).await.unwrap()),
            vec![c1.id]
        );
        assert_eq!(
            ids(s.list_communities(filter, &by("%")).await.unwrap()),
            vec![c1.id],
            "% is literal"
        );
        assert!(
            ids(s.list_communities(filter, &by("_")).await.unwrap()).is_empty(),
            "_ is literal"
        );
        let mine = DirectoryQuery {
            member_of: Some(bob.id),
            viewer: Some(bob.id),
            limit: 10,
            ..Default::default()
        };
        let bob_filter = community_filter(&Actor::Account {
            id: bob.id,
            is_admin: false,
            must_verify: false,
        });
        assert_eq!(
            ids(s.list_communities(bob_filter, &mine).await.unwrap()),
            vec![c2.id]
        );
        let entry = &s
            .list_communities(filter, &by("nurses"))
            .await
            .unwrap()
            .items[0];
        assert_eq!(entry.members, 1);
        db.finish().await;
    }
}
