//! The demo: three communities of practice with believable people, so that a newcomer sees a
//! living community at once. Filled only into an empty database. Times are spread over the past
//! two years by seeding through a store whose clock walks forward.

mod more;
mod newsletter;
mod practice;
mod private;
mod rhythm;
mod value;

use std::sync::Arc;

use anyhow::Context;
use copse_app::passwords;
use copse_app::{App, AppConfig};
use copse_core::clock::{Clock, FixedClock, SystemClock};
use copse_core::domain::*;
use copse_store::{Invitee, Store};

pub const DEMO_PASSWORD: &str = "copse-demo-2026";
pub const COORDINATOR_EMAIL: &str = "maya.okafor@northfield.example";
pub const MEMBER_EMAIL: &str = "tom.becker@riverside.example";

const DAY: i64 = 24 * 3600 * 1000;

/// (handle, name, organisation, department, country, time zone, expertise, bio)
type Person = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static str,
);

const NURSES: &[Person] = &[
    (
        "maya",
        "Maya Okafor",
        "Northfield General Hospital",
        "Infection Prevention",
        "United Kingdom",
        "Europe/London",
        &["Hand hygiene audits", "Outbreak management", "MRSA"],
        "Lead IPC nurse at Northfield for nine years. Happy to share our audit tools and our norovirus playbook.",
    ),
    (
        "tom_becker",
        "Tom Becker",
        "Riverside University Hospital",
        "Intensive Care",
        "Germany",
        "Europe/Berlin",
        &["Central line care", "Ventilator bundles"],
        "ICU nurse, link nurse for infection control on ward 4B.",
    ),
    (
        "aoife",
        "Aoife Byrne",
        "St Brigid's Hospital",
        "Infection Prevention",
        "Ireland",
        "Europe/Dublin",
        &["Surveillance", "C. difficile"],
        "Surveillance nurse. I like turning ward data into something people read.",
    ),
    (
        "lucie",
        "Lucie Marchand",
        "Hôpital Saint-Clair",
        "Hygiène hospitalière",
        "France",
        "Europe/Paris",
        &["Sterilisation", "Endoscope reprocessing"],
        "Infirmière hygiéniste; I run our endoscope reprocessing training.",
    ),
    (
        "samir",
        "Samir Haddad",
        "Northfield General Hospital",
        "Emergency Department",
        "United Kingdom",
        "Europe/London",
        &["Triage isolation", "PPE"],
        "ED charge nurse trying to get isolation right in a crowded department.",
    ),
    (
        "grace",
        "Grace Mensah",
        "Lakeshore Children's Hospital",
        "Paediatrics",
        "Canada",
        "America/Toronto",
        &["Paediatric IPC", "Family education"],
        "Paediatric nurse educator.",
    ),
    (
        "henrik",
        "Henrik Dahl",
        "Riverside University Hospital",
        "Infection Prevention",
        "Germany",
        "Europe/Berlin",
        &["Antimicrobial stewardship", "Surveillance"],
        "IPC specialist, co-chair of our stewardship group.",
    ),
    (
        "priya",
        "Priya Raman",
        "St Brigid's Hospital",
        "Surgical Ward",
        "Ireland",
        "Europe/Dublin",
        &["Surgical site infection"],
        "Ward manager on a busy general surgery ward.",
    ),
    (
        "jonas",
        "Jonas Weber",
        "Lakeshore Children's Hospital",
        "Infection Prevention",
        "Canada",
        "America/Toronto",
        &["Vaccination programmes", "Staff health"],
        "Occupational health and IPC.",
    ),
    (
        "elena",
        "Elena Rossi",
        "Hôpital Saint-Clair",
        "Réanimation",
        "France",
        "Europe/Paris",
        &["Ventilator bundles"],
        "Night-shift ICU nurse.",
    ),
    (
        "fatima",
        "Fatima Zahra",
        "Northfield General Hospital",
        "Renal Unit",
        "United Kingdom",
        "Europe/London",
        &["Dialysis line care"],
        "Renal nurse; interested in line infections.",
    ),
    (
        "kwame",
        "Kwame Asante",
        "Riverside University Hospital",
        "Theatres",
        "Germany",
        "Europe/Berlin",
        &["Theatre hygiene"],
        "Scrub nurse.",
    ),
    (
        "ines",
        "Inês Carvalho",
        "St Brigid's Hospital",
        "Maternity",
        "Ireland",
        "Europe/Dublin",
        &["Maternity IPC"],
        "Midwife with an IPC link role.",
    ),
    (
        "oliver",
        "Oliver Grant",
        "Lakeshore Children's Hospital",
        "Neonatal ICU",
        "Canada",
        "America/Toronto",
        &["Neonatal sepsis"],
        "NICU nurse.",
    ),
    (
        "nadia",
        "Nadia Petrova",
        "Hôpital Saint-Clair",
        "Qualité",
        "France",
        "Europe/Paris",
        &["Audit design"],
        "Quality manager; observing how nurses run audits.",
    ),
];

const ENGINEERS: &[Person] = &[
    (
        "lena",
        "Lena Fischer",
        "Alder & Finch Insurance",
        "Data Platform",
        "Germany",
        "Europe/Berlin",
        &["Airflow", "Data contracts", "dbt"],
        "Runs the central data platform team. Ask me about data contracts.",
    ),
    (
        "raj",
        "Raj Patel",
        "Alder & Finch Insurance",
        "Claims",
        "United Kingdom",
        "Europe/London",
        &["Spark", "Fraud models"],
        "Data engineer in Claims; our pipelines feed the fraud models.",
    ),
    (
        "sofia",
        "Sofia Lindqvist",
        "Alder & Finch Insurance",
        "Underwriting",
        "Sweden",
        "Europe/Stockholm",
        &["Pricing data", "SQL performance"],
        "Analytics engineer for pricing.",
    ),
    (
        "marcus",
        "Marcus Brown",
        "Alder & Finch Insurance",
        "Finance",
        "United Kingdom",
        "Europe/London",
        &["Reconciliation", "Data quality"],
        "Finance data lead: month-end close without spreadsheets is my mission.",
    ),
    (
        "yuki",
        "Yuki Tanaka",
        "Alder & Finch Insurance",
        "Marketing",
        "Netherlands",
        "Europe/Amsterdam",
        &["Event tracking", "Consent data"],
        "Marketing analytics and consent-aware tracking.",
    ),
    (
        "carlos",
        "Carlos Mendes",
        "Alder & Finch Insurance",
        "Customer Service",
        "Portugal",
        "Europe/Lisbon",
        &["Streaming", "Kafka"],
        "Builds the real-time feeds for the contact centre.",
    ),
    (
        "anna",
        "Anna Kowalska",
        "Alder & Finch Insurance",
        "Data Platform",
        "Poland",
        "Europe/Warsaw",
        &["Terraform", "Cost control"],
        "Platform engineer; I watch the cloud bill so you don't have to.",
    ),
    (
        "david",
        "David Cohen",
        "Alder & Finch Insurance",
        "Risk",
        "United Kingdom",
        "Europe/London",
        &["Regulatory reporting"],
        "Solvency II reporting pipelines.",
    ),
    (
        "mei",
        "Mei Chen",
        "Alder & Finch Insurance",
        "Underwriting",
        "Netherlands",
        "Europe/Amsterdam",
        &["Feature stores"],
        "ML engineer on the pricing team.",
    ),
    (
        "pablo",
        "Pablo Ruiz",
        "Alder & Finch Insurance",
        "Claims",
        "Spain",
        "Europe/Madrid",
        &["Document pipelines", "OCR"],
        "Turns scanned claims into data.",
    ),
    (
        "hannah",
        "Hannah Schulz",
        "Alder & Finch Insurance",
        "HR",
        "Germany",
        "Europe/Berlin",
        &["People analytics"],
        "People analytics; new to data engineering.",
    ),
    (
        "ali",
        "Ali Demir",
        "Alder & Finch Insurance",
        "IT Security",
        "Germany",
        "Europe/Berlin",
        &["Access control", "PII handling"],
        "Security engineer who cares about where personal data flows.",
    ),
    (
        "zoe",
        "Zoe Williams",
        "Alder & Finch Insurance",
        "Finance",
        "United Kingdom",
        "Europe/London",
        &["dbt"],
        "Junior analytics engineer.",
    ),
];

const MAPPERS: &[Person] = &[
    (
        "amara",
        "Amara Njoroge",
        "Terrascope Labs",
        "Field Mapping",
        "Kenya",
        "Africa/Nairobi",
        &["OpenStreetMap", "Field data collection", "QGIS"],
        "Leads community mapping projects in Nairobi's informal settlements.",
    ),
    (
        "joost",
        "Joost van Dijk",
        "Municipality of Utrecht",
        "GIS Office",
        "Netherlands",
        "Europe/Amsterdam",
        &["PostGIS", "Cadastral data"],
        "Municipal GIS engineer; we publish our base maps as open data.",
    ),
    (
        "beatriz",
        "Beatriz Souza",
        "GeoForge Cooperative",
        "Engineering",
        "Brazil",
        "America/Sao_Paulo",
        &["Vector tiles", "MapLibre"],
        "Builds vector tile pipelines for NGOs.",
    ),
    (
        "arjun",
        "Arjun Mehta",
        "Mapwise Foundation",
        "Disaster Response",
        "India",
        "Asia/Kolkata",
        &["Flood mapping", "Remote sensing"],
        "Flood mapping for disaster response; Sentinel-1 nerd.",
    ),
    (
        "ingrid",
        "Ingrid Solberg",
        "Nordic Mapping Institute",
        "Research",
        "Norway",
        "Europe/Oslo",
        &["Projections", "GDAL"],
        "Researcher. Ask me anything about coordinate reference systems.",
    ),
    (
        "kofi",
        "Kofi Boateng",
        "Terrascope Labs",
        "Software",
        "Ghana",
        "Africa/Accra",
        &["Mobile data collection"],
        "Maintains our offline data collection app.",
    ),
    (
        "maria",
        "María González",
        "GeoForge Cooperative",
        "Training",
        "Argentina",
        "America/Argentina/Buenos_Aires",
        &["QGIS training"],
        "Teaches QGIS to municipal staff.",
    ),
    (
        "liam",
        "Liam O'Connor",
        "Nordic Mapping Institute",
        "Data",
        "Ireland",
        "Europe/Dublin",
        &["Lidar", "Point clouds"],
        "Point clouds and lidar processing.",
    ),
    (
        "sunita",
        "Sunita Rao",
        "Mapwise Foundation",
        "Community",
        "India",
        "Asia/Kolkata",
        &["Participatory mapping"],
        "Community organiser for participatory mapping.",
    ),
    (
        "tariq",
        "Tariq Hassan",
        "Municipality of Utrecht",
        "Open Data",
        "Netherlands",
        "Europe/Amsterdam",
        &["OGC APIs", "Metadata"],
        "Publishes our geodata through OGC API Features.",
    ),
    (
        "chen_wei",
        "Chen Wei",
        "GeoForge Cooperative",
        "Engineering",
        "Brazil",
        "America/Sao_Paulo",
        &["Rust", "Routing engines"],
        "Routing engines and a bit of Rust.",
    ),
    (
        "eva",
        "Eva Novak",
        "Nordic Mapping Institute",
        "Research",
        "Czechia",
        "Europe/Prague",
        &["Cartographic design"],
        "Cartographer.",
    ),
    (
        "moses",
        "Moses Kiprop",
        "Terrascope Labs",
        "Field Mapping",
        "Kenya",
        "Africa/Nairobi",
        &["Drone imagery"],
        "Drone pilot and imagery processing.",
    ),
    (
        "laura",
        "Laura Becker",
        "Independent",
        "Consulting",
        "Germany",
        "Europe/Berlin",
        &["Geocoding"],
        "Freelance GIS consultant, mostly geocoding.",
    ),
    (
        "pedro",
        "Pedro Alves",
        "Municipality of Lisbon",
        "Urban Planning",
        "Portugal",
        "Europe/Lisbon",
        &["Urban analytics"],
        "Planner learning to script QGIS.",
    ),
];

fn handle_email(handle: &str, org: &str) -> String {
    let domain: String = org
        .split_whitespace()
        .next()
        .unwrap_or("demo")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    format!("{}@{domain}.example", handle.replace('_', "."))
}

/// Fills the demo into an empty database; does nothing if any account exists.
pub async fn fill_if_empty(live: &Store) -> anyhow::Result<()> {
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
    let hash = passwords::hash(DEMO_PASSWORD.to_string()).await?;
    let mut ids = std::collections::HashMap::new();
    for people in [NURSES, ENGINEERS, MAPPERS] {
        for (handle, name, org, dept, country, tz, expertise, bio) in people {
            let email = match *handle {
                "maya" => COORDINATOR_EMAIL.to_string(),
                "tom_becker" => MEMBER_EMAIL.to_string(),
                h => handle_email(h, org),
            };
            let account = store
                .create_account(&NewAccount {
                    handle: Handle::parse(handle)?,
                    email: Email::parse(&email)?,
                    password_hash: hash.clone(),
                    profile: Profile {
                        display_name: name.to_string(),
                        bio: Some(bio.to_string()),
                        organisation: Some(org.to_string()),
                        department: Some(dept.to_string()),
                        country: Some(country.to_string()),
                        time_zone: Some(tz.to_string()),
                        expertise: expertise.iter().map(|s| s.to_string()).collect(),
                    },
                    is_admin: false,
                })
                .await
                .with_context(|| format!("demo account {handle}"))?;
            ids.insert(*handle, account.id);
        }
    }
    let id = |h: &str| ids[h];

    // 1. Infection-control nurses across hospitals: public, joins on approval.
    clock.advance(DAY);
    let ipc = store
        .create_community(
            &NewCommunity {
                slug: Slug::parse("ipc-nurses")?,
                name: "Infection Prevention & Control Nurses".into(),
                domain_statement: "We are infection prevention and control (IPC) nurses and link nurses from hospitals in \
                    five countries. We share what works on the ward: **hand hygiene audits** that change behaviour, \
                    isolation in crowded departments, line care bundles, outbreak playbooks and the surveillance data \
                    behind them.\n\nBring a question from your shift, an audit tool you are proud of, or a story of \
                    something that went wrong and what you learned."
                    .into(),
                visibility: Visibility::Public,
                listed: true,
                join_policy: JoinPolicy::Approval,
                join_questions: vec![
                    "Which hospital and ward do you work in?".into(),
                    "What would you like to learn or share here?".into(),
                ],
                stage: Stage::Coalescing,
            },
            id("maya"),
        )
        .await?;
    let mut members = vec![];
    for (h, ..) in &NURSES[1..12] {
        clock.advance(9 * DAY);
        store.join(ipc.id, id(h)).await?;
        members.push(*h);
    }
    for (h, role) in [
        ("henrik", Role::Leader),
        ("aoife", Role::Leader),
        ("lucie", Role::Leader),
    ] {
        store.set_role(ipc.id, id(h), role, id("maya")).await?;
    }
    clock.advance(30 * DAY);
    store
        .update_community(
            ipc.id,
            &CommunityChange {
                domain_statement: Some(
                    "We are infection prevention and control (IPC) nurses and link nurses from hospitals in \
                     five countries. We share what works on the ward: **hand hygiene audits** that change behaviour, \
                     isolation in crowded departments, line care bundles, outbreak playbooks, the surveillance data \
                     behind them — and, since 2025, **antimicrobial stewardship** at the bedside.\n\nBring a question \
                     from your shift, an audit tool you are proud of, or a story of something that went wrong and what \
                     you learned."
                        .into(),
                ),
                reason: Some("Stewardship nurses asked to join; it belongs to our practice".into()),
                stage: Some(Stage::Maturing),
                ..CommunityChange::default()
            },
            id("maya"),
        )
        .await?;
    for h in ["oliver", "nadia"] {
        clock.advance(2 * DAY);
        store
            .request_to_join(
                ipc.id,
                id(h),
                &[
                    JoinAnswer {
                        question: "Which hospital and ward do you work in?".into(),
                        answer: if h == "oliver" {
                            "Lakeshore Children's, NICU".into()
                        } else {
                            "Hôpital Saint-Clair, quality department".into()
                        },
                    },
                    JoinAnswer {
                        question: "What would you like to learn or share here?".into(),
                        answer: if h == "oliver" {
                            "How other units audit central lines in neonates.".into()
                        } else {
                            "How you design audits that nurses actually use.".into()
                        },
                    },
                ],
            )
            .await?;
    }

    // 2. Data engineering across one company's departments: private but listed, approval.
    clock.advance(20 * DAY);
    let de = store
        .create_community(
            &NewCommunity {
                slug: Slug::parse("data-engineering")?,
                name: "Data Engineering Guild".into(),
                domain_statement: "The data engineers, analytics engineers and curious analysts of Alder & Finch, from \
                    every department. Claims, Underwriting, Finance and Marketing all build pipelines; we learn from \
                    each other instead of solving the same problem four times.\n\nOur practice: data contracts, \
                    testing pipelines, cost-aware cloud use, and handling personal data with care."
                    .into(),
                visibility: Visibility::Private,
                listed: true,
                join_policy: JoinPolicy::Approval,
                join_questions: vec!["Which team are you in, and what data do you work with?".into()],
                stage: Stage::Maturing,
            },
            id("lena"),
        )
        .await?;
    for (h, ..) in ENGINEERS[1..].iter().filter(|p| p.0 != "hannah") {
        clock.advance(11 * DAY);
        store.join(de.id, id(h)).await?;
    }
    store
        .set_role(de.id, id("raj"), Role::Leader, id("lena"))
        .await?;
    store
        .set_role(de.id, id("marcus"), Role::Leader, id("lena"))
        .await?;
    store
        .set_role(de.id, id("anna"), Role::Coordinator, id("lena"))
        .await?;
    clock.advance(DAY);
    store
        .request_to_join(
            de.id,
            id("hannah"),
            &[JoinAnswer {
                question: "Which team are you in, and what data do you work with?".into(),
                answer: "HR, people analytics. I want to learn to build proper pipelines instead of exports."
                    .into(),
            }],
        )
        .await?;

    // 3. Open-source GIS practitioners across countries: public and open.
    clock.advance(15 * DAY);
    let gis = store
        .create_community(
            &NewCommunity {
                slug: Slug::parse("open-gis")?,
                name: "Open GIS Practitioners".into(),
                domain_statement: "People who make maps and spatial data with open-source tools — QGIS, PostGIS, GDAL, \
                    MapLibre, OpenStreetMap — in city halls, NGOs, cooperatives and research institutes on four \
                    continents.\n\nWe help each other with the practical side: projections that bite, tile \
                    pipelines, field data collection offline, and teaching GIS to colleagues."
                    .into(),
                visibility: Visibility::Public,
                listed: true,
                join_policy: JoinPolicy::Open,
                join_questions: vec![],
                stage: Stage::Stewardship,
            },
            id("amara"),
        )
        .await?;
    for (h, ..) in &MAPPERS[1..] {
        clock.advance(7 * DAY);
        store.join(gis.id, id(h)).await?;
    }
    store
        .set_role(gis.id, id("joost"), Role::Leader, id("amara"))
        .await?;
    store
        .set_role(gis.id, id("beatriz"), Role::Leader, id("amara"))
        .await?;
    store
        .set_role(gis.id, id("ingrid"), Role::Coordinator, id("amara"))
        .await?;

    // Observers: people who follow a public community without joining.
    for (community, who) in [
        (ipc.id, &["pedro", "laura", "hannah", "moses"][..]),
        (gis.id, &["tom_becker", "anna", "david", "mei"][..]),
    ] {
        for h in who {
            clock.advance(DAY);
            store.follow(community, id(h)).await?;
        }
    }
    // Cross-community members: a nurse who maps, an engineer who maps.
    store.join(gis.id, id("samir")).await?;
    store.join(gis.id, id("carlos")).await?;
    // An invitation waiting for the demo member.
    store
        .invite(
            de.id,
            &Invitee::Account(id("tom_becker")),
            Role::Member,
            "demo-invitation-not-a-secret",
            id("lena"),
        )
        .await?;

    let mut threads = 0;
    for (community, topics, seeds) in [
        (ipc.id, practice::IPC_TOPICS, practice::IPC_THREADS),
        (de.id, practice::DE_TOPICS, practice::DE_THREADS),
        (gis.id, practice::GIS_TOPICS, practice::GIS_THREADS),
    ] {
        threads += practice::seed(&store, &clock, community, topics, seeds, &id).await?;
    }
    let nurses: Vec<&str> = NURSES[..12].iter().map(|p| p.0).collect();
    let engineers: Vec<&str> = ENGINEERS
        .iter()
        .map(|p| p.0)
        .filter(|h| *h != "hannah")
        .collect();
    let mappers: Vec<&str> = MAPPERS.iter().map(|p| p.0).collect();
    for (community, authors, seeds, pool) in [
        (ipc.id, &nurses, more::IPC, more::IPC_REPLIES),
        (de.id, &engineers, more::DE, more::DE_REPLIES),
        (gis.id, &mappers, more::GIS, more::GIS_REPLIES),
    ] {
        threads +=
            practice::seed_more(&store, &clock, community, authors, seeds, pool, &id).await?;
    }

    // Private life before the clock jumps to today, so that it is dated in the past.
    let (circles, conversations, connections) =
        private::seed(&store, &clock, [ipc.id, de.id, gis.id], &id, now).await?;

    // The rhythm is seeded at today's date: past occurrences held, the coming ones answered.
    clock.advance((now - clock.now()).max(0));
    let today = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .date_naive();
    let mut events = 0;
    for plan in rhythm_plans(ipc.id, de.id, gis.id, &nurses, &engineers, &mappers) {
        events += rhythm::seed(&store, &clock, today, &plan, &id).await?;
    }
    // Value stories over the last months, credited to the communities' own threads and the
    // events held by then — through a store whose clock walks those months again.
    let mut tellers = Vec::new();
    for (community, people, coordinator) in [
        (ipc.id, &nurses, "maya"),
        (de.id, &engineers, "lena"),
        (gis.id, &mappers, "amara"),
    ] {
        tellers.push(value::Tellers {
            community,
            members: people.iter().map(|h| id(h)).collect(),
            coordinator: id(coordinator),
        });
    }
    let story_clock = FixedClock::at(now - 270 * DAY);
    let story_store = Store::connect(&url, Arc::new(story_clock.clone())).await?;
    let stories = value::seed(&story_store, &story_clock, &tellers, now).await?;
    story_store.close().await;
    let checkins = value::seed_checkins(&store, &tellers, now).await?;
    let newsletters = newsletter::seed(
        &url,
        &[
            (ipc.slug.as_str().to_string(), id("maya")),
            (de.slug.as_str().to_string(), id("lena")),
            (gis.slug.as_str().to_string(), id("amara")),
        ],
        now,
    )
    .await?;

    // The ledger from everything seeded, and levels as they were computed month by month over
    // the last half year, so that the dashboard shows history and movement.
    store.backfill_activity().await?;
    store.close().await;
    for months_back in (0..=6).rev() {
        let at = FixedClock::at(now - months_back * 30 * DAY);
        let past = Store::connect(&url, Arc::new(at)).await?;
        let past_app = App::new(past.clone(), AppConfig::default());
        for community in [ipc.id, de.id, gis.id] {
            copse_app::participation::recompute(&past_app, community).await?;
        }
        past.close().await;
    }
    println!(
        "The demo is ready: 3 communities, {} people, {threads} threads, {events} events and series, \
         {circles} circles, {conversations} conversations, {connections} connection requests, \
         {stories} value stories, {checkins} check-in rounds, {newsletters} newsletter issues.",
        ids.len()
    );
    print_sign_in();
    Ok(())
}

fn rhythm_plans<'a>(
    ipc: CommunityId,
    de: CommunityId,
    gis: CommunityId,
    nurses: &'a [&'a str],
    engineers: &'a [&'a str],
    mappers: &'a [&'a str],
) -> [rhythm::Plan<'a>; 3] {
    use chrono::Weekday::*;
    [
        rhythm::Plan {
            community: ipc,
            time_zone: "Europe/London",
            hosts: ["maya", "henrik"],
            members: nurses,
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
        },
        rhythm::Plan {
            community: de,
            time_zone: "Europe/Berlin",
            hosts: ["lena", "raj"],
            members: engineers,
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
        },
        rhythm::Plan {
            community: gis,
            time_zone: "UTC",
            hosts: ["amara", "joost"],
            members: mappers,
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
        },
    ]
}

fn print_sign_in() {
    println!("Sign in as the demo coordinator: {COORDINATOR_EMAIL} / {DEMO_PASSWORD}");
    println!("Sign in as a demo member:        {MEMBER_EMAIL} / {DEMO_PASSWORD}");
}

#[cfg(test)]
mod tests {
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
