//! Benchmark of the rhythm on a generated community (SQLite): calendar feeds, the rhythm view, an
//! event page, and one worker round that schedules reminders for everyone going.
//!
//! Run: `cargo run --release -p copse --example bench_rhythm -- [series] [members]`
//! (defaults 200 weekly series running for two years and 500 members, each series with 20
//! answers on each of its next four occurrences, an override every tenth week and attendance on
//! its past). Figures go to docs/BENCHMARKS.md; this measures, it asserts nothing about time.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use copse_app::mail::{Mailer, Postman};
use copse_app::worker::{Worker, WorkerConfig};
use copse_app::{App, AppConfig};
use copse_core::clock::{Clock, SystemClock};
use copse_core::domain::Attendee;
use copse_core::domain::RsvpStatus;
use copse_core::domain::*;
use copse_store::OccurrenceChange;
use copse_store::testing::TestDb;
use copse_web::{WebConfig, WebState};

const DAY: i64 = 24 * 3600 * 1000;

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
    let series = args.first().copied().unwrap_or(200);
    let members = args.get(1).copied().unwrap_or(500);
    let db = TestDb::sqlite(Arc::new(SystemClock)).await?;
    let store = db.store.clone();
    let started = Instant::now();
    let mut people = Vec::new();
    for i in 0..members {
        let a = store
            .create_account(&NewAccount {
                handle: Handle::parse(&format!("member{i}"))?,
                email: Email::parse(&format!("member{i}@example.org"))?,
                password_hash: "x".into(),
                profile: Profile {
                    display_name: format!("Member {i}"),
                    ..Profile::default()
                },
                is_admin: false,
            })
            .await?;
        people.push(a.id);
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
            people[0],
        )
        .await?;
    for p in &people[1..] {
        store.join(community.id, *p).await?;
    }
    let now = SystemClock.now();
    let two_years_ago = chrono::DateTime::from_timestamp_millis(now - 730 * DAY)
        .unwrap()
        .date_naive();
    let mut first_event = 0;
    let mut going = 0;
    for s in 0..series {
        let mut day = two_years_ago + chrono::Duration::days((s % 7) as i64);
        let code = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
            [chrono::Datelike::weekday(&day).num_days_from_monday() as usize];
        day = day.max(two_years_ago);
        let new = NewEvent::parse(&EventInput {
            title: format!("Weekly session {s}; bring questions, and cases"),
            description: "Generated series.\nWith two lines.".into(),
            time_zone: "Europe/Berlin".into(),
            start: format!("{}T{:02}:00", day.format("%Y-%m-%d"), 8 + s % 10),
            end: format!("{}T{:02}:45", day.format("%Y-%m-%d"), 8 + s % 10),
            rule: Some(format!("FREQ=WEEKLY;BYDAY={code}")),
            place: Some("Room 4".into()),
            ..EventInput::default()
        })?;
        let id = store
            .create_event(community.id, people[0], &new, &[])
            .await?;
        if s == 0 {
            first_event = id;
        }
        let event = store.event(id).await?.unwrap();
        let past = event.scheduled_starts(event.first_start, now, 200)?;
        for (i, key) in past.iter().enumerate() {
            if i % 10 == 0 {
                store
                    .change_occurrence(id, *key, &OccurrenceChange::Cancel(true))
                    .await?;
            } else if i + 26 > past.len() {
                // Attendance over the last half year.
                for p in people.iter().skip((s + i) % 50).take(8) {
                    store
                        .check_in(&event, *key, &Attendee::Member(*p), people[0])
                        .await?;
                }
            }
        }
        for key in event.scheduled_starts(now, now + 28 * DAY, 4)? {
            for p in people.iter().skip(s % 100).take(20) {
                store.rsvp(&event, key, *p, RsvpStatus::Going).await?;
                going += 1;
            }
        }
    }
    let seeded = started.elapsed();

    let state = App::new(store.clone(), AppConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = copse_web::router(WebState::new(state.clone(), WebConfig::default()))
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let base = format!("http://{addr}");
    let http = reqwest::Client::new();
    let token = copse_app::calendar::new_feed(&state, people[5]).await?;

    println!(
        "Generated {series} weekly series over two years, {members} members and {going} answers in {:.1} s.\n",
        seeded.as_secs_f64()
    );
    println!("| case | median | p95 | bytes |");
    println!("|---|---:|---:|---:|");
    let cases = [
        (
            "community calendar feed (.ics)",
            format!("{base}/c/bench/calendar.ics"),
        ),
        ("personal calendar feed (.ics)", format!("{base}{token}")),
        (
            "rhythm view (API)",
            format!("{base}/api/v1/communities/bench/rhythm"),
        ),
        ("rhythm page (HTML)", format!("{base}/c/bench/rhythm")),
        ("events page (HTML)", format!("{base}/c/bench/events")),
        ("event page (HTML)", format!("{base}/e/{first_event}")),
        (
            "one event (.ics)",
            format!("{base}/e/{first_event}/calendar.ics"),
        ),
    ];
    for (name, url) in cases {
        let (median, p95, bytes) = time_get(&http, &url, 20).await;
        println!(
            "| {name} | {:.1} ms | {:.1} ms | {bytes} |",
            median.as_secs_f64() * 1000.0,
            p95.as_secs_f64() * 1000.0
        );
    }
    // One worker round: it looks at every answer of the coming weeks, schedules the reminders
    // due now and sends them (to an outbox folder).
    let outbox = tempfile::tempdir()?;
    let worker = Worker::new(
        state.clone(),
        Postman {
            mailer: Mailer::new(None, outbox.path().to_path_buf())?,
            from: "copse <copse@localhost>".into(),
            stop_after: None,
        },
        WorkerConfig::default(),
    );
    let round = Instant::now();
    worker.tick().await?;
    let sent = std::fs::read_dir(outbox.path()).map_or(0, |d| d.count());
    println!(
        "\nWorker round over {going} answers: {:.1} ms, {sent} reminders sent",
        round.elapsed().as_secs_f64() * 1000.0
    );
    db.finish().await;
    Ok(())
}
