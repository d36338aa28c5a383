//! The storage contract: one story per area, run on SQLite and — when `COPSE_TEST_DATABASE_URL`
//! is set — on PostgreSQL, each in a fresh database.

use copse_core::Error;
use copse_core::clock::FixedClock;
use copse_core::domain::*;
use copse_core::page::Cursor;
use copse_core::policy::{self, Actor, CommunityAction, CommunityFacts, community_filter};
use copse_store::testing::TestDb;
use copse_store::{DirectoryQuery, Invitee, Store, ThrottleRule};

const T0: i64 = 1_780_000_000_000;

async fn backends() -> Vec<(TestDb, FixedClock)> {
    TestDb::each_backend_with_clock(T0).await.unwrap()
}

async fn account(store: &Store, handle: &str, org: &str, country: &str) -> Account {
    store
        .create_account(&NewAccount {
            handle: Handle::parse(handle).unwrap(),
            email: Email::parse(&format!("{handle}@example.org")).unwrap(),
            password_hash: "hash".into(),
            profile: Profile {
                display_name: handle.to_uppercase(),
                organisation: Some(org.into()),
                country: Some(country.into()),
                expertise: vec!["Audits".into(), "Sepsis".into()],
                ..Profile::default()
            },
            is_admin: false,
        })
        .await
        .unwrap()
}

fn community(slug: &str, visibility: Visibility, listed: bool, join: JoinPolicy) -> NewCommunity {
    NewCommunity {
        slug: Slug::parse(slug).unwrap(),
        name: format!("Community {slug}"),
        domain_statement: format!("We share practice about {slug}."),
        visibility,
        listed,
        join_policy: join,
        join_questions: vec!["Where do you work?".into()],
        stage: Stage::Coalescing,
    }
}

#[tokio::test]
async fn accounts_profiles_and_passwords() {
    for (db, _) in backends().await {
        let s = &db.store;
        let ada = account(s, "ada", "St Mary's", "UK").await;
        assert_eq!(ada.profile.expertise, vec!["Audits", "Sepsis"]);
        assert_eq!(
            s.account_by_handle("ADA").await.unwrap().unwrap().id,
            ada.id
        );
        assert_eq!(
            s.account_by_email("Ada@Example.org")
                .await
                .unwrap()
                .unwrap()
                .id,
            ada.id
        );
        let (found, hash) = s.credentials("ada@example.org").await.unwrap().unwrap();
        assert_eq!((found.id, hash.as_str()), (ada.id, "hash"));

        let dup = s
            .create_account(&NewAccount {
                handle: Handle::parse("ada").unwrap(),
                email: Email::parse("other@example.org").unwrap(),
                password_hash: "h".into(),
                profile: Profile {
                    display_name: "X".into(),
                    ..Profile::default()
                },
                is_admin: false,
            })
            .await
            .unwrap_err();
        assert!(
            matches!(dup, Error::Conflict { field: Some(ref f), .. } if f == "handle"),
            "{dup:?}"
        );
        let dup_mail = s
            .create_account(&NewAccount {
                handle: Handle::parse("ada2").unwrap(),
                email: Email::parse("ADA@example.org").unwrap(),
                password_hash: "h".into(),
                profile: Profile {
                    display_name: "X".into(),
                    ..Profile::default()
                },
                is_admin: false,
            })
            .await
            .unwrap_err();
        assert!(matches!(dup_mail, Error::Conflict { field: Some(ref f), .. } if f == "email"));
        assert_eq!(
            s.count_accounts().await.unwrap(),
            1,
            "no half-written account"
        );

        let mut profile = ada.profile.clone();
        profile.expertise = vec!["Hand hygiene".into()];
        profile.bio = Some("Infection prevention nurse".into());
        let updated = s.update_profile(ada.id, &profile).await.unwrap();
        assert_eq!(updated.profile, profile);

        s.create_session("sess-hash", ada.id, 1000).await.unwrap();
        assert_eq!(
            s.session("sess-hash").await.unwrap().unwrap().account.id,
            ada.id
        );
        s.set_password(ada.id, "new-hash").await.unwrap();
        assert_eq!(s.password_hash(ada.id).await.unwrap(), "new-hash");
        assert!(
            s.session("sess-hash").await.unwrap().is_none(),
            "password change ends sessions"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn sessions_expire_and_suspension_locks_out() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let ada = account(s, "ada", "A", "UK").await;
        s.create_session("s1", ada.id, 60_000).await.unwrap();
        assert!(s.session("s1").await.unwrap().is_some());
        clock.advance(60_001);
        assert!(s.session("s1").await.unwrap().is_none(), "expired");
        assert_eq!(s.purge_expired_sessions().await.unwrap(), 1);

        s.create_session("s2", ada.id, 60_000).await.unwrap();
        let token = s.create_api_token(ada.id, "cli", "tok-hash").await.unwrap();
        assert_eq!(
            s.api_token_account("tok-hash").await.unwrap().unwrap().id,
            ada.id
        );
        assert!(
            s.api_tokens(ada.id).await.unwrap()[0]
                .last_used_at
                .is_some()
        );
        s.set_suspended(ada.id, true).await.unwrap();
        assert!(s.session("s2").await.unwrap().is_none());
        assert!(s.api_token_account("tok-hash").await.unwrap().is_none());
        s.set_suspended(ada.id, false).await.unwrap();
        assert!(s.api_token_account("tok-hash").await.unwrap().is_some());

        let bob = account(s, "bob", "B", "FR").await;
        assert_eq!(
            s.revoke_api_token(bob.id, token.id).await.unwrap_err(),
            Error::NotFound
        );
        s.revoke_api_token(ada.id, token.id).await.unwrap();
        assert!(s.api_token_account("tok-hash").await.unwrap().is_none());
        assert!(s.api_tokens(ada.id).await.unwrap().is_empty());
        db.finish().await;
    }
}

#[tokio::test]
async fn throttle_counts_failures_in_a_window() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let rule = ThrottleRule {
            max_failures: 3,
            window_ms: 10_000,
        };
        for _ in 0..2 {
            s.record_hit("acct:ada", rule).await.unwrap();
        }
        assert_eq!(s.throttled_for("acct:ada", rule).await.unwrap(), None);
        s.record_hit("acct:ada", rule).await.unwrap();
        assert_eq!(
            s.throttled_for("acct:ada", rule).await.unwrap(),
            Some(10_000)
        );
        clock.advance(10_000);
        assert_eq!(
            s.throttled_for("acct:ada", rule).await.unwrap(),
            None,
            "window passed"
        );
        s.record_hit("acct:ada", rule).await.unwrap();
        assert_eq!(
            s.throttled_for("acct:ada", rule).await.unwrap(),
            None,
            "new window starts at 1"
        );
        s.record_hit("acct:ada", rule).await.unwrap();
        s.record_hit("acct:ada", rule).await.unwrap();
        assert!(s.throttled_for("acct:ada", rule).await.unwrap().is_some());
        s.clear_hits("acct:ada").await.unwrap();
        assert_eq!(s.throttled_for("acct:ada", rule).await.unwrap(), None);
        db.finish().await;
    }
}

#[tokio::test]
async fn communities_keep_domain_and_stage_history() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let ada = account(s, "ada", "A", "UK").await;
        let c = s
            .create_community(
                &community("ipc-nurses", Visibility::Public, true, JoinPolicy::Open),
                ada.id,
            )
            .await
            .unwrap();
        assert_eq!(c.join_questions, vec!["Where do you work?"]);
        let taken = s
            .create_community(
                &community("ipc-nurses", Visibility::Public, true, JoinPolicy::Open),
                ada.id,
            )
            .await
            .unwrap_err();
        assert!(matches!(taken, Error::Conflict { field: Some(ref f), .. } if f == "slug"));
        assert_eq!(
            s.standing(c.id, Some(ada.id)).await.unwrap().role,
            Some(Role::Coordinator)
        );

        clock.advance(1000);
        let changed = s
            .update_community(
                c.id,
                &CommunityChange {
                    domain_statement: Some("Sepsis and infection control.".into()),
                    reason: Some("Sepsis joined our scope".into()),
                    stage: Some(Stage::Maturing),
                    ..CommunityChange::default()
                },
                ada.id,
            )
            .await
            .unwrap();
        assert_eq!(changed.domain_statement, "Sepsis and infection control.");
        assert_eq!(changed.name, c.name, "untouched fields stay");
        let revisions = s.domain_revisions(c.id).await.unwrap();
        assert_eq!(revisions.len(), 2);
        assert_eq!(
            revisions[0].reason.as_deref(),
            Some("Sepsis joined our scope")
        );
        assert_eq!(revisions[1].body, "We share practice about ipc-nurses.");
        let stages = s.stage_changes(c.id).await.unwrap();
        assert_eq!(
            (stages[0].from, stages[0].to),
            (Some(Stage::Coalescing), Stage::Maturing)
        );
        // Changing only the name adds no revision.
        s.update_community(
            c.id,
            &CommunityChange {
                name: Some("IPC".into()),
                ..Default::default()
            },
            ada.id,
        )
        .await
        .unwrap();
        assert_eq!(s.domain_revisions(c.id).await.unwrap().len(), 2);
        db.finish().await;
    }
}

#[tokio::test]
async fn membership_join_follow_leave_roles_and_reach() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let ada = account(s, "ada", "St Mary's", "UK").await;
        let bob = account(s, "bob", "Charité", "DE").await;
        let cy = account(s, "cy", "st mary's ", "uk").await;
        let c = s
            .create_community(
                &community("gis", Visibility::Public, true, JoinPolicy::Open),
                ada.id,
            )
            .await
            .unwrap();
        clock.advance(10);
        s.follow(c.id, bob.id).await.unwrap();
        assert!(matches!(
            s.follow(c.id, bob.id).await,
            Err(Error::Conflict { .. })
        ));
        assert_eq!(
            s.standing(c.id, Some(bob.id)).await.unwrap().role,
            Some(Role::Observer)
        );
        clock.advance(10);
        s.join(c.id, bob.id).await.unwrap();
        assert_eq!(
            s.standing(c.id, Some(bob.id)).await.unwrap().role,
            Some(Role::Member)
        );
        assert!(matches!(
            s.join(c.id, bob.id).await,
            Err(Error::Conflict { .. })
        ));
        clock.advance(10);
        s.join(c.id, cy.id).await.unwrap();

        let reach = s.reach(c.id).await.unwrap();
        assert_eq!(
            (reach.members, reach.organisations, reach.countries),
            (3, 2, 2)
        );

        // The last coordinator can neither leave nor be demoted.
        assert!(matches!(
            s.leave(c.id, ada.id).await,
            Err(Error::Conflict { .. })
        ));
        assert!(matches!(
            s.set_role(c.id, ada.id, Role::Member, ada.id).await,
            Err(Error::Conflict { .. })
        ));
        s.set_role(c.id, bob.id, Role::Coordinator, ada.id)
            .await
            .unwrap();
        s.set_role(c.id, ada.id, Role::Leader, bob.id)
            .await
            .unwrap();
        let core = s.core_group(c.id).await.unwrap();
        assert_eq!(
            core.iter()
                .map(|m| (m.handle.as_str(), m.role))
                .collect::<Vec<_>>(),
            vec![("bob", Role::Coordinator), ("ada", Role::Leader)]
        );

        // Keyset pages: 2 then 1, in order of joining.
        let first = s.members(c.id, false, 2, None).await.unwrap();
        assert_eq!(
            first
                .items
                .iter()
                .map(|m| m.handle.as_str())
                .collect::<Vec<_>>(),
            vec!["ada", "bob"]
        );
        let next = first.next.clone().unwrap();
        let second = s.members(c.id, false, 2, Some(&next)).await.unwrap();
        assert_eq!(
            second
                .items
                .iter()
                .map(|m| m.handle.as_str())
                .collect::<Vec<_>>(),
            vec!["cy"]
        );
        assert!(second.next.is_none());
        assert!(
            s.members(c.id, false, 2, Some(&Cursor::new("x", 1)))
                .await
                .is_err()
        );

        s.remove_member(c.id, cy.id, bob.id).await.unwrap();
        assert_eq!(s.standing(c.id, Some(cy.id)).await.unwrap().role, None);
        assert!(matches!(
            s.leave(c.id, cy.id).await,
            Err(Error::Conflict { .. })
        ));
        s.leave(c.id, ada.id).await.unwrap();
        assert_eq!(s.reach(c.id).await.unwrap().members, 1);
        let mine = s.memberships_of(bob.id).await.unwrap();
        assert_eq!(
            mine,
            vec![("gis".to_string(), c.name.clone(), Role::Coordinator)]
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn join_requests_are_approved_or_declined_once() {
    for (db, _) in backends().await {
        let s = &db.store;
        let ada = account(s, "ada", "A", "UK").await;
        let bob = account(s, "bob", "B", "DE").await;
        let cy = account(s, "cy", "C", "FR").await;
        let c = s
            .create_community(
                &community("de", Visibility::Private, true, JoinPolicy::Approval),
                ada.id,
            )
            .await
            .unwrap();
        let answers = vec![JoinAnswer {
            question: "Where do you work?".into(),
            answer: "Data platform".into(),
        }];
        let r = s.request_to_join(c.id, bob.id, &answers).await.unwrap();
        assert_eq!(r.answers, answers);
        assert!(matches!(
            s.request_to_join(c.id, bob.id, &answers).await,
            Err(Error::Conflict { .. })
        ));
        assert_eq!(
            s.pending_request_of(c.id, bob.id)
                .await
                .unwrap()
                .unwrap()
                .id,
            r.id
        );
        let r2 = s.request_to_join(c.id, cy.id, &answers).await.unwrap();
        assert_eq!(s.pending_requests(c.id).await.unwrap().len(), 2);

        s.decide_request(c.id, r.id, true, ada.id).await.unwrap();
        assert_eq!(
            s.standing(c.id, Some(bob.id)).await.unwrap().role,
            Some(Role::Member)
        );
        assert_eq!(
            s.decide_request(c.id, r.id, false, ada.id)
                .await
                .unwrap_err(),
            Error::NotFound
        );
        s.decide_request(c.id, r2.id, false, ada.id).await.unwrap();
        assert_eq!(s.standing(c.id, Some(cy.id)).await.unwrap().role, None);
        assert!(s.pending_requests(c.id).await.unwrap().is_empty());

        // A declined person may ask again, and withdraw.
        s.request_to_join(c.id, cy.id, &answers).await.unwrap();
        s.withdraw_request(c.id, cy.id).await.unwrap();
        assert!(matches!(
            s.withdraw_request(c.id, cy.id).await,
            Err(Error::Conflict { .. })
        ));
        db.finish().await;
    }
}

#[tokio::test]
async fn invitations_by_handle_and_email() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let ada = account(s, "ada", "A", "UK").await;
        let bob = account(s, "bob", "B", "DE").await;
        let cy = account(s, "cy", "C", "FR").await;
        let c = s
            .create_community(
                &community("osgeo", Visibility::Private, false, JoinPolicy::Invitation),
                ada.id,
            )
            .await
            .unwrap();
        let inv = s
            .invite(
                c.id,
                &Invitee::Account(bob.id),
                Role::Leader,
                "t-bob",
                ada.id,
            )
            .await
            .unwrap();
        assert_eq!(inv.invitee_label, "@bob");
        assert!(s.standing(c.id, Some(bob.id)).await.unwrap().invited);
        assert!(matches!(
            s.invite(
                c.id,
                &Invitee::Account(bob.id),
                Role::Member,
                "t-bob2",
                ada.id
            )
            .await,
            Err(Error::Conflict { .. })
        ));
        assert_eq!(
            s.invitations_for(bob.id, "bob@example.org")
                .await
                .unwrap()
                .len(),
            1
        );
        // Someone else holding the link of an invitation addressed to bob gets nothing.
        let found = s.invitation_by_token("t-bob").await.unwrap().unwrap();
        assert_eq!(
            s.answer_invitation(&found, cy.id, true).await.unwrap_err(),
            Error::NotFound
        );
        s.answer_invitation(&found, bob.id, true).await.unwrap();
        assert_eq!(
            s.standing(c.id, Some(bob.id)).await.unwrap().role,
            Some(Role::Leader)
        );
        assert!(
            s.invitation_by_token("t-bob").await.unwrap().is_none(),
            "used once"
        );

        let by_mail = s
            .invite(
                c.id,
                &Invitee::Email("cy@example.org".into()),
                Role::Member,
                "t-cy",
                ada.id,
            )
            .await
            .unwrap();
        assert_eq!(
            s.invitations_for(cy.id, "cy@example.org").await.unwrap()[0].id,
            by_mail.id
        );
        assert_eq!(s.community_invitations(c.id).await.unwrap().len(), 1);
        s.revoke_invitation(c.id, by_mail.id).await.unwrap();
        assert!(s.invitation_by_token("t-cy").await.unwrap().is_none());

        let late = s
            .invite(
                c.id,
                &Invitee::Email("dee@example.org".into()),
                Role::Member,
                "t-dee",
                ada.id,
            )
            .await
            .unwrap();
        clock.advance(INVITATION_LIFETIME_MS + 1);
        assert!(
            s.invitation_by_token("t-dee").await.unwrap().is_none(),
            "expired"
        );
        assert_eq!(late.role, Role::Member);
        db.finish().await;
    }
}

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
            })
            .await
            .unwrap();
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
                            .create_community(
                                &community(&slug, *visibility, listed, *join),
                                owner.id,
                            )
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
        let actors = [
            Actor::Anonymous,
            Actor::Account {
                id: ada.id,
                is_admin: false,
            },
            Actor::Account {
                id: admin.id,
                is_admin: true,
            },
        ];
        let mut checked = 0;
        for actor in actors {
            let mut listed = Vec::new();
            let mut after = None;
            loop {
                let page = s
                    .list_communities(
                        community_filter(&actor),
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
            for c in &all {
                let standing = s.standing(c.id, actor.account_id()).await.unwrap();
                let allowed = policy::decide(
                    &actor,
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
        db.finish().await;
    }
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
