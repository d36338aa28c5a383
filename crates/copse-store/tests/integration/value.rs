//! The storage contract for value stories and check-ins on SQLite and, when configured,
//! PostgreSQL: stories with and without measured effects written and read back on the same
//! connections, edits replacing credits and topics, and a check-in round that opens once.

use copse_core::domain::checkin::CheckinSchedule;
use copse_core::domain::checkin::{Answer, Cadence};
use copse_core::domain::value::{Cycle, Effect, NewStory, StoryVisibility};
use copse_store::testing::{TestDb, community, person};
use copse_store::{NewRound, StoryChange};

const NOW: i64 = 1_893_456_000_000;
const DAY: i64 = 24 * 3600 * 1000;

fn story(effect: Option<f64>) -> NewStory {
    NewStory {
        happened: "h".into(),
        took: "t".into(),
        did: String::new(),
        difference: String::new(),
        cycles: vec![Cycle::Applied],
        effect: effect.map(|value| Effect {
            value,
            unit: "hours".into(),
            period: None,
        }),
        visibility: StoryVisibility::Community,
        anonymous: false,
    }
}

#[tokio::test]
async fn stories_with_and_without_effects_round_trip_and_edits_replace_links() {
    for db in TestDb::each_backend_with_clock(NOW).await.unwrap() {
        let s = &db.0.store;
        let owner = person(s, "owner").await;
        let c = community(s, &owner).await;
        // Alternating absent and present effects: each statement is prepared once per
        // connection, so a parameter typed by an absent value must still take a present one.
        let mut ids = Vec::new();
        for i in 0..12 {
            // Two absent, then one present: the pattern that once failed on PostgreSQL.
            let effect = (i % 3 == 2).then_some(i as f64 / 2.0);
            let change = StoryChange {
                story: &story(effect),
                circle: None,
                credits: &[],
                topics: &[],
            };
            let id = s.create_story(c.id, owner.id, &change).await.unwrap();
            ids.push((id, effect));
        }
        for (id, effect) in &ids {
            let got = s.story(*id).await.unwrap().unwrap();
            assert_eq!(got.effect.map(|e| e.value), *effect);
            assert_eq!(got.updated_at, None);
        }
        // An edit replaces the content, credits and topics, and marks the story edited.
        let topic = s
            .create_topic(c.id, "audits", "Audits", None)
            .await
            .unwrap();
        let (id, _) = ids[0];
        let edited = story(Some(2.0));
        s.update_story(
            id,
            &StoryChange {
                story: &edited,
                circle: None,
                credits: &[("thread", 7), ("event", 3)],
                topics: &[topic.id],
            },
        )
        .await
        .unwrap();
        s.update_story(
            id,
            &StoryChange {
                story: &story(None),
                circle: None,
                credits: &[("event", 3)],
                topics: &[topic.id],
            },
        )
        .await
        .unwrap();
        let got = s.story(id).await.unwrap().unwrap();
        assert_eq!(got.credits, vec![("event".to_string(), 3)]);
        assert_eq!(
            got.topics,
            vec![("audits".to_string(), "Audits".to_string())]
        );
        assert_eq!(got.effect, None);
        assert!(got.updated_at.is_some());
        db.0.finish().await;
    }
}

#[tokio::test]
async fn a_check_in_round_opens_once_and_asks_members_only() {
    for (db, _clock) in TestDb::each_backend_with_clock(NOW).await.unwrap() {
        let s = &db.store;
        let owner = person(s, "owner").await;
        let ada = person(s, "ada").await;
        let obs = person(s, "obs").await;
        let c = community(s, &owner).await;
        s.join(c.id, ada.id).await.unwrap();
        s.follow(c.id, obs.id).await.unwrap();
        let at = NOW + DAY;
        s.set_checkin_schedule(
            c.id,
            &CheckinSchedule {
                prompt: "What did you learn?".into(),
                cadence: Cadence::Monthly,
                next_at: Some(at),
            },
            owner.id,
        )
        .await
        .unwrap();
        assert!(s.due_checkins(NOW).await.unwrap().is_empty());
        assert_eq!(s.due_checkins(at).await.unwrap(), vec![(c.id, at)]);
        let round = NewRound {
            community: c.id,
            prompt: "What did you learn?",
            opened_at: at,
            closes_at: Cadence::Monthly.next(at),
            opened_by: owner.id,
            next_at: Some(Cadence::Monthly.next(at)),
        };
        let first = s.open_checkin(&round).await.unwrap();
        assert!(first.is_some());
        assert_eq!(s.open_checkin(&round).await.unwrap(), None, "once");
        assert!(s.due_checkins(at).await.unwrap().is_empty(), "moved on");
        // The owner and ada were asked; the observer was not.
        for (who, asked) in [(&owner, 1), (&ada, 1), (&obs, 0)] {
            assert_eq!(s.unread_notifications(who.id).await.unwrap(), asked);
        }
        let id = first.unwrap();
        s.answer_checkin(id, ada.id, &Answer::parse("a", "").unwrap())
            .await
            .unwrap();
        s.answer_checkin(id, ada.id, &Answer::parse("b", "c").unwrap())
            .await
            .unwrap();
        let answers = s.checkin_answers(id, None).await.unwrap();
        assert_eq!(answers.len(), 1, "answering again replaces the answer");
        assert_eq!(
            (answers[0].learned.as_str(), answers[0].applied.as_str()),
            ("b", "c")
        );
        assert_eq!(s.checkin(id).await.unwrap().unwrap().answers, 1);
        db.finish().await;
    }
}
