//! The storage contract for events, on SQLite and, when configured, PostgreSQL.

use copse_core::clock::FixedClock;
use copse_core::domain::*;
use copse_core::policy::{self, Actor, CommunityFacts, ThreadAction, ThreadFacts, thread_filter};
use copse_store::testing::{TestDb, community, person};

async fn backends() -> Vec<(TestDb, FixedClock)> {
    TestDb::each_backend_with_clock(1_780_000_000_000)
        .await
        .unwrap()
}

fn monthly(space: &str) -> NewEvent {
    NewEvent::parse(&EventInput {
        space: Some(space.into()),
        title: "Monthly practice meeting".into(),
        time_zone: "Europe/Berlin".into(),
        start: "2026-03-10T18:00".into(),
        end: "2026-03-10T19:30".into(),
        rule: Some("FREQ=MONTHLY;BYDAY=2TU".into()),
        online_url: Some("https://meet.example.org/ipc".into()),
        capacity: Some(30),
        ..EventInput::default()
    })
    .unwrap()
}

#[tokio::test]
async fn events_round_trip_and_lists_follow_the_policy() {
    for (db, _) in backends().await {
        let s = &db.store;
        let owner = person(s, "owner").await;
        let host = person(s, "host").await;
        let outsider = person(s, "outsider").await;
        let c = community(s, &owner).await;
        s.join(c.id, host.id).await.unwrap();
        let public = s
            .create_event(c.id, owner.id, &monthly("public"), &[host.id])
            .await
            .unwrap();
        let members = s
            .create_event(c.id, owner.id, &monthly("members"), &[])
            .await
            .unwrap();

        let e = s.event(public).await.unwrap().unwrap();
        assert_eq!(
            e.rule.as_ref().unwrap().to_rrule(),
            "FREQ=MONTHLY;BYDAY=2TU"
        );
        assert_eq!(e.capacity, Some(30));
        let mut hosts: Vec<&str> = e.hosts.iter().map(|h| h.handle.as_str()).collect();
        hosts.sort();
        assert_eq!(hosts, vec!["host", "owner"]);
        // 14 April 2026 18:00 in Berlin is 16:00 UTC (summer time); 10 March is 17:00 UTC.
        let occ = e.occurrences(0, 1_776_902_400_000, 10).unwrap();
        assert_eq!(
            occ.iter().map(|o| o.start).collect::<Vec<_>>(),
            vec![1_773_162_000_000, 1_776_182_400_000]
        );
        assert_eq!(occ[0].end - occ[0].start, 90 * 60 * 1000);

        for actor in [
            Actor::Anonymous,
            Actor::Account {
                id: outsider.id,
                is_admin: false,
                must_verify: false,
            },
            Actor::Account {
                id: host.id,
                is_admin: false,
                must_verify: false,
            },
        ] {
            let standing = s.standing(c.id, actor.account_id()).await.unwrap();
            let listed: Vec<i64> = s
                .list_events(c.id, thread_filter(&actor))
                .await
                .unwrap()
                .iter()
                .map(|e| e.id)
                .collect();
            for (id, space) in [(public, Space::Public), (members, Space::Members)] {
                let facts = ThreadFacts {
                    space,
                    kind: ThreadKind::Discussion,
                    author: owner.id,
                    private_member: false,
                    hidden: false,
                    locked: false,
                };
                let may = policy::decide_thread(
                    &actor,
                    &standing,
                    &CommunityFacts::from(&c),
                    &facts,
                    ThreadAction::Read,
                )
                .allowed();
                assert_eq!(listed.contains(&id), may, "{actor:?} {space:?}");
            }
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn concurrent_rsvps_never_overbook_and_the_waitlist_moves_up_in_order() {
    use copse_core::domain::RsvpStatus;
    for (db, clock) in backends().await {
        let s = &db.store;
        let owner = person(s, "owner").await;
        let c = s
            .create_community(
                &NewCommunity {
                    slug: Slug::parse("gis").unwrap(),
                    name: "GIS".into(),
                    domain_statement: "d".into(),
                    visibility: Visibility::Public,
                    listed: true,
                    join_policy: JoinPolicy::Open,
                    join_questions: vec![],
                    stage: Stage::Maturing,
                },
                owner.id,
            )
            .await
            .unwrap();
        let mut new = monthly("public");
        new.capacity = Some(5);
        let id = s.create_event(c.id, owner.id, &new, &[]).await.unwrap();
        let event = s.event(id).await.unwrap().unwrap();
        let occurrence = event.first_start;
        let mut people = Vec::new();
        for i in 0..30 {
            people.push(person(s, &format!("p{i}")).await.id);
        }
        let mut tasks = Vec::new();
        for who in people.clone() {
            let (store, event) = (s.clone(), event.clone());
            tasks.push(tokio::spawn(async move {
                store
                    .rsvp(&event, occurrence, who, RsvpStatus::Going)
                    .await
                    .unwrap()
            }));
        }
        let mut going = 0;
        for t in tasks {
            if t.await.unwrap().status == RsvpStatus::Going {
                going += 1;
            }
        }
        assert_eq!(going, 5, "exactly the capacity");
        let summary = s.rsvps(id, occurrence).await.unwrap();
        assert_eq!((summary.going.len(), summary.waitlisted.len()), (5, 25));

        // Someone going cancels: the longest-waiting person gets the place.
        clock.advance(1000);
        let first_waiting = summary.waitlisted[0].id;
        let leaving = summary.going[0].id;
        let outcome = s
            .rsvp(&event, occurrence, leaving, RsvpStatus::NotGoing)
            .await
            .unwrap();
        assert_eq!(outcome.promoted, vec![first_waiting]);
        let after = s.rsvps(id, occurrence).await.unwrap();
        assert_eq!(after.going.len(), 5);
        assert!(after.going.iter().any(|p| p.id == first_waiting));
        assert_eq!(after.waitlisted.len(), 24);
        // Answering "going" again while full keeps one's place in the queue.
        let second = after.waitlisted[0].id;
        assert_eq!(
            s.rsvp(&event, occurrence, second, RsvpStatus::Going)
                .await
                .unwrap()
                .status,
            RsvpStatus::Waitlisted
        );
        assert_eq!(
            s.rsvps(id, occurrence).await.unwrap().waitlisted[0].id,
            second
        );
        db.finish().await;
    }
}
