//! Benchmark of the practice surfaces on a generated community (SQLite):
//! thread list pages, a thread page with 500 replies, and search.
//!
//! Run: `cargo run --release -p copse --example bench_practice -- [threads] [replies_per_thread]`
//! (defaults 100000 and 5: 100,000 threads and 500,000 replies). Figures go to
//! docs/BENCHMARKS.md; this is a measurement, not a test, and asserts nothing about time.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use copse_app::{App, AppConfig};
use copse_core::clock::SystemClock;
use copse_core::domain::*;
use copse_store::testing::{TestDb, seed_bulk_practice};
use copse_web::{WebConfig, WebState};

async fn time_get(http: &reqwest::Client, url: &str, runs: usize) -> (Duration, Duration, usize) {
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let r = http.get(url).send().await.unwrap();
        assert!(r.status().is_success(), "{url}: {}", r.status());
        bytes = r.bytes().await.unwrap().len();
        times.push(start.elapsed());
    }
    times.sort();
    (times[runs / 2], times[runs * 95 / 100], bytes)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let threads = args.first().copied().unwrap_or(100_000);
    let replies = args.get(1).copied().unwrap_or(5);
    let db = TestDb::sqlite(Arc::new(SystemClock)).await?;
    let store = db.store.clone();
    let mut authors = Vec::new();
    for i in 0..50 {
        let a = store
            .create_account(&NewAccount {
                handle: Handle::parse(&format!("author{i}"))?,
                email: Email::parse(&format!("author{i}@example.org"))?,
                password_hash: "x".into(),
                profile: Profile {
                    display_name: format!("Author {i}"),
                    ..Profile::default()
                },
                is_admin: false,
            })
            .await?;
        authors.push(a.id);
    }
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
            authors[0],
        )
        .await?;
    let started = Instant::now();
    seed_bulk_practice(&store, community.id, &authors, threads, replies, 7).await?;
    // One more thread with 500 replies, the newest.
    seed_bulk_practice(&store, community.id, &authors, 1, 500, 11).await?;
    let seeded = started.elapsed();
    let big = threads as i64 + 1;

    let state = App::new(store.clone(), AppConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = copse_web::router(WebState::new(state, WebConfig::default()))
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let base = format!("http://{addr}");
    let http = reqwest::Client::new();

    // A cursor five pages deep.
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
    let cases = [
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
    ];
    println!(
        "Generated {threads} threads and {} replies in {:.1} s.\n",
        threads * replies + 500,
        seeded.as_secs_f64()
    );
    println!("| case | median | p95 | bytes |");
    println!("|---|---:|---:|---:|");
    for (name, url) in cases {
        let (median, p95, bytes) = time_get(&http, &url, 20).await;
        println!(
            "| {name} | {:.1} ms | {:.1} ms | {bytes} |",
            median.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0
        );
    }
    db.finish().await;
    Ok(())
}
