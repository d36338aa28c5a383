//! The storage contract for membership: joining, following, leaving, roles, reach, join
//! requests and invitations.

use crate::contract::*;
use copse_core::Error;
use copse_core::clock::FixedClock;
use copse_core::domain::*;
use copse_core::page::Cursor;
use copse_store::{Invitee, Store};

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

        the_last_coordinator_stays(s, &c, &ada, &bob).await;

        members_come_in_keyset_pages(s, &c).await;

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

/// The last coordinator can neither leave nor be demoted.
async fn the_last_coordinator_stays(s: &Store, c: &Community, ada: &Account, bob: &Account) {
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
}

/// Keyset pages: 2 then 1, in order of joining.
async fn members_come_in_keyset_pages(s: &Store, c: &Community) {
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
            s.invitations_for(bob.id, Some("bob@example.org"))
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

        email_invitations_are_revoked_or_expire(s, &c, &ada, &cy, &clock).await;
        db.finish().await;
    }
}

/// An invitation by e-mail is found by its address, can be revoked, and expires.
async fn email_invitations_are_revoked_or_expire(
    s: &Store,
    c: &Community,
    ada: &Account,
    cy: &Account,
    clock: &FixedClock,
) {
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
        s.invitations_for(cy.id, Some("cy@example.org"))
            .await
            .unwrap()[0]
            .id,
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
}
