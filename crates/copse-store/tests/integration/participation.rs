//! The storage contract for participation — the ledger's backfill and idempotency, the window's
//! boundaries, levels with their history and snapshots — on SQLite and, when configured,
//! PostgreSQL.

use copse_core::clock::FixedClock;
use copse_core::domain::participation::{Act, Level, Thresholds};
use copse_core::domain::*;
use copse_store::NewActivity;
use copse_store::Store;
use copse_store::testing::{TestDb, person};

const NOW: i64 = 1_893_456_000_000;
const DAY: i64 = 24 * 3600 * 1000;

#[tokio::test]
async fn the_ledger_fills_from_existing_data_once_and_windows_are_inclusive() {
    for (db, clock) in TestDb::each_backend_with_clock(NOW).await.unwrap() {
        let s = &db.store;
        let owner = person(s, "owner").await;
        let ada = person(s, "ada").await;
        let c = s
            .create_community(
                &NewCommunity {
                    slug: Slug::parse("ipc").unwrap(),
                    name: "IPC".into(),
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
        s.join(c.id, ada.id).await.unwrap();
        backfill_records_existing_data_once(s, &c, &owner, &ada).await;

        windows_include_their_ends(&c, &ada, s).await;

        levels_are_kept_with_their_history(&ada, &owner, s, &c, &clock).await;
        db.finish().await;
    }
}

/// Data written straight to the store (as before the ledger existed) is recorded by the
/// backfill, once: thread + reply + accepted + helpful = 4 entries.
async fn backfill_records_existing_data_once(
    s: &Store,
    c: &Community,
    owner: &Account,
    ada: &Account,
) {
    let t = s
        .create_thread(
            c.id,
            owner.id,
            &NewThread {
                kind: ThreadKind::Question,
                space: Space::Public,
                circle_id: None,
                title: "Audit?".into(),
                body: "How?".into(),
                link: None,
                topics: vec![],
            },
        )
        .await
        .unwrap();
    let thread = s.thread(t).await.unwrap().unwrap();
    let r = s
        .create_reply(&thread, ada.id, "Like this.", None)
        .await
        .unwrap();
    s.accept(&thread, Some(r)).await.unwrap();
    s.set_helpful(&thread, r, owner.id, true).await.unwrap();
    assert!(s.activity_is_empty().await.unwrap());
    // thread + reply + accepted + helpful = 4 entries; a second run adds none.
    assert_eq!(s.backfill_activity().await.unwrap(), 4);
    assert_eq!(s.backfill_activity().await.unwrap(), 0);
    let tallies = s.tallies(c.id, NOW - DAY, NOW).await.unwrap();
    assert_eq!(tallies[&ada.id].points(), 2 + 4 + 1);
    assert_eq!(tallies[&owner.id].points(), 3);
}

/// The window includes its first and last millisecond, and nothing outside.
async fn windows_include_their_ends(c: &Community, ada: &Account, s: &Store) {
    let act = |source: &str, at: i64| NewActivity {
        community: c.id,
        account: ada.id,
        kind: Act::Reply,
        private: false,
        at,
        source: source.into(),
    };
    let t90 = Thresholds::default();
    s.record_activity(&[
        act("edge:first", t90.since(NOW)),
        act("edge:before", t90.since(NOW) - 1),
        act("edge:last", NOW),
    ])
    .await
    .unwrap();
    s.record_activity(&[act("edge:first", NOW)]).await.unwrap();
    let ada_replies = |from: i64, to: i64| async move {
        s.tallies(c.id, from, to).await.unwrap()[&ada.id].counts["reply"]
    };
    assert_eq!(
        ada_replies(t90.since(NOW), NOW).await,
        1 + 2,
        "the backfilled reply and both edges"
    );
    s.forget_activity("edge:last").await.unwrap();
    assert_eq!(ada_replies(t90.since(NOW), NOW).await, 2);
}

/// Levels: stored with history; a second save with the same levels changes nothing.
async fn levels_are_kept_with_their_history(
    ada: &Account,
    owner: &Account,
    s: &Store,
    c: &Community,
    clock: &FixedClock,
) {
    let levels = vec![
        (ada.id, Level::Active, 9, "{\"reply\":2}".to_string()),
        (owner.id, Level::Peripheral, 3, "{}".to_string()),
    ];
    assert_eq!(s.save_levels(c.id, &levels, "2030-01-01").await.unwrap(), 2);
    assert_eq!(s.save_levels(c.id, &levels, "2030-01-01").await.unwrap(), 0);
    clock.advance(DAY);
    let later = vec![
        (ada.id, Level::Core, 31, "{}".to_string()),
        (owner.id, Level::Peripheral, 3, "{}".to_string()),
    ];
    assert_eq!(s.save_levels(c.id, &later, "2030-01-02").await.unwrap(), 1);
    let changes = s.level_changes(c.id, 0).await.unwrap();
    assert_eq!(
        (changes[0].from, changes[0].to),
        (Some(Level::Active), Level::Core)
    );
    let snaps = s.snapshots(c.id).await.unwrap();
    assert_eq!(snaps.len(), 2);
    assert_eq!((snaps[1].core, snaps[1].peripheral), (1, 1));
    assert_eq!(
        s.level_of(c.id, ada.id).await.unwrap().unwrap().since,
        NOW + DAY
    );
    let counts = s.level_counts(c.id).await.unwrap();
    assert_eq!(counts.get("core"), Some(&1));
    // Someone who left is dropped at the next save.
    s.leave(c.id, ada.id).await.unwrap();
    s.save_levels(c.id, &later[1..], "2030-01-02")
        .await
        .unwrap();
    assert!(s.level_of(c.id, ada.id).await.unwrap().is_none());
}
