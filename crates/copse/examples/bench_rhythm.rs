//! Benchmark of the rhythm on a generated community (SQLite): calendar feeds, the rhythm view, an
//! event page, and one worker round that schedules reminders for everyone going.
//!
//! Run: `cargo run --release -p copse --example bench_rhythm -- [series] [members]`
//! (defaults 200 weekly series running for two years and 500 members, each series with 20
//! answers on each of its next four occurrences, an override every tenth week and attendance on
//! its past). Figures go to docs/BENCHMARKS.md; this measures, it asserts nothing about time.

mod support;

use std::sync::Arc;
use std::time::Instant;

use copse_app::mail::{Mailer, Postman};
use copse_app::worker::{Worker, WorkerConfig};
use copse_app::{App, AppConfig};
use copse_core::clock::{Clock, Millis, SystemClock};
use copse_core::domain::*;
use copse_store::testing::TestDb;
use copse_store::{OccurrenceChange, Store};

const DAY: i64 = 24 * 3600 * 1000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = support::args();
    let series = args.first().copied().unwrap_or(200);
    let members = args.get(1).copied().unwrap_or(500);
    let db = TestDb::sqlite(Arc::new(SystemClock)).await?;
    let store = db.store.clone();
    let started = Instant::now();
    let mut people = Vec::new();
    for i in 0..members {
        people.push(support::person(&store, "member", i).await?.id);
    }
    let community = support::community(&store, people[0]).await?;
    for p in &people[1..] {
        store.join(community.id, *p).await?;
    }
    let now = SystemClock.now();
    let (first_event, going) = seed_series(&store, community.id, &people, series, now).await?;
    let seeded = started.elapsed();

    let state = App::new(store.clone(), support::files()?, AppConfig::default());
    let base = support::serve(state.clone()).await?;
    let http = reqwest::Client::new();
    let token = copse_app::calendar::new_feed(&state, people[5]).await?;
    println!(
        "Generated {series} weekly series over two years, {members} members and {going} answers in {:.1} s.\n",
        seeded.as_secs_f64()
    );
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
    support::table(&http, &cases).await;
    worker_round(state, going).await?;
    db.finish().await;
    Ok(())
}

/// Weekly series that began two years ago: an override every tenth week, attendance over the
/// last half year, and 20 answers on each of the next four occurrences. Returns the first
/// series and the number of answers.
async fn seed_series(
    store: &Store,
    community: CommunityId,
    people: &[AccountId],
    series: usize,
    now: Millis,
) -> anyhow::Result<(EventId, usize)> {
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
        let id = store.create_event(community, people[0], &new, &[]).await?;
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
    Ok((first_event, going))
}

/// One worker round: it looks at every answer of the coming weeks, schedules the reminders due
/// now and sends them (to an outbox folder).
async fn worker_round(state: App, going: usize) -> anyhow::Result<()> {
    let outbox = tempfile::tempdir()?;
    let worker = Worker::new(
        state,
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
    Ok(())
}
