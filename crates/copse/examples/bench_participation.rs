//! Benchmark of participation levels (SQLite): recomputing every member's level from the ledger,
//! and reading the dashboard.
//!
//! Run: `cargo run --release -p copse --example bench_participation -- [members] [entries]`
//! (defaults 10000 members and 1000000 ledger entries over a year). Figures go to
//! docs/BENCHMARKS.md; this measures, it asserts nothing about time.

mod support;

use std::sync::Arc;
use std::time::Instant;

use copse_app::{App, AppConfig};
use copse_core::clock::{Clock, SystemClock};
use copse_core::domain::CommunityId;
use copse_store::Store;
use copse_store::testing::{TestDb, seed_bulk_participation};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = support::args();
    let members = args.first().copied().unwrap_or(10_000);
    let entries = args.get(1).copied().unwrap_or(1_000_000);
    let db = TestDb::sqlite(Arc::new(SystemClock)).await?;
    let store = db.store.clone();
    let owner = support::person(&store, "owner", 0).await?;
    let community = support::community(&store, owner.id).await?;
    let started = Instant::now();
    let now = SystemClock.now();
    seed_bulk_participation(&store, community.id, members, entries, 365, now, 7).await?;
    println!(
        "Generated {members} members and {entries} ledger entries over a year in {:.1} s.\n",
        started.elapsed().as_secs_f64()
    );
    let state = App::new(store.clone(), support::files()?, AppConfig::default());
    for round in ["first (all levels new)", "second (few changes)"] {
        let t = Instant::now();
        let changed = copse_app::participation::recompute(&state, community.id).await?;
        println!(
            "Recompute, {round}: {:.2} s, {changed} levels changed",
            t.elapsed().as_secs_f64()
        );
    }
    let base = support::serve(state).await?;
    let http = reqwest::Client::new();
    let token = reader(&http, &base, &store, community.id).await?;
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let r = http
            .get(format!("{base}/api/v1/communities/bench/participation"))
            .bearer_auth(&token)
            .send()
            .await?;
        assert!(r.status().is_success());
        r.bytes().await?;
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "Dashboard data for a member (API): median {:.1} ms, p95 {:.1} ms",
        times[10].as_secs_f64() * 1000.0,
        times[19].as_secs_f64() * 1000.0
    );
    db.finish().await;
    Ok(())
}

/// A member who signs up through the API and reads the dashboard: their API token.
async fn reader(
    http: &reqwest::Client,
    base: &str,
    store: &Store,
    community: CommunityId,
) -> anyhow::Result<String> {
    http.post(format!("{base}/api/v1/auth/signup"))
        .json(&serde_json::json!({"handle": "reader", "email": "reader@example.org", "password": "correct horse battery"}))
        .send()
        .await?;
    let reader = store.account_by_handle("reader").await?.unwrap();
    store.join(community, reader.id).await?;
    let token: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/tokens"))
        .json(&serde_json::json!({"email": "reader@example.org", "password": "correct horse battery"}))
        .send()
        .await?
        .json()
        .await?;
    Ok(token["token"].as_str().unwrap().to_string())
}
