//! Merging two demo communities — the richest data copse has: threads, replies, topics, events
//! and series, circles, stories, check-ins, newsletters, members, the ledger — through the real
//! binary's API, as the demo's site admin. Every row of every table that belonged to the merged
//! community belongs to the other afterwards (less only the rows the merge rules settle: people
//! in both, topics of the same name, settings and derived figures), none is left behind, and the
//! community itself is gone with its address leading to the other.

use std::collections::BTreeMap;
use std::sync::Arc;

use copse_core::clock::SystemClock;
use copse_store::{Store, TableShape};
use serde_json::{Value, json};

use crate::support::{SignedIn, start_copse_with};

/// Rows per table per community id, for every table with a `community_id` column.
async fn rows_by_community(store: &Store) -> Counts {
    let mut counts = BTreeMap::new();
    let shapes: Vec<TableShape> = store.table_shapes().await.unwrap();
    for shape in shapes
        .iter()
        .filter(|t| t.columns.iter().any(|c| c.name == "community_id"))
    {
        let mut by: BTreeMap<i64, u64> = BTreeMap::new();
        store
            .read_rows(shape, |row| {
                if let Some(id) = row.get("community_id").and_then(Value::as_i64) {
                    *by.entry(id).or_default() += 1;
                }
                Ok(())
            })
            .await
            .unwrap();
        counts.insert(shape.name.clone(), by);
    }
    counts
}

/// Tables where a merge may keep fewer rows than the two communities had together, and why.
const SETTLED: &[&str] = &[
    "memberships",            // someone in both keeps one membership
    "participation_levels",   // recomputed from the merged ledger
    "silences",               // one per person
    "newsletter_optouts",     // one per person
    "join_requests",          // moot for someone now in the community
    "topics",                 // one of the same name becomes one
    "topic_follows",          // following the joined topic once
    "thread_topics",          // a thread in two joined topics is in the one once
    "topic_redirects",        // A's own address stands
    "checkin_settings",       // A's settings stand
    "newsletter_settings",    // A's settings stand
    "participation_settings", // A's settings stand
    "value_report_notes",     // A's notes stand
    "activity_weeks",         // recomputed from the merged ledger
    "level_snapshots",        // recomputed from the merged ledger
    "newsletters",            // B's unsent draft, when A has one
    "imported_messages",      // the same list imported into both: once
];

#[tokio::test]
async fn merging_two_demo_communities_leaves_nothing_behind() {
    let data = tempfile::tempdir().unwrap();
    let site = start_copse_with("demo", data.path(), &[]);
    let url = copse_store::sqlite_url_for_data_dir(data.path());
    let store = Store::connect(&url, Arc::new(SystemClock)).await.unwrap();
    let http = reqwest::Client::new();
    let token = SignedIn::new(&site.url, "admin@copse-demo.example", "copse-demo-2026")
        .await
        .token;
    let id_of = |slug: &'static str| {
        let store = store.clone();
        async move {
            store
                .community_by_slug(slug)
                .await
                .unwrap()
                .unwrap()
                .id
                .get()
        }
    };
    let (a, b) = (id_of("ipc-nurses").await, id_of("open-gis").await);
    let before = rows_by_community(&store).await;

    let merged = http
        .post(format!("{}/api/v1/communities/open-gis/merge", site.url))
        .bearer_auth(&token)
        .json(&json!({"into": "ipc-nurses"}))
        .send()
        .await
        .unwrap();
    assert_eq!(merged.status(), 200);
    let report: Value = merged.json().await.unwrap();
    println!("demo merge: {report}");

    let after = rows_by_community(&store).await;
    let checked = every_row_moved(&before, &after, a, b);
    assert!(
        checked >= 20,
        "the demo's second community has rows in {checked} tables"
    );
    assert_eq!(report["threads"], before["threads"][&b]);
    let old = http
        .get(format!("{}/api/v1/communities/open-gis", site.url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        old.url().path(),
        "/api/v1/communities/ipc-nurses",
        "followed its 308"
    );
}

type Counts = BTreeMap<String, BTreeMap<i64, u64>>;

/// Checks that every table's rows of `b` are `a`'s now (as the merge rules say); answers in how
/// many tables `b` had rows.
fn every_row_moved(before: &Counts, after: &Counts, a: i64, b: i64) -> usize {
    let mut checked = 0;
    for (table, was) in before {
        let now = &after[table];
        let (had_a, had_b) = (was.get(&a).copied(), was.get(&b).copied());
        let has = now.get(&a).copied().unwrap_or(0);
        assert_eq!(
            now.get(&b),
            None,
            "{table}: rows left with the merged community"
        );
        let together = had_a.unwrap_or(0) + had_b.unwrap_or(0);
        let settled = SETTLED.contains(&table.as_str());
        match table.as_str() {
            _ if settled => {
                assert!(has <= together, "{table}: {has} rows from {together}");
                assert!(
                    has >= had_a.unwrap_or(0),
                    "{table}: lost some of A's own rows"
                );
            }
            // B's people are told; A's stage log records the merge; B's address leads to A.
            "notifications" | "stage_changes" | "community_redirects" => {
                assert!(has > together, "{table}: {has} rows from {together}");
            }
            _ => assert_eq!(has, together, "{table}: every row of both"),
        }
        // Other communities are untouched (but for what the demo's worker derives meanwhile).
        for (other, n) in was.iter().filter(|(id, _)| **id != a && **id != b) {
            if !settled {
                assert_eq!(
                    now.get(other),
                    Some(n),
                    "{table}: community {other} changed"
                );
            }
        }
        checked += usize::from(had_b.is_some());
    }
    checked
}
