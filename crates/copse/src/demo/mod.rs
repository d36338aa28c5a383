//! The demo: three communities of practice with believable people, so that a newcomer sees a
//! living community at once. Filled only into an empty database. Times are spread over the past
//! two years by seeding through a store whose clock walks forward.

mod communities;
mod de;
mod files;
mod gis;
mod ipc;
mod moderation;
mod newsletter;
mod people;
mod practice;
mod private;
mod rhythm;
mod value;

use copse_files::FileStore;
use std::sync::Arc;

use copse_app::{App, AppConfig};
use copse_core::clock::{Clock, FixedClock, SystemClock};
use copse_core::clock::{DAY, HOUR};
use copse_core::domain::*;
use copse_store::Store;
use people::{ENGINEERS, MAPPERS, NURSES};

pub const DEMO_PASSWORD: &str = "copse-demo-2026";
pub const COORDINATOR_EMAIL: &str = "maya.okafor@northfield.example";
pub const MEMBER_EMAIL: &str = "tom.becker@riverside.example";
pub const ADMIN_EMAIL: &str = "admin@copse-demo.example";

/// Who tells the value stories of each community, and who coordinates it.
fn tellers(
    [ipc, de, gis]: [CommunityId; 3],
    [nurses, engineers, mappers]: [&Vec<&str>; 3],
    id: &impl Fn(&str) -> AccountId,
) -> Vec<value::Tellers> {
    [
        (ipc, nurses, "maya"),
        (de, engineers, "lena"),
        (gis, mappers, "amara"),
    ]
    .into_iter()
    .map(|(community, people, coordinator)| value::Tellers {
        community,
        members: people.iter().map(|h| id(h)).collect(),
        coordinator: id(coordinator),
    })
    .collect()
}

/// Levels as they were computed month by month over the last half year (from the ledger the
/// seeding filled), so that the dashboard shows history and movement.
async fn level_history(
    url: &str,
    communities: [CommunityId; 3],
    now: i64,
    files: &FileStore,
) -> anyhow::Result<()> {
    for months_back in (0..=6).rev() {
        let at = FixedClock::at(now - months_back * 30 * DAY);
        let past = Store::connect(url, Arc::new(at)).await?;
        let past_app = App::new(past.clone(), files.clone(), AppConfig::default());
        for community in communities {
            copse_app::participation::recompute(&past_app, community).await?;
        }
        past.close().await;
    }
    Ok(())
}

/// What the seeding of the communities' practice made.
struct Practice {
    threads: usize,
    /// Each community's authors.
    members: [Vec<&'static str>; 3],
    /// Circles, conversations and connection requests.
    private: (usize, usize, usize),
}

/// The communities' threads, long and short, and the members' private life between them. The
/// everyday threads come last and run up to yesterday, so the demo is fresh on any day.
async fn seed_practice(
    store: &Store,
    clock: &FixedClock,
    [ipc, de, gis]: [&Community; 3],
    id: &impl Fn(&str) -> AccountId,
    now: i64,
) -> anyhow::Result<Practice> {
    let mut threads = 0;
    for (community, topics, seeds) in [
        (ipc.id, ipc::IPC_TOPICS, ipc::IPC_THREADS),
        (de.id, de::DE_TOPICS, de::DE_THREADS),
        (gis.id, gis::GIS_TOPICS, gis::GIS_THREADS),
    ] {
        threads += practice::seed(store, clock, community, topics, seeds, id).await?;
    }
    // Private life dated in the past, before the everyday threads reach today.
    let private = private::seed(store, clock, [ipc.id, de.id, gis.id], id, now).await?;
    let nurses: Vec<&str> = NURSES[..12].iter().map(|p| p.0).collect();
    let engineers: Vec<&str> = ENGINEERS
        .iter()
        .map(|p| p.0)
        .filter(|h| *h != "hannah")
        .collect();
    let mappers: Vec<&str> = MAPPERS.iter().map(|p| p.0).collect();
    let everyday = [
        (ipc.id, &nurses, ipc::IPC, ipc::IPC_REPLIES),
        (de.id, &engineers, de::DE, de::DE_REPLIES),
        (gis.id, &mappers, gis::GIS, gis::GIS_REPLIES),
    ]
    .map(|(community, authors, seeds, pool)| practice::Everyday {
        community,
        authors,
        seeds,
        pool,
    });
    threads += practice::seed_everyday(store, clock, &everyday, now - DAY, id).await?;
    Ok(Practice {
        threads,
        members: [nurses, engineers, mappers],
        private,
    })
}

/// Fills the demo into an empty database; does nothing if any account exists.
pub async fn fill_if_empty(live: &Store, files: &FileStore) -> anyhow::Result<()> {
    if live.count_accounts().await? > 0 {
        println!("The database already has accounts; the demo is not added again.");
        print_sign_in();
        return Ok(());
    }
    // Seed through a second store whose clock starts two years ago and walks forward, so that
    // join dates and histories look like a community's real past.
    let now = SystemClock.now();
    let clock = FixedClock::at(now - 730 * DAY);
    let url = live.url().to_string();
    let store = Store::connect(&url, Arc::new(clock.clone())).await?;
    let ids = communities::people(&store).await?;
    let id = |h: &str| ids[h];
    clock.advance(DAY);
    let ipc = communities::ipc(&store, &clock, &id).await?;
    clock.advance(20 * DAY);
    let de = communities::data_engineering(&store, &clock, &id).await?;
    clock.advance(15 * DAY);
    let gis = communities::open_gis(&store, &clock, &id).await?;
    communities::ties(&store, &clock, [ipc.id, de.id, gis.id], &id).await?;

    let practice = seed_practice(&store, &clock, [&ipc, &de, &gis], &id, now).await?;
    let (threads, (circles, conversations, connections)) = (practice.threads, practice.private);
    let [nurses, engineers, mappers] = &practice.members;

    // The rhythm is seeded at today's date: past occurrences held, the coming ones answered.
    // The clock stands two hours before the real time, so that what it dates from here on
    // (answers, files, flags) is in the past when the site starts, never in the future.
    clock.set(now - 2 * HOUR);
    let today = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .date_naive();
    let mut events = 0;
    for plan in rhythm_plans([ipc.id, de.id, gis.id], [nurses, engineers, mappers]) {
        events += rhythm::seed(&store, &clock, today, &plan, &id).await?;
    }
    let tellers = tellers([ipc.id, de.id, gis.id], [nurses, engineers, mappers], &id);
    // Value stories over the last months, credited to the communities' own threads and the
    // events held by then — through a store whose clock walks those months again.
    let story_clock = FixedClock::at(now - 270 * DAY);
    let story_store = Store::connect(&url, Arc::new(story_clock.clone())).await?;
    let stories = value::seed(&story_store, &story_clock, &tellers, now).await?;
    story_store.close().await;
    let checkins = value::seed_checkins(&store, &tellers, now).await?;
    moderation::seed(&store, &ipc, &id).await?;
    let newsletters = newsletter::seed(
        &url,
        &[
            (ipc.slug.as_str().to_string(), id("maya")),
            (de.slug.as_str().to_string(), id("lena")),
            (gis.slug.as_str().to_string(), id("amara")),
        ],
        now,
        files,
    )
    .await?;

    let shared = files::seed(
        &App::new(store.clone(), files.clone(), AppConfig::default()),
        &ids,
        ipc.slug.as_str(),
    )
    .await?;

    store.backfill_activity().await?;
    store.close().await;
    level_history(&url, [ipc.id, de.id, gis.id], now, files).await?;
    println!(
        "The demo is ready: 3 communities, {} people, {threads} threads, {events} events and series, \
         {circles} circles, {conversations} conversations, {connections} connection requests, \
         {stories} value stories, {checkins} check-in rounds, {newsletters} newsletter issues, \
         {shared} files and pictures.",
        ids.len()
    );
    print_sign_in();
    Ok(())
}

fn rhythm_plans<'a>(
    [ipc, de, gis]: [CommunityId; 3],
    [nurses, engineers, mappers]: [&'a [&'a str]; 3],
) -> [rhythm::Plan<'a>; 3] {
    [
        ipc_plan(ipc, nurses),
        de_plan(de, engineers),
        gis_plan(gis, mappers),
    ]
}

/// The rhythm of the nurses' community.
fn ipc_plan<'a>(community: CommunityId, members: &'a [&'a str]) -> rhythm::Plan<'a> {
    use chrono::Weekday::*;
    rhythm::Plan {
        community,
        time_zone: "Europe/London",
        hosts: ["maya", "henrik"],
        members,
        monthly: ("Monthly IPC practice meeting", Tue, 2, 14, 0),
        monthly_about: "Our monthly meeting on the second Tuesday: one ward shares a case, we compare audit \
            results, and we agree on one thing to try before next time.\n\n**Agenda** is in the notes of \
            each meeting.",
        weekly: ("Office hour: ask an IPC nurse", Thu, 12, 30),
        weekly_about: "Half an hour every Thursday for link nurses and newcomers: bring any question.",
        seminar: (
            "Seminar: screening for Candida auris",
            "A microbiologist walks us through screening, cleaning and what to tell patients. Places are \
             limited to the room.",
        ),
        meetup: (
            "Meetup: hand-hygiene audits, what works",
            "An evening to swap audit forms and stories over tea.",
        ),
        recaps: &[
            "We compared hand-hygiene audit results across four wards. **Try next:** observation at the \
             start of the late shift.",
            "Case: a norovirus cluster on an elderly-care ward. Lessons: close bays early, tell families \
             the same day.",
            "We agreed a shared checklist for commode cleaning; it is in the library.",
        ],
    }
}

/// The rhythm of the data engineers' community.
fn de_plan<'a>(community: CommunityId, members: &'a [&'a str]) -> rhythm::Plan<'a> {
    use chrono::Weekday::*;
    rhythm::Plan {
        community,
        time_zone: "Europe/Berlin",
        hosts: ["lena", "raj"],
        members,
        monthly: ("Data-quality clinic", Wed, 1, 17, 0),
        monthly_about: "First Wednesday of the month: bring a broken pipeline or a flaky test and we \
            debug it together.",
        weekly: ("Pairing hour", Fri, 10, 0),
        weekly_about: "Pair with someone from another team on whatever you are stuck on.",
        seminar: (
            "Seminar: incremental models without tears",
            "How three teams moved from nightly full loads to incremental models.",
        ),
        meetup: (
            "Meetup: data contracts in practice",
            "Lightning talks on data contracts: what held up, what did not.",
        ),
        recaps: &[
            "Debugged a late-arriving-data bug; the fix was a watermark, not a retry.",
            "Reviewed two dbt projects' test suites; agreed on naming for freshness checks.",
        ],
    }
}

/// The rhythm of the map makers' community.
fn gis_plan<'a>(community: CommunityId, members: &'a [&'a str]) -> rhythm::Plan<'a> {
    use chrono::Weekday::*;
    rhythm::Plan {
        community,
        time_zone: "UTC",
        hosts: ["amara", "joost"],
        members,
        monthly: ("Monthly mapathon", Sat, 3, 14, 0),
        monthly_about: "Third Saturday: we map one area together for a humanitarian project, newcomers \
            welcome — we pair you with someone experienced.",
        weekly: ("QGIS help desk", Wed, 16, 0),
        weekly_about: "Drop in with your QGIS or PostGIS question.",
        seminar: (
            "Seminar: vector tiles from PostGIS",
            "From a table to MapLibre in an hour, with the pitfalls we hit.",
        ),
        meetup: (
            "Meetup: field data collection offline",
            "Show-and-tell of offline data collection setups.",
        ),
        recaps: &[
            "Mapped 1,240 buildings for the flood-risk project; validation next time.",
            "Newcomers learned tasking manager basics; three validated their first squares.",
        ],
    }
}

fn print_sign_in() {
    println!("Sign in as the demo coordinator: {COORDINATOR_EMAIL} / {DEMO_PASSWORD}");
    println!("Sign in as a demo member:        {MEMBER_EMAIL} / {DEMO_PASSWORD}");
    println!("Sign in as the site admin:       {ADMIN_EMAIL} / {DEMO_PASSWORD}");
}

#[cfg(test)]
mod tests {
    use super::people::{Person, handle_email};
    use super::*;

    #[test]
    fn demo_people_are_valid_and_diverse() {
        let all: Vec<&Person> = NURSES.iter().chain(ENGINEERS).chain(MAPPERS).collect();
        assert!(all.len() >= 40);
        let orgs: std::collections::HashSet<_> = all.iter().map(|p| p.2).collect();
        assert!(orgs.len() >= 5);
        for p in &all {
            Handle::parse(p.0).unwrap();
            Email::parse(&handle_email(p.0, p.2)).unwrap();
            parse_time_zone(p.5).unwrap();
        }
        let handles: std::collections::HashSet<_> = all.iter().map(|p| p.0).collect();
        assert_eq!(handles.len(), all.len(), "handles are unique");
    }
}
