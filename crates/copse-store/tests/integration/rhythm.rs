//! The storage contract for keeping the rhythm — occurrence overrides, splits that carry answers
//! along, attendance, the job queue, reminder settings and calendar secrets — on SQLite and,
//! when configured, PostgreSQL.

use std::collections::HashSet;

use copse_core::clock::FixedClock;
use copse_core::domain::Attendee;
use copse_core::domain::RsvpStatus;
use copse_core::domain::*;
use copse_store::Store;
use copse_store::testing::{TestDb, community, person};
use copse_store::{NewJob, OccurrenceChange};

const NOW: i64 = 1_780_000_000_000; // 2026-05-28

async fn backends() -> Vec<(TestDb, FixedClock)> {
    TestDb::each_backend_with_clock(NOW).await.unwrap()
}

fn weekly(start: &str, rule: &str) -> NewEvent {
    NewEvent::parse(&EventInput {
        title: "Weekly office hour".into(),
        time_zone: "Europe/Berlin".into(),
        start: start.into(),
        end: start.replace("T17:00", "T18:00"),
        rule: Some(rule.into()),
        ..EventInput::default()
    })
    .unwrap()
}

const WEEK: i64 = 7 * 24 * 3600 * 1000;

#[tokio::test]
async fn one_occurrence_changes_alone() {
    for (db, _) in backends().await {
        let s = &db.store;
        let owner = person(s, "owner").await;
        let c = community(s, &owner).await;
        let id = s
            .create_event(
                c.id,
                owner.id,
                &weekly("2026-06-02T17:00", "FREQ=WEEKLY;BYDAY=TU"),
                &[],
            )
            .await
            .unwrap();
        let e = s.event(id).await.unwrap().unwrap();
        let keys = e.scheduled_starts(NOW, NOW + 4 * WEEK, 10).unwrap();
        assert_eq!(keys.len(), 4);
        s.change_occurrence(id, keys[1], &OccurrenceChange::Cancel(true))
            .await
            .unwrap();
        let moved_to = (
            parse_local("start", "2026-06-10T16:00").unwrap(),
            parse_local("end", "2026-06-10T17:30").unwrap(),
        );
        s.change_occurrence(id, keys[2], &OccurrenceChange::Move(Some(moved_to)))
            .await
            .unwrap();
        s.change_occurrence(
            id,
            keys[2],
            &OccurrenceChange::Notes(Some("Guest: Ana".into())),
        )
        .await
        .unwrap();
        let e = s.event(id).await.unwrap().unwrap();
        let occ = e.occurrences(NOW, NOW + 4 * WEEK, 10).unwrap();
        assert_eq!(occ.len(), 4, "{occ:?}");
        assert!(!occ[0].cancelled && occ[1].cancelled);
        // The moved one (a Tuesday moved to Wednesday the 10th, 16:00 CEST) keeps its key.
        let moved = occ.iter().find(|o| o.key == keys[2]).unwrap();
        assert_eq!(moved.start, 1_781_100_000_000);
        assert_eq!(moved.end - moved.start, 90 * 60 * 1000);
        assert_eq!(moved.notes.as_deref(), Some("Guest: Ana"));
        assert_eq!(
            e.overrides
                .iter()
                .find(|o| o.key == keys[2])
                .unwrap()
                .sequence,
            2
        );
        // Undoing the cancel and the move brings the schedule back.
        s.change_occurrence(id, keys[1], &OccurrenceChange::Cancel(false))
            .await
            .unwrap();
        s.change_occurrence(id, keys[2], &OccurrenceChange::Move(None))
            .await
            .unwrap();
        let e = s.event(id).await.unwrap().unwrap();
        let starts: Vec<i64> = e
            .occurrences(NOW, NOW + 4 * WEEK, 10)
            .unwrap()
            .iter()
            .map(|o| o.start)
            .collect();
        assert_eq!(starts, keys, "{:?}", db.backend());
    }
}

#[tokio::test]
async fn splitting_a_series_carries_answers_attendance_and_notes_along() {
    for (db, clock) in backends().await {
        let s = &db.store;
        let owner = person(s, "owner").await;
        let ana = person(s, "ana").await;
        let c = community(s, &owner).await;
        s.join(c.id, ana.id).await.unwrap();
        let id = s
            .create_event(
                c.id,
                owner.id,
                &weekly("2026-05-05T17:00", "FREQ=WEEKLY;BYDAY=TU;COUNT=10"),
                &[],
            )
            .await
            .unwrap();
        let old = s.event(id).await.unwrap().unwrap();
        let keys = old
            .scheduled_starts(0, NOW + 5 * 365 * 24 * 3600 * 1000, 20)
            .unwrap();
        assert_eq!(keys.len(), 10);
        attendance_and_answers(s, &old, &keys, &ana, &owner, id).await;
        let (new_id, new_keys) = split_from_the_sixth(&old, &keys, s).await;

        answers_move_and_attendance_stays(s, id, &keys, new_id, &new_keys, &db, &clock).await;
    }
}

/// A past occurrence with attendance (a member and a walk-in), answers for later ones and a
/// note on one.
async fn attendance_and_answers(
    s: &Store,
    old: &Event,
    keys: &[i64],
    ana: &Account,
    owner: &Account,
    id: i64,
) {
    s.check_in(old, keys[1], &Attendee::Member(ana.id), owner.id)
        .await
        .unwrap();
    s.check_in(
        old,
        keys[1],
        &Attendee::WalkIn("Guest Gil".into()),
        owner.id,
    )
    .await
    .unwrap();
    s.check_in(
        old,
        keys[1],
        &Attendee::WalkIn("guest gil".into()),
        owner.id,
    )
    .await
    .unwrap();
    for k in &keys[5..8] {
        s.rsvp(old, *k, ana.id, RsvpStatus::Going).await.unwrap();
    }
    s.change_occurrence(id, keys[6], &OccurrenceChange::Notes(Some("n".into())))
        .await
        .unwrap();
}

/// From the 6th on, the office hour moves an hour later: the series is split in two.
async fn split_from_the_sixth(old: &Event, keys: &[i64], s: &Store) -> (i64, Vec<i64>) {
    let mut rest = old.rule.clone().unwrap();
    rest.count = Some(5);
    let new = NewEvent::parse(&EventInput {
        title: "Weekly office hour (later)".into(),
        time_zone: "Europe/Berlin".into(),
        start: "2026-06-09T18:00".into(),
        end: "2026-06-09T19:00".into(),
        rule: Some(rest.to_rrule()),
        ..EventInput::default()
    })
    .unwrap();
    let mut cut = old.rule.clone().unwrap();
    cut.count = None;
    cut.until = Some(keys[5] - 1000);
    let preview = Event {
        first_start: new.first_start,
        start_local: new.start_local,
        end_local: new.end_local,
        rule: new.rule.clone(),
        ..old.clone()
    };
    let new_keys = preview
        .scheduled_starts(0, NOW + 5 * 365 * 24 * 3600 * 1000, 20)
        .unwrap();
    assert_eq!(new_keys.len(), 5);
    let mapping: Vec<(i64, i64)> = keys[5..]
        .iter()
        .copied()
        .zip(new_keys.iter().copied())
        .collect();
    let new_id = s
        .split_event(old, keys[5], &cut, &new, &mapping)
        .await
        .unwrap();
    (new_id, new_keys)
}

async fn answers_move_and_attendance_stays(
    s: &Store,
    id: i64,
    keys: &[i64],
    new_id: i64,
    new_keys: &[i64],
    db: &TestDb,
    clock: &FixedClock,
) {
    let old = s.event(id).await.unwrap().unwrap();
    assert_eq!(
        old.scheduled_starts(0, NOW + 5 * 365 * 24 * 3600 * 1000, 20)
            .unwrap(),
        keys[..5].to_vec()
    );
    assert_eq!(old.sequence, 1);
    let new = s.event(new_id).await.unwrap().unwrap();
    assert_eq!(new.hosts.len(), 1, "hosts are copied");
    assert_eq!(new.overrides.len(), 1);
    assert_eq!(new.overrides[0].key, new_keys[1]);
    for (i, k) in new_keys.iter().enumerate() {
        let going = s.rsvps(new_id, *k).await.unwrap().going.len();
        assert_eq!(going, usize::from(i < 3), "{:?} key {i}", db.backend());
    }
    assert!(s.rsvps(id, keys[5]).await.unwrap().going.is_empty());
    // Attendance of the past stays with the old series; the walk-in is counted once.
    let att = s.attendance(id, keys[1]).await.unwrap();
    assert_eq!(att.len(), 2);
    let counts = s
        .attendance_counts(&[id, new_id], 0, NOW + 5 * 365 * 24 * 3600 * 1000)
        .await
        .unwrap();
    assert_eq!(counts.get(&(id, keys[1])), Some(&2));
    s.undo_check_in(id, keys[1], &Attendee::WalkIn("GUEST GIL".into()))
        .await
        .unwrap();
    assert_eq!(s.attendance(id, keys[1]).await.unwrap().len(), 1);

    // Deleting hides the event everywhere.
    clock.advance(1000);
    s.delete_event(new_id).await.unwrap();
    assert!(s.event(new_id).await.unwrap().is_none());
    assert!(
        s.going_between(0, NOW + 5 * 365 * 24 * 3600 * 1000)
            .await
            .unwrap()
            .iter()
            .all(|g| g.event != new_id)
    );
}

#[tokio::test]
async fn jobs_are_claimed_once_retried_with_backoff_then_kept_as_failed() {
    for (db, clock) in backends().await {
        let s = &db.store;
        for i in 0..40 {
            let added = s
                .enqueue(&NewJob {
                    kind: "test",
                    key: &format!("job:{i}"),
                    payload: "{}",
                    run_at: NOW - i,
                    max_attempts: 2,
                })
                .await
                .unwrap();
            assert!(added);
        }
        // The same key again keeps one job.
        assert!(
            !s.enqueue(&NewJob {
                kind: "test",
                key: "job:0",
                payload: "{}",
                run_at: NOW,
                max_attempts: 2
            })
            .await
            .unwrap()
        );
        // A future job is not due.
        s.enqueue(&NewJob {
            kind: "test",
            key: "later",
            payload: "{}",
            run_at: NOW + 60_000,
            max_attempts: 2,
        })
        .await
        .unwrap();
        let claimed = four_workers_claim_each_job_once(s, &db).await;
        leases_backoff_and_retries(&claimed, s, &clock).await;
    }
}

/// Four workers claim at once, each its own connection: every due job exactly once.
async fn four_workers_claim_each_job_once(s: &Store, db: &TestDb) -> Vec<(i64, i32)> {
    let mut handles = Vec::new();
    for w in 0..4 {
        let store = s.clone();
        handles.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = store
                    .claim_jobs(&format!("node-{w}"), 3, 60_000)
                    .await
                    .unwrap();
                if got.is_empty() {
                    break;
                }
                mine.extend(got.into_iter().map(|j| (j.id, w)));
            }
            mine
        }));
    }
    let mut claimed = Vec::new();
    for h in handles {
        claimed.extend(h.await.unwrap());
    }
    let ids: HashSet<i64> = claimed.iter().map(|(id, _)| *id).collect();
    assert_eq!(claimed.len(), 40, "{:?}: {claimed:?}", db.backend());
    assert_eq!(ids.len(), 40);
    claimed
}

/// Completing needs the lease.
async fn leases_backoff_and_retries(claimed: &[(i64, i32)], s: &Store, clock: &FixedClock) {
    let (first, owner) = claimed[0];
    assert!(s.complete_job(first, "someone-else").await.is_err());
    s.complete_job(first, &format!("node-{owner}"))
        .await
        .unwrap();
    // A failure goes back with backoff, then fails for good.
    let (second, owner2) = claimed[1];
    let node2 = format!("node-{owner2}");
    s.fail_job(second, &node2, "smtp down", 5_000)
        .await
        .unwrap();
    assert!(
        s.claim_jobs("x", 50, 60_000)
            .await
            .unwrap()
            .iter()
            .all(|j| j.id != second)
    );
    clock.advance(5_001);
    let again = s.claim_jobs(&node2, 50, 60_000).await.unwrap();
    assert_eq!(again.iter().map(|j| j.id).collect::<Vec<_>>(), vec![second]);
    assert_eq!(again[0].attempts, 2);
    s.fail_job(second, &node2, "smtp still down", 5_000)
        .await
        .unwrap();
    let failed = s.jobs_with_status("failed", 10).await.unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].last_error.as_deref(), Some("smtp still down"));
    // A node that dies leaves its jobs to others once the lease runs out.
    clock.advance(60_001);
    let taken_over = s.claim_jobs("survivor", 100, 60_000).await.unwrap();
    assert_eq!(taken_over.len(), 38 + 1, "38 abandoned and the one now due");
    // Admins can put a failed job back.
    s.retry_job(second).await.unwrap();
    assert!(s.retry_job(second).await.is_err());
    let counts = s.job_counts().await.unwrap();
    assert!(counts.contains(&("done".to_string(), 1)), "{counts:?}");
}

#[tokio::test]
async fn reminder_settings_and_calendar_secrets() {
    for (db, _) in backends().await {
        let s = &db.store;
        let ana = person(s, "ana").await;
        assert_eq!(s.reminder_minutes(ana.id).await.unwrap(), vec![1440, 60]);
        let token = s.unsubscribe_token(ana.id).await.unwrap();
        assert_eq!(token.len(), 48);
        assert_eq!(s.unsubscribe_token(ana.id).await.unwrap(), token, "stable");
        s.set_reminder_minutes(ana.id, &[180]).await.unwrap();
        assert_eq!(s.reminder_minutes(ana.id).await.unwrap(), vec![180]);
        assert_eq!(s.unsubscribe(&token).await.unwrap(), ana.id);
        assert!(s.reminder_minutes(ana.id).await.unwrap().is_empty());
        assert!(s.unsubscribe("nope").await.is_err());

        assert_eq!(s.calendar_token_owner("hash-1").await.unwrap(), None);
        s.set_calendar_token(ana.id, "hash-1").await.unwrap();
        assert_eq!(
            s.calendar_token_owner("hash-1").await.unwrap(),
            Some(ana.id)
        );
        s.set_calendar_token(ana.id, "hash-2").await.unwrap();
        assert_eq!(
            s.calendar_token_owner("hash-1").await.unwrap(),
            None,
            "rotated"
        );
        s.revoke_calendar_token(ana.id).await.unwrap();
        assert_eq!(s.calendar_token_owner("hash-2").await.unwrap(), None);
    }
}
