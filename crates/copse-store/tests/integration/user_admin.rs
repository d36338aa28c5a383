//! The storage contract of user administration and leaving: the account list and its filters,
//! suspensions with an end, the admin count, the audit log, the one-time setup code, and the
//! scrubbing of a deleted account.

use copse_core::domain::{AccountId, Suspension};
use copse_store::{AccountKind, NewAudit};

use crate::contract::{T0, account, backends};

const DAY: i64 = 24 * 3600 * 1000;

#[tokio::test]
async fn the_account_list_filters_and_matches_text_literally() {
    for (db, _clock) in backends().await {
        let s = &db.store;
        let ada = account(s, "ada_l", "Riverside", "DE").await;
        account(s, "adam", "Riverside", "DE").await;
        account(s, "bob", "Northfield", "NL").await;
        let mut w = s.write().await.unwrap();
        w.set_admin(ada.id, true).await.unwrap();
        assert_eq!(w.admin_count().await.unwrap(), 1);
        w.commit().await.unwrap();
        let handles = |kind, q: &'static str| async move {
            let (lines, total) = s.account_lines(kind, q, 50, 0).await.unwrap();
            assert_eq!(lines.len() as i64, total);
            lines.into_iter().map(|l| l.handle).collect::<Vec<_>>()
        };
        assert_eq!(handles(AccountKind::All, "AD").await, vec!["adam", "ada_l"]);
        assert_eq!(
            handles(AccountKind::All, "a_l").await,
            vec!["ada_l"],
            "_ is literal"
        );
        assert_eq!(handles(AccountKind::All, "%").await, Vec::<String>::new());
        assert_eq!(handles(AccountKind::Admins, "").await, vec!["ada_l"]);
        assert_eq!(
            handles(AccountKind::Unverified, "").await,
            Vec::<String>::new()
        );
        let (page, total) = s.account_lines(AccountKind::All, "", 2, 2).await.unwrap();
        assert_eq!((page.len(), total), (1, 3), "the third of three, by offset");
        let counts = s.account_counts().await.unwrap();
        assert_eq!(
            (counts.accounts, counts.admins, counts.suspended),
            (3, 1, 0)
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn a_suspension_keeps_its_reason_and_ends_once_its_end_has_passed() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let bob = account(s, "bob", "Northfield", "NL").await;
        let suspension = Suspension {
            since: T0,
            reason: Some("spam".into()),
            until: Some(T0 + DAY),
        };
        let mut w = s.write().await.unwrap();
        w.set_suspension(bob.id, Some(&suspension)).await.unwrap();
        assert!(!w.end_suspension_if_ended(bob.id).await.unwrap(), "not yet");
        w.record_audit(&NewAudit {
            actor: None,
            actor_label: "command line",
            action: "suspended",
            target: bob.id,
            target_label: "@bob",
            detail: Some("spam"),
        })
        .await
        .unwrap();
        w.commit().await.unwrap();
        let bob_now = s.account(bob.id).await.unwrap().unwrap();
        assert_eq!(bob_now.suspension, Some(suspension));
        assert!(s.ended_suspensions(10).await.unwrap().is_empty());

        clock.advance(DAY);
        assert_eq!(
            s.ended_suspensions(10).await.unwrap(),
            vec![(bob.id, "bob".to_string())]
        );
        let mut w = s.write().await.unwrap();
        assert!(w.end_suspension_if_ended(bob.id).await.unwrap());
        assert!(!w.end_suspension_if_ended(bob.id).await.unwrap(), "once");
        w.commit().await.unwrap();
        assert!(!s.account(bob.id).await.unwrap().unwrap().is_suspended());
        let log = s.audit_log(Some(bob.id), 10).await.unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(
            (log[0].actor_label.as_str(), log[0].action.as_str()),
            ("command line", "suspended")
        );
        assert!(
            s.audit_log(Some(AccountId(bob.id.0 + 99)), 10)
                .await
                .unwrap()
                .is_empty()
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn a_setup_code_is_taken_once_and_only_on_an_empty_site() {
    for (db, _clock) in backends().await {
        let s = &db.store;
        s.replace_setup_code("first").await.unwrap();
        s.replace_setup_code("second").await.unwrap();
        let mut w = s.write().await.unwrap();
        assert!(!w.take_setup_code("first").await.unwrap(), "replaced");
        assert!(w.take_setup_code("second").await.unwrap());
        assert!(!w.take_setup_code("second").await.unwrap(), "used up");
        w.commit().await.unwrap();
        s.replace_setup_code("third").await.unwrap();
        account(s, "ada", "Riverside", "DE").await;
        let mut w = s.write().await.unwrap();
        assert!(
            !w.take_setup_code("third").await.unwrap(),
            "the site has an account"
        );
        w.commit().await.unwrap();
        db.finish().await;
    }
}

#[tokio::test]
async fn an_erased_account_keeps_its_row_and_nothing_personal() {
    for (db, _clock) in backends().await {
        let s = &db.store;
        let ada = account(s, "ada", "Riverside", "DE").await;
        let mut w = s.write().await.unwrap();
        let handle = w.erase_account(ada.id, false).await.unwrap();
        w.commit().await.unwrap();
        assert_eq!(handle, format!("former-member-{}", ada.id.0));
        let gone = s.account(ada.id).await.unwrap().unwrap();
        assert!(gone.deleted && !gone.email_verified && !gone.is_admin);
        assert_eq!(gone.profile.display_name, copse_store::FORMER_MEMBER);
        assert_eq!(gone.profile.organisation, None);
        assert!(gone.profile.expertise.is_empty());
        assert!(
            s.account_by_email("ada@example.org")
                .await
                .unwrap()
                .is_none()
        );
        let (lines, _) = s.account_lines(AccountKind::All, "", 50, 0).await.unwrap();
        assert!(lines.is_empty(), "a deleted account is not listed");
        assert_eq!(s.account_counts().await.unwrap().accounts, 0);
        db.finish().await;
    }
}
