//! Fills a data folder's embedded database with the practice benchmark's site — one community,
//! 50 authors, `threads` generated threads with `replies` replies each — for timing
//! `copse backup`, `copse export` and `copse import` on it (docs/BENCHMARKS.md).
//!
//! Run: `cargo run --release -p copse --example bench_seed_site -- DATA_DIR [threads] [replies]`
//! (defaults 100000 and 5). The folder must not hold a site yet.

mod support;

use std::sync::Arc;
use std::time::Instant;

use copse_core::clock::SystemClock;
use copse_store::testing::seed_bulk_practice;
use copse_store::{Store, sqlite_url_for_data_dir};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("name the data folder to fill"))?;
    let numbers: Vec<usize> = std::env::args()
        .skip(2)
        .filter_map(|a| a.parse().ok())
        .collect();
    let threads = numbers.first().copied().unwrap_or(100_000);
    let replies = numbers.get(1).copied().unwrap_or(5);
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    let store = Store::connect(&sqlite_url_for_data_dir(&dir), Arc::new(SystemClock)).await?;
    store.migrate().await?;
    let mut authors = Vec::new();
    for i in 0..50 {
        authors.push(support::person(&store, "author", i).await?.id);
    }
    let community = support::community(&store, authors[0]).await?;
    let started = Instant::now();
    seed_bulk_practice(&store, community.id, &authors, threads, replies, 7).await?;
    store.close().await;
    println!(
        "{} holds {threads} threads and {} replies ({:.1} s)",
        dir.display(),
        threads * replies,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
