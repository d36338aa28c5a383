//! The demo's practice: topics and threads in each community, written as their members would
//! write them, with replies, accepted answers, helpful marks and library items. Each thread's
//! replies come from the people of its community, so the ledger of who helped whom is
//! believable.

use copse_core::clock::FixedClock;
use copse_core::domain::{NewThread, Space, ThreadKind};
use copse_store::Store;

const HOUR: i64 = 3600 * 1000;

/// (author, kind, members only, topics, title, body, replies as (author, text), accepted reply
/// index, canonical)
pub type ThreadSeed = (
    &'static str,
    ThreadKind,
    bool,
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    Option<usize>,
    bool,
);

use ThreadKind::{Announcement as A, Discussion as D, Question as Q, Resource as R};

pub const IPC_TOPICS: &[(&str, &str, &str)] = &[
    (
        "hand-hygiene",
        "Hand hygiene",
        "Audits, feedback and the five moments",
    ),
    (
        "line-care",
        "Line care",
        "Central and peripheral lines, bundles, CLABSI",
    ),
    (
        "outbreaks",
        "Outbreaks",
        "Norovirus, C. difficile, flu and how to contain them",
    ),
    (
        "surveillance",
        "Surveillance",
        "Collecting and showing infection data",
    ),
    ("isolation", "Isolation", "Side rooms, cohorting and PPE"),
    (
        "stewardship",
        "Antimicrobial stewardship",
        "Antibiotics at the bedside",
    ),
];

pub const IPC_THREADS: &[ThreadSeed] = &[
    (
        "aoife",
        Q,
        false,
        &["hand-hygiene"],
        "How do you stop hand hygiene audits turning into a tick-box exercise?",
        "Our monthly audits report 98% compliance, and nobody believes the number — least of all the ward staff. How do you keep audits honest and useful?",
        &[
            (
                "maya",
                "We moved to **covert observation by peers from another ward** and report the result with one concrete example each month. The number dropped to 71% and suddenly people talked about it.",
            ),
            (
                "henrik",
                "Same experience in Riverside. We also stopped publishing ward league tables — shame made people game it.",
            ),
            (
                "tom_becker",
                "On ICU we ask the observed nurse to say which moment they missed. It turns the audit into a two-minute teaching moment.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "tom_becker",
        Q,
        false,
        &["line-care"],
        "Chlorhexidine bathing in ICU: daily or only for lines?",
        "We're revising our CLABSI bundle. Do you bathe every ICU patient with 2% chlorhexidine daily, or only patients with central lines?",
        &[
            (
                "henrik",
                "Every patient, daily. Our CLABSI rate fell by about a third in the first year, and we saw fewer MRSA acquisitions too.",
            ),
            (
                "elena",
                "Daily for all, but watch skin reactions in long-stay patients — we switch to soap for a day if the skin breaks down.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "samir",
        Q,
        false,
        &["isolation"],
        "Isolating suspected norovirus in an ED with two side rooms",
        "We have two side rooms and winter is coming. How do other EDs decide who gets a side room when three patients are vomiting at once?",
        &[
            (
                "maya",
                "We use a simple priority list: confirmed > suspected with diarrhoea > vomiting only. The list is laminated at the nurses' station so nobody has to decide at 3 a.m.",
            ),
            (
                "grace",
                "In paediatrics we cohort siblings together, which frees a room more often than you'd think.",
            ),
        ],
        Some(0),
        false,
    ),
    (
        "lucie",
        R,
        false,
        &["hand-hygiene"],
        "Our endoscope reprocessing checklist (French and English)",
        "Here is the one-page checklist we use for endoscope reprocessing, with the English translation. Free to adapt — please tell us what you change.",
        &[
            (
                "kwame",
                "Thank you! Our theatre team translated it into German and added a line for the drying cabinet.",
            ),
            (
                "aoife",
                "Adopted at St Brigid's for the endoscopy unit. The photo of each step helps new staff a lot.",
            ),
        ],
        None,
        true,
    ),
    (
        "henrik",
        D,
        false,
        &["stewardship"],
        "Nurse-led antibiotic time-outs at 48 hours",
        "We started a 48-hour antibiotic time-out led by the bedside nurse, not the doctor. Three months in, 22% of courses are stopped or narrowed at the time-out. Anyone else tried nurse-led reviews?",
        &[
            (
                "fatima",
                "We tried it on the renal unit. The hardest part was confidence: nurses felt they were questioning prescribers. A script helped.",
            ),
            (
                "priya",
                "Could you share the script? Our surgical ward would like to try it.",
            ),
        ],
        None,
        false,
    ),
    (
        "maya",
        A,
        false,
        &[],
        "Monthly meeting moved to the second Tuesday",
        "From next month our monthly meeting is on the second Tuesday, 14:00 UK time, to suit colleagues in Toronto. The link stays the same.",
        &[],
        None,
        false,
    ),
    (
        "priya",
        Q,
        false,
        &["surveillance"],
        "What counts as a surgical site infection in your surveillance?",
        "We keep arguing whether superficial wound redness treated with antibiotics by the GP counts as an SSI. Which definition do you use?",
        &[
            (
                "aoife",
                "We use the ECDC definitions strictly: superficial incisional SSI needs at least one of pus, organisms, or signs plus deliberate opening. GP antibiotics alone don't count.",
            ),
            (
                "jonas",
                "Same here, but we record the GP-treated cases separately so we don't lose them.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "grace",
        Q,
        false,
        &["hand-hygiene"],
        "Teaching hand hygiene to parents on a children's ward",
        "Parents are often the ones touching lines and feeding tubes. How do you teach them hand hygiene without making them feel blamed?",
        &[
            (
                "jonas",
                "We give every family a short video on admission and a sticker chart for the children, who then police their parents very effectively.",
            ),
            (
                "maya",
                "Ask the parent to teach it back to you. It's respectful and you see at once what they understood.",
            ),
        ],
        Some(1),
        false,
    ),
    (
        "elena",
        Q,
        true,
        &["outbreaks"],
        "Our C. difficile cluster: what would you check first?",
        "Three C. difficile cases in ten days on our ICU. Environmental cleaning has been stepped up. What would you check next?",
        &[
            (
                "henrik",
                "Commodes and bedpan washers. In our last cluster the washer's temperature log had been faked for weeks.",
            ),
            (
                "maya",
                "Check antibiotic exposure too — all three on co-amoxiclav? And ribotype the isolates before you assume transmission.",
            ),
        ],
        Some(1),
        false,
    ),
    (
        "jonas",
        D,
        false,
        &["stewardship", "outbreaks"],
        "Flu vaccination uptake among nurses: what moved the needle?",
        "We're at 54% uptake among nursing staff. What actually increased uptake in your hospital?",
        &[
            (
                "samir",
                "Peer vaccinators on every shift. People say yes to a colleague with a trolley far more than to a clinic.",
            ),
            (
                "aoife",
                "Publishing uptake by ward — positively, celebrating the best wards — worked for us.",
            ),
        ],
        None,
        false,
    ),
    (
        "kwame",
        Q,
        false,
        &["isolation"],
        "Theatre traffic: how many door openings is too many?",
        "We counted 40 door openings in a two-hour hip replacement. Do you have a target or a way to reduce it?",
        &[(
            "lucie",
            "We aim for under 20 per hour and put a simple counter on the door. Just showing the number halved it.",
        )],
        Some(0),
        false,
    ),
    (
        "fatima",
        Q,
        false,
        &["line-care"],
        "Dialysis line locks: heparin or citrate?",
        "We're reviewing our tunnelled line lock solution after two bacteraemias. Heparin, 4% citrate or taurolidine?",
        &[
            (
                "henrik",
                "We moved to taurolidine-citrate for patients with a previous line infection. No infections in that group for eight months.",
            ),
            (
                "tom_becker",
                "Check the cost with pharmacy first; it was the main objection in our hospital.",
            ),
        ],
        None,
        false,
    ),
];

pub const DE_TOPICS: &[(&str, &str, &str)] = &[
    (
        "data-contracts",
        "Data contracts",
        "Agreements between producers and consumers of data",
    ),
    (
        "testing",
        "Testing pipelines",
        "dbt tests, Great Expectations and friends",
    ),
    (
        "cloud-cost",
        "Cloud cost",
        "Spending less on compute and storage",
    ),
    ("pii", "Personal data", "PII handling, masking and access"),
    (
        "orchestration",
        "Orchestration",
        "Airflow, scheduling and retries",
    ),
];

pub const DE_THREADS: &[ThreadSeed] = &[
    (
        "raj",
        Q,
        false,
        &["data-contracts"],
        "How do you enforce a data contract when the producer team doesn't care?",
        "Claims changes a column type every other sprint and our fraud features break. We have a contract on paper. How do you make it stick?",
        &[
            (
                "lena",
                "Put the contract **in CI of the producer repo**: a schema check that fails their build. Paper contracts are wishes.",
            ),
            (
                "marcus",
                "And agree a deprecation window — finance got buy-in once producers knew they could still change things, just with notice.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "sofia",
        Q,
        false,
        &["testing"],
        "dbt tests are slowing our CI to 40 minutes",
        "We have 1,200 dbt tests and CI takes 40 minutes. How do you keep test coverage without waiting forever?",
        &[
            (
                "zoe",
                "We run only tests for modified models and their children in CI (`state:modified+`), full suite nightly.",
            ),
            (
                "lena",
                "Also move the heavy uniqueness tests to incremental checks on new partitions only.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "anna",
        R,
        false,
        &["cloud-cost"],
        "Our cloud cost dashboard (template)",
        "Here's the dashboard we use to show each department its warehouse spend per query tag. Template and tagging guide attached.",
        &[
            (
                "carlos",
                "The per-tag view found us a forgotten hourly job that cost more than the rest of our team's pipelines combined.",
            ),
            (
                "david",
                "Risk adopted it too. Could we add a monthly budget line?",
            ),
        ],
        None,
        true,
    ),
    (
        "ali",
        D,
        true,
        &["pii"],
        "Where does customer date of birth flow today?",
        "Security review: I traced date of birth into 14 tables across four departments. Let's agree which of them really need it.",
        &[
            (
                "marcus",
                "Finance needs age bands, not the date. We can switch to a derived band next sprint.",
            ),
            (
                "raj",
                "Claims needs it for identity checks, but only in the raw zone.",
            ),
        ],
        None,
        false,
    ),
    (
        "lena",
        A,
        false,
        &[],
        "Guild demo day on the 14th",
        "Each team shows one pipeline they're proud of (or ashamed of) in five minutes. Sign up in the thread.",
        &[
            (
                "yuki",
                "Marketing will show the consent-aware tracking pipeline.",
            ),
            (
                "pablo",
                "Claims documents: OCR to structured data in one pass.",
            ),
        ],
        None,
        false,
    ),
    (
        "yuki",
        Q,
        false,
        &["pii"],
        "Keeping consent state in sync between the CMP and the warehouse",
        "Our consent management platform is the source of truth, but the warehouse lags by a day. How do you make sure we never use data after consent is withdrawn?",
        &[
            (
                "carlos",
                "Stream consent events into Kafka and join against a compacted topic at read time; the daily batch becomes a backup.",
            ),
            (
                "ali",
                "Also make the warehouse view filter on consent by default, so nobody has to remember to.",
            ),
        ],
        Some(1),
        false,
    ),
    (
        "pablo",
        Q,
        false,
        &["orchestration"],
        "Airflow retries hammering the OCR vendor",
        "When the OCR API fails, 200 tasks retry at once and the vendor rate-limits us for an hour. How do you spread retries?",
        &[
            (
                "lena",
                "Use a pool with a small slot count for the vendor and exponential backoff with jitter (`retry_exponential_backoff=True`).",
            ),
            (
                "mei",
                "We put a circuit breaker in a sensor: if the vendor health check fails, downstream tasks wait instead of retrying.",
            ),
        ],
        Some(0),
        false,
    ),
    (
        "marcus",
        D,
        false,
        &["testing", "data-contracts"],
        "Reconciliation tests between finance and claims",
        "Month-end close found a 0.3% mismatch between claims paid and finance postings. Proposal: a shared reconciliation test both teams own.",
        &[
            (
                "raj",
                "Yes please. We can expose a daily paid-claims snapshot for it.",
            ),
            (
                "zoe",
                "I'd like to help write it — good way to learn the claims model.",
            ),
        ],
        None,
        false,
    ),
    (
        "mei",
        Q,
        false,
        &["orchestration"],
        "Feature store or just well-named tables?",
        "For pricing models we're debating a feature store. Did anyone regret buying one — or regret not having one?",
        &[
            (
                "sofia",
                "We started with a naming convention and point-in-time joins in dbt. It took us surprisingly far.",
            ),
            (
                "lena",
                "The real need was point-in-time correctness. Solve that first; the product is secondary.",
            ),
        ],
        Some(1),
        false,
    ),
    (
        "david",
        Q,
        false,
        &["testing"],
        "Testing regulatory reports before submission",
        "Solvency II templates: how do you test numbers that have no obvious expected value?",
        &[(
            "marcus",
            "Invariants: totals that must match across templates, and period-over-period change thresholds that need a human sign-off.",
        )],
        Some(0),
        false,
    ),
];

pub const GIS_TOPICS: &[(&str, &str, &str)] = &[
    ("qgis", "QGIS", "Desktop GIS, plugins and styling"),
    ("postgis", "PostGIS", "Spatial SQL and databases"),
    (
        "projections",
        "Projections",
        "Coordinate reference systems and datums",
    ),
    (
        "field-data",
        "Field data",
        "Collecting data offline, on phones and drones",
    ),
    ("tiles", "Vector tiles", "Making and serving map tiles"),
    (
        "teaching",
        "Teaching GIS",
        "Training colleagues and communities",
    ),
];

pub const GIS_THREADS: &[ThreadSeed] = &[
    (
        "pedro",
        Q,
        false,
        &["projections"],
        "My parcels are 100 metres off after loading into QGIS",
        "Cadastral parcels from the city line up with OSM in one project and are ~100 m off in another. What am I doing wrong?",
        &[
            (
                "ingrid",
                "Almost certainly a datum transformation: your data is in ETRS89 / PT-TM06 and the project picks a different transformation. Set the project CRS explicitly and check **Datum Transformations** in the project properties.",
            ),
            (
                "joost",
                "And check the layer has a .prj — without it QGIS guesses.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "kofi",
        Q,
        false,
        &["field-data"],
        "Offline forms that survive a week without signal",
        "Our field teams in northern Ghana are offline for a week. Which mobile data collection setup has been reliable for you?",
        &[
            (
                "amara",
                "We use QField with a GeoPackage per team and sync when they're back. Daily backups to the SD card saved us twice.",
            ),
            (
                "moses",
                "Charge banks and a strict 'sync before you leave town' rule matter more than the app.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "beatriz",
        R,
        false,
        &["tiles"],
        "A minimal vector tile pipeline: PostGIS → tiles → MapLibre",
        "Write-up of the pipeline we use for NGO maps: ST_AsMVT in PostGIS, tiles cached on disk, MapLibre on the front end. Scripts included.",
        &[
            (
                "chen_wei",
                "We did the same and added pre-seeding for zoom 0–10; everything above is rendered on demand.",
            ),
            (
                "tariq",
                "Utrecht uses almost the same stack for our open base map. Happy to compare styles.",
            ),
        ],
        None,
        true,
    ),
    (
        "maria",
        D,
        false,
        &["teaching"],
        "Teaching QGIS to municipal staff who have never used GIS",
        "I run two-day QGIS courses for municipal staff. What exercises worked best for you with complete beginners?",
        &[
            (
                "eva",
                "Start with their own street on a map. People care about maps of places they know.",
            ),
            (
                "sunita",
                "In community mapping we start on paper, then trace it in QGIS. The jump is smaller.",
            ),
        ],
        None,
        false,
    ),
    (
        "arjun",
        Q,
        false,
        &["field-data"],
        "Sentinel-1 flood extent vs. ground truth",
        "Our Sentinel-1 flood maps over-detect water in urban areas. How do you validate or correct them?",
        &[
            (
                "liam",
                "Mask urban areas with a building footprint layer and treat them separately; radar double-bounce makes urban flood detection unreliable.",
            ),
            (
                "amara",
                "Ground truth from community reporters with phone photos worked for us in Nairobi.",
            ),
        ],
        Some(0),
        false,
    ),
    (
        "joost",
        Q,
        false,
        &["postgis"],
        "Speeding up ST_Intersects on 2 million parcels",
        "A spatial join between parcels and flood zones takes 40 minutes. Index exists. Ideas?",
        &[
            (
                "chen_wei",
                "Subdivide the flood polygons with ST_Subdivide first — huge polygons defeat the index.",
            ),
            (
                "ingrid",
                "And ANALYZE after loading; the planner had stale stats in our case.",
            ),
        ],
        Some(0),
        true,
    ),
    (
        "ingrid",
        A,
        false,
        &[],
        "Office hours every Thursday",
        "We'll hold an open office hour every Thursday at 13:00 UTC for projection questions. Bring your broken layers!",
        &[],
        None,
        false,
    ),
    (
        "sunita",
        D,
        false,
        &["teaching", "field-data"],
        "Participatory mapping ethics: who owns the map?",
        "When a community maps its own settlement with us, who should own the data, and should it go to OSM?",
        &[
            (
                "amara",
                "We agree ownership with the community before we start, in writing. Some layers never go to OSM — e.g. locations of vulnerable households.",
            ),
            (
                "laura",
                "That's a great practice. Would you share the agreement template?",
            ),
        ],
        None,
        false,
    ),
    (
        "tariq",
        Q,
        false,
        &["postgis"],
        "Publishing OGC API Features from PostGIS",
        "Which server do you use to publish OGC API Features straight from PostGIS?",
        &[
            (
                "beatriz",
                "pg_featureserv for simple cases; pygeoapi when we need more formats.",
            ),
            ("joost", "pygeoapi here too, behind a cache."),
        ],
        Some(0),
        false,
    ),
    (
        "moses",
        Q,
        false,
        &["field-data", "projections"],
        "Drone orthophotos don't line up with GPS points",
        "Our drone orthomosaics are shifted 2–3 m against handheld GPS points. Ground control points or better GPS?",
        &[
            (
                "liam",
                "Ground control points. Five well-spread GCPs usually bring us under 10 cm.",
            ),
            (
                "ingrid",
                "Also check both are in the same datum — WGS84 vs. the national frame can be a metre or more in places.",
            ),
        ],
        Some(0),
        false,
    ),
];

/// Seeds topics and threads into a community, walking the clock forward between posts.
pub async fn seed(
    store: &Store,
    clock: &FixedClock,
    community: i64,
    topics: &[(&str, &str, &str)],
    threads: &[ThreadSeed],
    id: &impl Fn(&str) -> i64,
) -> anyhow::Result<usize> {
    for (slug, name, description) in topics {
        store
            .create_topic(community, slug, name, Some(description))
            .await?;
    }
    let mut count = 0;
    for (author, kind, members_only, topics, title, body, replies, accepted, canonical) in threads {
        clock.advance(37 * HOUR);
        let thread_id = store
            .create_thread(
                community,
                id(author),
                &NewThread {
                    circle_id: None,
                    kind: *kind,
                    space: if *members_only {
                        Space::Members
                    } else {
                        Space::Public
                    },
                    title: title.to_string(),
                    body: body.to_string(),
                    link: None,
                    topics: topics.iter().map(|t| t.to_string()).collect(),
                },
            )
            .await?;
        let thread = store.thread(thread_id).await?.expect("just created");
        let mut reply_ids = Vec::new();
        for (who, text) in replies.iter() {
            clock.advance(5 * HOUR);
            reply_ids.push(store.create_reply(&thread, id(who), text, None).await?);
        }
        if let Some(i) = accepted {
            store.accept(&thread, Some(reply_ids[*i])).await?;
        }
        // The asker and the other repliers find the first answer helpful.
        if let Some(first) = reply_ids.first() {
            let first_author = replies[0].0;
            for (who, _) in replies
                .iter()
                .skip(1)
                .chain(std::iter::once(&(*author, "")))
            {
                if *who != first_author {
                    store.set_helpful(&thread, *first, id(who), true).await?;
                }
            }
        }
        if *canonical {
            store.set_canonical(thread_id, true).await?;
        }
        count += 1;
    }
    Ok(count)
}

/// Seeds the shorter everyday threads: questions get a few replies from the pool, and about half
/// of them an accepted answer; every third reply is marked helpful by the asker.
pub async fn seed_more(
    store: &Store,
    clock: &FixedClock,
    community: i64,
    authors: &[&str],
    seeds: &[super::more::Short],
    pool: &[(&str, &str)],
    id: &impl Fn(&str) -> i64,
) -> anyhow::Result<usize> {
    for (n, (kind, title, body)) in seeds.iter().enumerate() {
        clock.advance(11 * HOUR);
        let author = authors[n % authors.len()];
        let thread_id = store
            .create_thread(
                community,
                id(author),
                &NewThread {
                    circle_id: None,
                    kind: *kind,
                    space: Space::Public,
                    title: title.to_string(),
                    body: body.to_string(),
                    link: None,
                    topics: Vec::new(),
                },
            )
            .await?;
        let thread = store.thread(thread_id).await?.expect("just created");
        let mut replies = Vec::new();
        for k in 0..(1 + n % 3) {
            let (who, text) = pool[(n * 5 + k * 7) % pool.len()];
            if who == author {
                continue;
            }
            clock.advance(3 * HOUR);
            replies.push((who, store.create_reply(&thread, id(who), text, None).await?));
        }
        if let Some((who, first)) = replies.first() {
            if *kind == ThreadKind::Question && n % 2 == 0 {
                store.accept(&thread, Some(*first)).await?;
            }
            if n % 3 == 0 && *who != author {
                store.set_helpful(&thread, *first, id(author), true).await?;
            }
        }
    }
    Ok(seeds.len())
}
