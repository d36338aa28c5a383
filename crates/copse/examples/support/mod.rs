//! What the benchmarks share: their arguments, the generated community's first people and the
//! community itself, a server on a free port, and the timing of a GET.
//!
//! Each benchmark uses part of it, so the unused rest is allowed per benchmark.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use copse_app::App;
use copse_core::domain::*;
use copse_store::Store;
use copse_web::{WebConfig, WebState};

/// The numbers given on the command line, in order.
pub fn args() -> Vec<usize> {
    std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect()
}

/// An account `{prefix}{i}` ("Prefix i") that never signs in.
pub async fn person(store: &Store, prefix: &str, i: usize) -> anyhow::Result<Account> {
    let mut name = prefix.to_string();
    name[..1].make_ascii_uppercase();
    Ok(store
        .create_account(&NewAccount {
            handle: Handle::parse(&format!("{prefix}{i}"))?,
            email: Email::parse(&format!("{prefix}{i}@example.org"))?,
            password_hash: "x".into(),
            profile: Profile {
                display_name: format!("{name} {i}"),
                ..Profile::default()
            },
            is_admin: false,
            email_verified: true,
        })
        .await?)
}

/// The public, open community "bench", coordinated by `owner`.
pub async fn community(store: &Store, owner: AccountId) -> anyhow::Result<Community> {
    Ok(store
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
            owner,
        )
        .await?)
}

/// File storage for a benchmark: a folder under the system's temporary folder.
pub fn files() -> anyhow::Result<copse_files::FileStore> {
    let dir = std::env::temp_dir().join(format!("copse-bench-files-{}", std::process::id()));
    copse_files::FileStore::open(&copse_files::Location::Folder(dir))
        .map_err(|e| anyhow::anyhow!("{}", e.report()))
}

/// The whole router on a free local port; returns its base address.
pub async fn serve(state: App) -> anyhow::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = copse_web::router(WebState::new(state, WebConfig::default()))
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Ok(format!("http://{addr}"))
}

/// `runs` GETs of `url` one after another: median, 95th percentile and the body's size.
pub async fn time_get(
    http: &reqwest::Client,
    url: &str,
    runs: usize,
) -> (Duration, Duration, usize) {
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

/// Times each (name, url) case and prints it as a Markdown table row.
pub async fn table(http: &reqwest::Client, cases: &[(&str, String)]) {
    println!("| case | median | p95 | bytes |");
    println!("|---|---:|---:|---:|");
    for (name, url) in cases {
        let (median, p95, bytes) = time_get(http, url, 20).await;
        println!(
            "| {name} | {:.1} ms | {:.1} ms | {bytes} |",
            median.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0
        );
    }
}
