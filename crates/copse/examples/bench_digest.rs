//! Benchmark of personal digests and the community newsletter (SQLite): building and rendering
//! the weekly digest of every member of a community, then a drafted newsletter issue for every
//! member, batch by batch as the worker does, without SMTP.
//!
//! Run: `cargo run --release -p copse --example bench_digest -- [members] [threads] [events]`
//! (defaults 10000 members, 3000 new threads in the week and 500 upcoming one-off events).
//! Figures go to docs/BENCHMARKS.md; this measures, it asserts nothing about time.

mod support;

use std::sync::Arc;
use std::time::Instant;

use copse_app::digests::mail::render;
use copse_app::mail::delivery::BATCH;
use copse_app::{App, AppConfig};
use copse_core::clock::{Clock, FixedClock};
use copse_core::domain::email::{DigestCadence, latest_period};
use copse_core::domain::*;
use copse_store::Store;
use copse_store::testing::{TestDb, seed_bulk_participation, seed_bulk_practice};

/// Sunday 2029-12-30, 12:00 UTC: the week's activity is seeded up to here.
const SUNDAY: i64 = 1_893_326_400_000;
/// Monday 2029-12-31, 08:00 UTC: the weekly digest is due.
const MONDAY: i64 = 1_893_398_400_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = support::args();
    let members = args.first().copied().unwrap_or(10_000);
    let threads = args.get(1).copied().unwrap_or(3_000);
    let events = args.get(2).copied().unwrap_or(500);
    let clock = FixedClock::at(SUNDAY);
    let db = TestDb::sqlite(Arc::new(clock.clone())).await?;
    let store = db.store.clone();
    let started = Instant::now();
    let owner = support::person(&store, "owner", 0).await?;
    let community = support::community(&store, owner.id).await?;
    // Members who joined long ago (no newcomers to welcome), no visits (nothing seen yet).
    let people = seed_bulk_participation(
        &store,
        community.id,
        members,
        0,
        60,
        SUNDAY - 60 * 86_400_000,
        7,
    )
    .await?;
    seed_bulk_practice(
        &store,
        community.id,
        &people[..people.len().min(200)],
        threads,
        0,
        11,
    )
    .await?;
    seed_events(&store, community.id, owner.id, events).await?;
    println!(
        "Generated {members} members, {threads} threads in the week and {events} events in {:.1} s.\n",
        started.elapsed().as_secs_f64()
    );

    clock.set(MONDAY);
    let state = App::new(
        store.clone(),
        support::files()?,
        AppConfig {
            base_url: Some("https://copse.example".into()),
            ..AppConfig::default()
        },
    );
    weekly_digest(&state, &store, &clock).await?;
    newsletter(&state, &store, owner.id).await
}

/// One-off events over the two weeks after Monday.
async fn seed_events(
    store: &Store,
    community: CommunityId,
    owner: AccountId,
    events: usize,
) -> anyhow::Result<()> {
    let monday = chrono::DateTime::from_timestamp_millis(MONDAY)
        .unwrap()
        .date_naive();
    for e in 0..events {
        let day = monday + chrono::Duration::days((e % 13) as i64 + 1);
        let new = NewEvent::parse(&EventInput {
            title: format!("Session {e}"),
            description: "Generated.".into(),
            time_zone: "Europe/Berlin".into(),
            start: format!("{}T{:02}:00", day.format("%Y-%m-%d"), 8 + e % 10),
            end: format!("{}T{:02}:45", day.format("%Y-%m-%d"), 8 + e % 10),
            ..EventInput::default()
        })?;
        store.create_event(community, owner, &new, &[]).await?;
    }
    Ok(())
}

/// Every member's weekly digest, built and rendered batch by batch as the worker does.
async fn weekly_digest(state: &App, store: &Store, clock: &FixedClock) -> anyhow::Result<()> {
    let period = latest_period(DigestCadence::Weekly, clock.now()).unwrap();
    let started = Instant::now();
    let (mut after, mut batches, mut messages, mut bytes, mut items) = (AccountId(0), 0, 0, 0, 0);
    loop {
        let recipients = store
            .digest_recipients(DigestCadence::Weekly, after, BATCH)
            .await?;
        let Some(last) = recipients.last().map(|r| r.id) else {
            break;
        };
        let ids: Vec<AccountId> = recipients.iter().map(|r| r.id).collect();
        let tokens = store.unsubscribe_tokens(&ids).await?;
        for d in copse_app::digests::build(state, &period, recipients).await? {
            if d.items() == 0 {
                continue;
            }
            let mail = render(state, &period, &d, &tokens[&d.recipient.id])?;
            messages += 1;
            items += d.items();
            bytes += mail.text.len() + mail.html.len();
        }
        batches += 1;
        after = last;
    }
    let took = started.elapsed();
    println!(
        "Weekly digest: {messages} messages ({items} lines, {:.1} MB of text and HTML) in {batches} batches of {BATCH}: \
         {:.2} s, {:.0} ms per batch.",
        bytes as f64 / 1e6,
        took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / batches.max(1) as f64
    );

    Ok(())
}

/// The community newsletter: the coordinator drafts an issue from the last month (its
/// highlights, the events coming up) and every member's copy is made, batch by batch.
async fn newsletter(state: &App, store: &Store, owner: AccountId) -> anyhow::Result<()> {
    let coordinator = copse_core::policy::Actor::Account {
        id: owner,
        is_admin: false,
        must_verify: false,
    };
    let issue = copse_app::newsletters::draft_now(state, &coordinator, "bench").await?;
    store.start_newsletter(issue.id).await?;
    let issue = store
        .newsletter_by_id(issue.id)
        .await?
        .expect("the issue just drafted");
    let references = copse_core::domain::newsletter::references(&issue.body)?.len();
    let started = Instant::now();
    let (mut after, mut batches, mut messages, mut bytes, mut items) = (AccountId(0), 0, 0, 0, 0);
    loop {
        let (copies, next) = copse_app::newsletters::delivery::copies(state, &issue, after).await?;
        for c in &copies {
            messages += 1;
            items += c.items;
            bytes += c.mail.text.len() + c.mail.html.len();
        }
        batches += 1;
        match next {
            Some(n) => after = n,
            None => break,
        }
    }
    let took = started.elapsed();
    println!(
        "Newsletter ({references} references): {messages} copies ({items} links, {:.1} MB of text and HTML) \
         in {batches} batches of {BATCH}: {:.2} s, {:.0} ms per batch.",
        bytes as f64 / 1e6,
        took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / batches.max(1) as f64
    );
    Ok(())
}
