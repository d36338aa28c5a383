//! The storage contract: one story per area, run on SQLite and — when `COPSE_TEST_DATABASE_URL`
//! is set — on PostgreSQL, each in a fresh database. This file: accounts, sessions, throttling
//! and communities, and the helpers the other files share.

use copse_core::Error;
use copse_core::clock::FixedClock;
use copse_core::domain::*;
use copse_store::testing::TestDb;
use copse_store::{Store, ThrottleRule};

pub(crate) const T0: i64 = 1_780_000_000_000;

pub(crate) async fn backends() -> Vec<(TestDb, FixedClock)> {
    TestDb::each_backend_with_clock(T0).await.unwrap()
}

pub(crate) async fn account(store: &Store, handle: &str, org: &str, country: &str) -> Account {
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
            email_verified: true,
        })
        .await
        .unwrap()
}

pub(crate) fn community(
    slug: &str,
    visibility: Visibility,
    listed: bool,
    join: JoinPolicy,
) -> NewCommunity {
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
pub(crate) async fn accounts_profiles_and_passwords() {
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
                email_verified: true,
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
                email_verified: true,
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
pub(crate) async fn sessions_expire_and_suspension_locks_out() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let ada = account(s, "ada", "A", "UK").await;
        s.create_session("s1", ada.id, 60_000).await.unwrap();
        assert!(s.session("s1").await.unwrap().is_some());
        clock.advance(60_001);
        assert!(s.session("s1").await.unwrap().is_none(), "expired");
        assert_eq!(s.purge_expired_sessions().await.unwrap(), 1);

        s.create_session("s2", ada.id, 60_000).await.unwrap();
        let new = copse_store::NewApiToken {
            name: "cli",
            token_hash: "tok-hash",
            scopes: copse_core::domain::Scopes::all_for(false),
            expires_at: Some(s.now() + 3_600_000),
        };
        let token = s.create_api_token(ada.id, &new).await.unwrap();
        let (found, scopes) = s.api_token_account("tok-hash").await.unwrap().unwrap();
        assert_eq!(
            (found.id, scopes.to_stored()),
            (ada.id, "read write".into())
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
        clock.advance(3_600_001);
        assert!(
            s.api_token_account("tok-hash").await.unwrap().is_none(),
            "expired"
        );
        assert!(
            s.api_tokens(ada.id).await.unwrap().is_empty(),
            "and not listed"
        );

        let bob = account(s, "bob", "B", "FR").await;
        assert_eq!(
            s.revoke_api_token(bob.id, token.id).await.unwrap_err(),
            Error::NotFound
        );
        s.revoke_api_token(ada.id, token.id).await.unwrap();
        assert!(s.api_token_account("tok-hash").await.unwrap().is_none());
        db.finish().await;
    }
}

#[tokio::test]
pub(crate) async fn throttle_counts_failures_in_a_window() {
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
pub(crate) async fn communities_keep_domain_and_stage_history() {
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
