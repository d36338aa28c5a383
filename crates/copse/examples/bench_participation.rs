//! Benchmark of participation levels (SQLite): recomputing every member's level from the ledger,
//! and reading the dashboard.
//!
//! Run: `cargo run --release -p copse --example bench_participation -- [members] [entries]`
//! (defaults 10000 members and 1000000 ledger entries over a year). Figures go to
//! docs/BENCHMARKS.md; this measures, it asserts nothing about time.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use copse_app::{App, AppConfig};
use copse_core::clock::{Clock, SystemClock};
use copse_core::domain::*;
use copse_store::testing::{TestDb, seed_bulk_participation};
use copse_web::{WebConfig, WebState};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let members = args.first().copied().unwrap_or(10_000);
    let entries = args.get(1).copied().unwrap_or(1_000_000);
    let db = TestDb::sqlite(Arc::new(SystemClock)).await?;
    let store = db.store.clone();
    let owner = store
        .create_account(&NewAccount {
            handle: Handle::parse("owner")?,
            email: Email::parse("owner@example.org")?,
            password_hash: "x".into(),
            profile: Profile {
                display_name: "Owner".into(),
                ..Profile::default()
            },
            is_admin: false,
        })
        .await?;
    let community = store
        .create_community(
            &NewCommunity {
                slug: Slug::parse("bench")?,
                name: "Bench".into(),
                domain_statement: "Generated.".into(),
                visibility: Visibility::Public,
                listed: true,
                join_policy: JoinPolicy::Open,
                join_questions: vec![],
                stage: Stage::Maturing,
            },
            owner.id,
        )
        .await?;
    let started = Instant::now();
    let now = SystemClock.now();
    seed_bulk_participation(&store, community.id, members, entries, 365, now, 7).await?;
    println!(
        "Generated {members} members and {entries} ledger entries over a year in {:.1} s.\n",
        started.elapsed().as_secs_f64()
    );
    let state = App::new(store.clone(), AppConfig::default());
    for round in ["first (all levels new)", "second (few changes)"] {
        let t = Instant::now();
        let changed = copse_app::participation::recompute(&state, community.id).await?;
        println!(
            "Recompute, {round}: {:.2} s, {changed} levels changed",
            t.elapsed().as_secs_f64()
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = copse_web::router(WebState::new(state, WebConfig::default()))
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = reqwest::Client::new();
    let base = format!("http://{addr}");
    http.post(format!("{base}/api/v1/auth/signup"))
        .json(&serde_json::json!({"handle": "reader", "email": "reader@example.org", "password": "correct horse battery"}))
        .send()
        .await?;
    let reader = store.account_by_handle("reader").await?.unwrap();
    store.join(community.id, reader.id).await?;
    let token: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/tokens"))
        .json(&serde_json::json!({"email": "reader@example.org", "password": "correct horse battery"}))
        .send()
        .await?
        .json()
        .await?;
    let token = token["token"].as_str().unwrap().to_string();
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
