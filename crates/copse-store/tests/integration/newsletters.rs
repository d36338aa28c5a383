//! The storage contract for the community newsletter on SQLite and, when configured,
//! PostgreSQL: the default cadence, a scheduled draft made once per due time, one issue
//! prepared at a time (also when two drafts race), numbering, sending started once, no edits
//! once it goes out, and who reads it.

use copse_core::domain::checkin::Cadence;
use copse_core::domain::newsletter::NewsletterSettings;
use copse_core::domain::newsletter::Status;
use copse_core::domain::*;
use copse_store::NewNewsletter;
use copse_store::Store;
use copse_store::testing::{TestDb, community, person};

const NOW: i64 = 1_893_456_000_000;
const DAY: i64 = 24 * 3600 * 1000;

fn draft(community: CommunityId, schedule: Option<(i64, i64)>) -> NewNewsletter<'static> {
    NewNewsletter {
        community,
        subject: "Issue",
        body: "Hello",
        since: NOW - 30 * DAY,
        until: NOW,
        by: None,
        schedule,
    }
}

#[tokio::test]
async fn issues_are_drafted_once_numbered_and_sent_once() {
    for db in TestDb::each_backend_with_clock(NOW).await.unwrap() {
        let s = &db.0.store;
        let owner = person(s, "owner").await;
        let c = community(s, &owner).await;

        every_community_gets_the_default_cadence_once(s, &c).await;
        // The scheduled draft: made once, and the schedule moves on in the same transaction.
        let due = NOW + DAY;
        let first = s
            .create_newsletter(&draft(c.id, Some((due, due + 30 * DAY))))
            .await
            .unwrap()
            .expect("drafted");
        assert_eq!((first.number, first.status), (1, Status::Draft));
        assert!(
            s.create_newsletter(&draft(c.id, Some((due, due + 30 * DAY))))
                .await
                .unwrap()
                .is_none(),
            "the same due time drafts nothing twice"
        );
        assert_eq!(
            s.newsletter_settings(c.id).await.unwrap().unwrap().next_at,
            Some(due + 30 * DAY)
        );
        // One issue is prepared at a time.
        assert!(
            s.create_newsletter(&draft(c.id, None))
                .await
                .unwrap()
                .is_none()
        );

        // Sending starts once; then the text is fixed and it is in the archive.
        assert!(s.start_newsletter(first.id).await.unwrap());
        assert!(!s.start_newsletter(first.id).await.unwrap());
        assert!(
            !s.update_newsletter(first.id, "x", "y", owner.id)
                .await
                .unwrap()
        );
        assert!(!s.delete_newsletter(first.id).await.unwrap());
        assert_eq!(s.newsletters(c.id, false).await.unwrap().len(), 1);
        s.finish_newsletter(first.id).await.unwrap();
        assert_eq!(
            s.newsletter_by_id(first.id).await.unwrap().unwrap().status,
            Status::Sent
        );

        racing_drafts_make_one(&c, s).await;
    }
}

/// Every community gets the default cadence once; a chosen one is kept.
async fn every_community_gets_the_default_cadence_once(s: &Store, c: &Community) {
    s.ensure_newsletter_settings(NOW + DAY).await.unwrap();
    s.ensure_newsletter_settings(NOW + 2 * DAY).await.unwrap();
    assert_eq!(
        s.newsletter_settings(c.id).await.unwrap(),
        Some(NewsletterSettings {
            cadence: Cadence::Monthly,
            next_at: Some(NOW + DAY)
        })
    );
    assert!(s.due_newsletter_drafts(NOW).await.unwrap().is_empty());
    assert_eq!(
        s.due_newsletter_drafts(NOW + DAY).await.unwrap(),
        [(c.id, NOW + DAY)]
    );
}

/// Two drafts racing: one wins, numbered next.
async fn racing_drafts_make_one(c: &Community, s: &Store) {
    let (one, two) = (draft(c.id, None), draft(c.id, None));
    let (a, b) = tokio::join!(s.create_newsletter(&one), s.create_newsletter(&two));
    let made: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(made.len(), 1, "exactly one draft");
    assert_eq!(made[0].number, 2);
    // Unsent issues are the coordinators' only; a deleted draft frees its number.
    assert_eq!(s.newsletters(c.id, false).await.unwrap().len(), 1);
    assert_eq!(s.newsletters(c.id, true).await.unwrap().len(), 2);
    assert!(
        s.schedule_newsletter(made[0].id, Some(NOW + DAY))
            .await
            .unwrap()
    );
    assert_eq!(
        s.newsletters_to_send(NOW + DAY).await.unwrap(),
        [(made[0].id, Status::Scheduled)]
    );
    assert!(s.delete_newsletter(made[0].id).await.unwrap());
    let again = s
        .create_newsletter(&draft(c.id, None))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.number, 2);
}

#[tokio::test]
async fn readers_are_members_and_observers_who_did_not_opt_out() {
    for db in TestDb::each_backend_with_clock(NOW).await.unwrap() {
        let s = &db.0.store;
        let owner = person(s, "owner").await;
        let c = community(s, &owner).await;
        let ada = person(s, "ada").await;
        let obs = person(s, "obs").await;
        let out = person(s, "out").await;
        let gone = person(s, "gone").await;
        let _stranger = person(s, "stranger").await;
        for p in [&ada, &out, &gone] {
            s.join(c.id, p.id).await.unwrap();
        }
        s.follow(c.id, obs.id).await.unwrap();
        s.set_newsletter_optout(out.id, c.id, true).await.unwrap();
        s.set_newsletter_optout(out.id, c.id, true).await.unwrap();
        s.set_suspended(gone.id, true).await.unwrap();
        let readers = s
            .newsletter_recipients(c.id, AccountId(0), 100)
            .await
            .unwrap();
        let who: Vec<(&str, Role)> = readers
            .iter()
            .map(|(r, role)| (r.display_name.as_str(), *role))
            .collect();
        assert_eq!(
            who,
            [
                ("owner", Role::Coordinator),
                ("ada", Role::Member),
                ("obs", Role::Observer)
            ]
        );
        // Batches by id.
        let after_ada = s.newsletter_recipients(c.id, ada.id, 1).await.unwrap();
        assert_eq!(after_ada[0].0.id, obs.id);
        // Opting back in.
        s.set_newsletter_optout(out.id, c.id, false).await.unwrap();
        assert_eq!(
            s.newsletter_recipients(c.id, AccountId(0), 100)
                .await
                .unwrap()
                .len(),
            4
        );
        let choices = s.newsletter_choices(out.id).await.unwrap();
        assert_eq!(choices, [(c.id, "ipc".into(), "IPC".into(), true)]);
    }
}
