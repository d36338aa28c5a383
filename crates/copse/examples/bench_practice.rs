//! Benchmark of the practice surfaces on a generated community (SQLite):
//! thread list pages, a thread page with 500 replies, and search.
//!
//! Run: `cargo run --release -p copse --example bench_practice -- [threads] [replies_per_thread]`
//! (defaults 100000 and 5: 100,000 threads and 500,000 replies). Figures go to
//! docs/BENCHMARKS.md; this is a measurement, not a test, and asserts nothing about time.

mod support;

use std::sync::Arc;
use std::time::Instant;

use copse_app::{App, AppConfig};
use copse_core::clock::SystemClock;
use copse_store::testing::{TestDb, seed_bulk_practice};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = support::args();
    let threads = args.first().copied().unwrap_or(100_000);
    let replies = args.get(1).copied().unwrap_or(5);
    let db = TestDb::sqlite(Arc::new(SystemClock)).await?;
    let store = db.store.clone();
    let mut authors = Vec::new();
    for i in 0..50 {
        authors.push(support::person(&store, "author", i).await?.id);
    }
    let community = support::community(&store, authors[0]).await?;
    let started = Instant::now();
    seed_bulk_practice(&store, community.id, &authors, threads, replies, 7).await?;
    // One more thread with 500 replies, the newest.
    seed_bulk_practice(&store, community.id, &authors, 1, 500, 11).await?;
    let seeded = started.elapsed();
    let big = threads as i64 + 1;

    let base = support::serve(App::new(
        store.clone(),
        support::files()?,
        AppConfig::default(),
    ))
    .await?;
    let http = reqwest::Client::new();
    let cursor = five_pages_deep(&http, &base).await?;
    println!(
        "Generated {threads} threads and {} replies in {:.1} s.\n",
        threads * replies + 500,
        seeded.as_secs_f64()
    );
    support::table(&http, &cases(&base, &cursor, big, threads)).await;
    db.finish().await;
    Ok(())
}

/// The cursor of the sixth page of the thread list, fifty threads a page.
async fn five_pages_deep(http: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let mut cursor = String::new();
    for _ in 0..5 {
        let page: serde_json::Value = http
            .get(format!(
                "{base}/api/v1/communities/bench/threads?limit=50&cursor={cursor}"
            ))
            .send()
            .await?
            .json()
            .await?;
        cursor = page["next_cursor"].as_str().unwrap_or_default().to_string();
    }
    Ok(cursor)
}

fn cases(base: &str, cursor: &str, big: i64, threads: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "thread list, first page (API, 50)",
            format!("{base}/api/v1/communities/bench/threads?limit=50"),
        ),
        (
            "thread list, page 6 by cursor (API, 50)",
            format!("{base}/api/v1/communities/bench/threads?limit=50&cursor={cursor}"),
        ),
        (
            "thread list page (HTML, 30)",
            format!("{base}/c/bench/threads"),
        ),
        (
            "unanswered questions (API, 50)",
            format!("{base}/api/v1/communities/bench/threads?limit=50&status=unanswered"),
        ),
        ("thread with 500 replies (HTML)", format!("{base}/t/{big}")),
        (
            "thread with 500 replies (API)",
            format!("{base}/api/v1/threads/{big}"),
        ),
        (
            "search, common word (API, 20)",
            format!("{base}/api/v1/search?q=compression"),
        ),
        (
            "search, two words (API, 20)",
            format!("{base}/api/v1/search?q=night%20audit"),
        ),
        (
            "search, phrase (API, 20)",
            format!("{base}/api/v1/search?q=%22night%20shift%22"),
        ),
        (
            "search, rare word (API, 20)",
            format!("{base}/api/v1/search?q={}", threads / 2),
        ),
        ("search page (HTML)", format!("{base}/search?q=compression")),
    ]
}
