//! More of the demo's everyday practice: the many shorter threads a living community
//! accumulates — quick questions, resources shared in passing, small discussions. Replies come
//! from a pool of things these members actually say.

use copse_core::domain::ThreadKind;

/// (kind, title, body)
pub type Short = (ThreadKind, &'static str, &'static str);

use ThreadKind::{Discussion as D, Question as Q, Resource as R};

pub const IPC: &[Short] = &[
    (
        Q,
        "Alcohol rub for C. difficile rooms?",
        "We know soap and water is preferred. Do you still put alcohol rub at the door of C. diff rooms?",
    ),
    (
        Q,
        "How long do you keep contact precautions after MRSA decolonisation?",
        "Three negative screens, or until discharge?",
    ),
    (
        D,
        "Glove overuse on our ward",
        "Staff wear gloves for everything, including writing notes. How did you shift the habit?",
    ),
    (
        Q,
        "Cleaning mobile phones on the ward",
        "Do you have a policy for staff phones? Wipes, UV boxes, nothing?",
    ),
    (
        R,
        "Poster: the five moments in Portuguese",
        "A colleague translated the WHO five moments poster into Portuguese for our cleaners.",
    ),
    (
        Q,
        "Peripheral cannula: routine replacement or clinically indicated?",
        "We still replace every 72 hours. Has anyone moved to clinically indicated replacement?",
    ),
    (
        Q,
        "Urinary catheter removal reminders",
        "What prompts work best to remove catheters early — stickers, EHR alerts, nurse-led protocols?",
    ),
    (
        D,
        "Bare below the elbows and winter cardigans",
        "Every winter the cardigans come back. How strict are you?",
    ),
    (
        Q,
        "Screening new admissions for CPE",
        "Do you screen everyone transferred from abroad, or only from high-prevalence countries?",
    ),
    (
        R,
        "Our norovirus outbreak checklist",
        "One page, from first case to declaring the outbreak over. Adapt freely.",
    ),
    (
        Q,
        "Who cleans shared equipment between patients?",
        "Nurses, healthcare assistants or domestics? Our blood pressure cuffs fall between the cracks.",
    ),
    (
        Q,
        "Flushing PICC lines: how often when not in use?",
        "Weekly, or every 72 hours like peripheral lines?",
    ),
    (
        D,
        "Link nurses: protected time or goodwill?",
        "Our link nurses get no protected time and the role is fading. What works elsewhere?",
    ),
    (
        Q,
        "Respiratory hygiene stations in outpatients",
        "Masks and tissues at the entrance: worth it outside flu season?",
    ),
    (
        Q,
        "Aseptic non-touch technique training for new starters",
        "Do you assess ANTT competence on the first week, or later?",
    ),
    (
        R,
        "Slides: teaching hand hygiene with UV gel",
        "The slides we use with the UV light box. The 'after' photos do the teaching.",
    ),
    (
        Q,
        "Isolation signage that respects privacy",
        "Our signs say 'MRSA'. Patients hate it. What do your door signs say?",
    ),
    (
        Q,
        "Surgical site infection follow-up after discharge",
        "How do you capture SSIs that present to GPs after discharge?",
    ),
    (
        D,
        "Audit fatigue",
        "We audit nine things a month. Is anyone cutting back to fewer, better audits?",
    ),
    (
        Q,
        "Blood culture contamination rate target",
        "What contamination rate do you aim for, and how do you feed back to the ED?",
    ),
    (
        Q,
        "Mattress audits: how often?",
        "We found 12% of mattresses failing. How often do you check them?",
    ),
    (
        R,
        "Checklist for opening a new ward",
        "Water safety, cleaning, sinks: the IPC checklist we used when our new wing opened.",
    ),
    (
        Q,
        "Visitors and flu season",
        "Do you restrict child visitors in winter?",
    ),
    (
        D,
        "Sinks as reservoirs of resistant bacteria",
        "We removed sinks from ICU bed spaces. Results after a year, and what we would do differently.",
    ),
    (
        Q,
        "Re-using tourniquets",
        "Single use or cleaned between patients?",
    ),
    (
        Q,
        "Feedback to cleaners after ATP testing",
        "How do you share ATP results without it feeling like blame?",
    ),
    (
        R,
        "A simple run chart template for infection rates",
        "Spreadsheet with the median line and rules for shifts already built in.",
    ),
    (
        Q,
        "Neonatal unit: bathing with chlorhexidine?",
        "Any experience with CHG bathing in term neonates?",
    ),
    (
        Q,
        "Ward closures during norovirus",
        "At what point do you close a ward to admissions?",
    ),
    (
        D,
        "Getting doctors to take part in audits",
        "Our audits are all about nurses. How did you involve medical staff?",
    ),
    (
        Q,
        "Aprons: colour coding by task?",
        "Does colour coding aprons (white for care, yellow for isolation) help in practice?",
    ),
    (
        Q,
        "Hospital-onset COVID definitions today",
        "Which definition are you still using for hospital-onset cases?",
    ),
    (
        R,
        "Reading list for new IPC nurses",
        "The ten papers and guidelines I give every new IPC nurse in their first month.",
    ),
    (
        Q,
        "Scabies on a care-of-the-elderly ward",
        "Treating contacts: staff too? How wide do you go?",
    ),
    (
        Q,
        "Curtain changing schedule",
        "Disposable curtains: six months, or on visible soiling?",
    ),
    (
        D,
        "What made you become an IPC nurse?",
        "For newcomers thinking about the role: what drew you in?",
    ),
    (
        Q,
        "Water safety: flushing little-used outlets",
        "Who flushes the outlets in rooms that stay empty?",
    ),
    (
        Q,
        "Documenting line insertions",
        "Paper sticker or EHR? Our insertion dates go missing.",
    ),
    (
        R,
        "Patient leaflet: why we clean our hands",
        "A plain-language leaflet reviewed by our patient panel.",
    ),
    (
        Q,
        "Antibiotic prophylaxis timing in theatre",
        "How do you make sure prophylaxis is given within 60 minutes before incision?",
    ),
];

pub const IPC_REPLIES: &[(&str, &str)] = &[
    (
        "maya",
        "We tried this at Northfield. What worked was making it someone's named job on each shift.",
    ),
    (
        "henrik",
        "Our data say yes, but only when the ward owns the change — a policy alone did nothing.",
    ),
    (
        "aoife",
        "St Brigid's guidance is attached to our intranet page; happy to send it if you message me.",
    ),
    (
        "lucie",
        "À Saint-Clair we do this weekly. The key was a short checklist at the point of care.",
    ),
    (
        "tom_becker",
        "On ICU we review it at the morning huddle, which takes two minutes and catches most misses.",
    ),
    (
        "samir",
        "In the ED we can't always, but a laminated card by the door helps at 3 a.m.",
    ),
    (
        "grace",
        "For children we involve the parents; they remind us more often than we remind them.",
    ),
    (
        "priya",
        "We ran a small PDSA cycle on this last spring; the first change that stuck was the simplest one.",
    ),
    (
        "jonas",
        "Occupational health sees the other side of this — staff need it to be easy before it's right.",
    ),
    (
        "elena",
        "Night shift is where it slips. We started auditing at night too and the picture changed.",
    ),
    (
        "fatima",
        "On the renal unit we follow the national guidance but check it quarterly with a quick audit.",
    ),
    (
        "kwame",
        "In theatres this is part of the sign-in; once it's in the checklist it happens.",
    ),
];

pub const DE: &[Short] = &[
    (
        Q,
        "Naming conventions for dbt models",
        "stg_, int_, fct_? What did your teams agree on and did it stick?",
    ),
    (
        Q,
        "Late-arriving facts in daily partitions",
        "Claims arrive up to 30 days late. How do you reprocess partitions without double counting?",
    ),
    (
        D,
        "Should analysts write production pipelines?",
        "Marketing analysts want to ship their own dbt models. Guardrails?",
    ),
    (
        R,
        "Template: data contract YAML",
        "Our contract template with owners, SLAs, schema and change policy.",
    ),
    (
        Q,
        "Backfilling a year of data without blowing the budget",
        "We need to backfill 2025 for a new model. Tips to keep warehouse cost sane?",
    ),
    (
        Q,
        "Slowly changing dimensions in dbt snapshots",
        "Snapshots or hand-written SCD2? What are the gotchas?",
    ),
    (
        Q,
        "Testing Airflow DAGs locally",
        "How do you run DAGs locally without the whole platform?",
    ),
    (
        D,
        "On-call for data pipelines",
        "Should each department be on call for its own pipelines?",
    ),
    (
        Q,
        "Masking PII in dev environments",
        "Hashing, faking or subsetting — what do you do for dev data?",
    ),
    (
        R,
        "Cost per query tag, monthly report",
        "The SQL behind our monthly cost-per-tag report.",
    ),
    (
        Q,
        "Kafka topic retention for replay",
        "How long do you keep topics so consumers can replay?",
    ),
    (
        Q,
        "Great Expectations vs dbt tests",
        "Anyone running both? Where does each fit?",
    ),
    (
        D,
        "Documenting pipelines people actually read",
        "Our docs site is full and nobody reads it. What do you document?",
    ),
    (
        Q,
        "Idempotent loads into the warehouse",
        "MERGE, delete-insert or append with dedup views?",
    ),
    (
        Q,
        "Handling schema drift from a SaaS API",
        "A vendor adds fields without notice. Fail, ignore, or land raw JSON?",
    ),
    (
        R,
        "Checklist: retiring a table",
        "Lineage, consumers, notice period, archive — our checklist for dropping tables.",
    ),
    (
        Q,
        "Partitioning strategy for event data",
        "Daily partitions and clustering by customer — any regrets?",
    ),
    (
        Q,
        "Sharing data with actuaries in Excel",
        "They need spreadsheets. How do you keep the numbers in sync?",
    ),
    (
        D,
        "Centralised platform vs embedded engineers",
        "Is a central data platform team plus embedded engineers the right split?",
    ),
    (
        Q,
        "Row-level security in the warehouse",
        "Region-based access for claims handlers: views or policies?",
    ),
    (
        Q,
        "Alerting on data freshness",
        "What thresholds do you use before paging someone?",
    ),
    (
        R,
        "Onboarding guide for new data engineers",
        "Week-one guide: access, repos, first ticket, people to meet.",
    ),
    (
        Q,
        "Version control for SQL notebooks",
        "Analysts keep notebooks outside git. How did you bring them in?",
    ),
    (
        Q,
        "Deleting customer data on request",
        "How do you find every copy of a customer's data for a deletion request?",
    ),
    (
        D,
        "Pairing across departments",
        "Would anyone pair for a day with a team from another department?",
    ),
    (
        Q,
        "Choosing a CDC tool",
        "Debezium or vendor CDC from the policy database?",
    ),
    (
        Q,
        "Reproducible ML training data",
        "How do you snapshot features so a model can be retrained exactly?",
    ),
    (
        R,
        "Glossary of insurance terms for engineers",
        "Premium, exposure, IBNR — the glossary we give new engineers.",
    ),
    (
        Q,
        "Unit tests for SQL transformations",
        "Anyone testing SQL with fixed input fixtures?",
    ),
    (
        Q,
        "Running dbt in CI with production-like data",
        "Do you clone prod, sample, or use synthetic data?",
    ),
    (
        Q,
        "Pull request reviews for SQL",
        "Who reviews SQL changes in your team, and what do they look for?",
    ),
    (
        Q,
        "Timezones in event timestamps",
        "UTC everywhere, or keep local time too for the contact centre?",
    ),
    (
        D,
        "Monthly guild newsletter: what would you read?",
        "We'd like a short monthly summary. What should be in it?",
    ),
    (
        Q,
        "Sampling for data quality checks",
        "Full-table checks are too slow. How do you sample safely?",
    ),
    (
        R,
        "Runbook: a pipeline failed at night",
        "What to check first, whom to call, how to rerun.",
    ),
    (
        Q,
        "Surrogate keys or natural keys?",
        "For policy data with messy natural keys, do you generate surrogates?",
    ),
    (
        Q,
        "Column-level lineage tools",
        "Anyone using column-level lineage in practice?",
    ),
    (
        D,
        "Learning Rust for data tooling?",
        "A few of us are curious. Worth it for internal tools?",
    ),
    (
        Q,
        "Handling duplicates from retries",
        "Our ingestion retries create duplicates. Dedup at load or downstream?",
    ),
    (
        Q,
        "Secrets in Airflow connections",
        "Where do you keep credentials — Airflow, vault, cloud secrets?",
    ),
];

pub const DE_REPLIES: &[(&str, &str)] = &[
    (
        "lena",
        "The platform team can help; we did this for Underwriting last quarter and wrote it up.",
    ),
    (
        "raj",
        "In Claims we learned this the hard way. Start small and add a test for each incident.",
    ),
    (
        "sofia",
        "Pricing uses the same pattern; the trick was agreeing it with the consumers first.",
    ),
    (
        "marcus",
        "Finance cares about reconciliation: whatever you do, keep totals checkable.",
    ),
    (
        "yuki",
        "Marketing had the same problem with event data; consent made it more complicated.",
    ),
    (
        "carlos",
        "For streaming we solved it with compacted topics and a replay job.",
    ),
    (
        "anna",
        "Watch the cost dashboard while you try it — the first attempt doubled our bill.",
    ),
    (
        "david",
        "Risk needs an audit trail for this, so we keep every version.",
    ),
    (
        "mei",
        "The ML side needs point-in-time correctness; design for that from the start.",
    ),
    (
        "pablo",
        "Our OCR pipeline does something similar; happy to show it at demo day.",
    ),
    (
        "ali",
        "Please loop in security before this goes to production — PII is involved.",
    ),
    (
        "zoe",
        "I'm new to this but the dbt docs example worked for us in Finance.",
    ),
];

pub const GIS: &[Short] = &[
    (
        Q,
        "Reprojecting rasters without losing alignment",
        "gdalwarp shifts my raster by half a pixel. Which options keep it aligned?",
    ),
    (
        Q,
        "Best way to share a QGIS project with colleagues",
        "Relative paths, GeoPackage, or a project in PostGIS?",
    ),
    (
        D,
        "OpenStreetMap imports: when is it OK?",
        "A city offers its building footprints. How do we import responsibly?",
    ),
    (
        R,
        "QGIS style for cadastral maps",
        "The QML style our municipality uses for parcels and addresses.",
    ),
    (
        Q,
        "Geocoding addresses with no street names",
        "Informal settlements have no street names. How do you geocode?",
    ),
    (
        Q,
        "Simplifying polygons without gaps",
        "ST_Simplify leaves gaps between neighbouring parcels. Topology-preserving options?",
    ),
    (
        Q,
        "Choosing a projection for a whole country",
        "Equal area or conformal for national statistics maps?",
    ),
    (
        D,
        "Training volunteers for field mapping",
        "What do you teach in a first session with new volunteers?",
    ),
    (
        Q,
        "Vector tiles: which zoom levels to pre-render?",
        "We serve a country-wide base map. Where do you stop pre-rendering?",
    ),
    (
        R,
        "Cheat sheet: EPSG codes we use daily",
        "A one-page list of the CRSs our team meets most, with notes.",
    ),
    (
        Q,
        "Storing GPS tracks efficiently",
        "Millions of points per day. LineStrings per trip or points table?",
    ),
    (
        Q,
        "Georeferencing old paper maps",
        "How many control points and which transformation for 1950s maps?",
    ),
    (
        D,
        "Offline maps on cheap Android phones",
        "Which apps run well on 2 GB phones?",
    ),
    (
        Q,
        "Calculating flood depth from a DEM",
        "Water surface minus DEM — how do you get the water surface?",
    ),
    (
        Q,
        "Spatial joins in Python at scale",
        "GeoPandas slows down at 10 million rows. Alternatives?",
    ),
    (
        R,
        "Workshop materials: PostGIS in a day",
        "Slides and exercises from our one-day PostGIS workshop.",
    ),
    (
        Q,
        "Licensing for derived data from OSM",
        "If we combine OSM with our data, what licence applies?",
    ),
    (
        Q,
        "Drone flight planning for orthophotos",
        "Overlap settings for rural mapping?",
    ),
    (
        D,
        "Is QGIS ready for the whole municipality?",
        "Our city considers moving all departments to QGIS. Experiences?",
    ),
    (
        Q,
        "Metadata that people fill in",
        "How do you get colleagues to write metadata at all?",
    ),
    (
        Q,
        "Serving WMS and vector tiles side by side",
        "Same data, two services. How do you keep styles in sync?",
    ),
    (
        R,
        "Field form templates for QField",
        "Forms for water points, schools and health facilities.",
    ),
    (
        Q,
        "Accuracy of phone GPS under tree cover",
        "What accuracy do you get under canopy, and does an external receiver help?",
    ),
    (
        Q,
        "Routing with elevation for cyclists",
        "Which routing engine handles elevation well?",
    ),
    (
        D,
        "Mentoring newcomers to open-source GIS",
        "Would anyone mentor someone moving from proprietary tools?",
    ),
    (
        Q,
        "Detecting buildings from imagery",
        "Which open models work for rural buildings?",
    ),
    (
        Q,
        "Datum shifts between old and new national grids",
        "Grid files or seven-parameter transformations?",
    ),
    (
        R,
        "Our style guide for thematic maps",
        "Colours, fonts and legends we use for public-facing maps.",
    ),
    (
        Q,
        "Publishing maps accessibly",
        "How do you make web maps accessible to screen reader users?",
    ),
    (
        Q,
        "Backing up a PostGIS database",
        "pg_dump custom format or physical backups for 500 GB?",
    ),
    (
        Q,
        "Snapping GPS points to roads",
        "Map matching noisy tracks to OSM roads: which tool?",
    ),
    (
        Q,
        "Hexagon grids for statistics",
        "H3 or regular hex grids for publishing statistics?",
    ),
    (
        D,
        "Remote sensing courses worth taking",
        "Which free courses helped you most?",
    ),
    (
        R,
        "Python snippets for GDAL we reuse",
        "Small scripts for warping, clipping and mosaicking.",
    ),
    (
        Q,
        "Address points vs. building centroids",
        "For geocoding, which gives better results in cities?",
    ),
    (
        Q,
        "Topology checks before publishing parcels",
        "Which checks do you run before publishing cadastral data?",
    ),
    (
        D,
        "Community mapping and elections",
        "How do you keep mapping neutral in an election year?",
    ),
    (
        Q,
        "Storing time series of satellite indices",
        "NDVI per field per week: raster cubes or tables?",
    ),
    (
        Q,
        "Styling for colour-blind readers",
        "Which palettes do you use for choropleths?",
    ),
    (
        R,
        "Our QGIS plugin list",
        "The plugins every new colleague installs, and why.",
    ),
];

pub const GIS_REPLIES: &[(&str, &str)] = &[
    (
        "amara",
        "In Nairobi we found the community's own knowledge beat any tool; ask them first.",
    ),
    (
        "joost",
        "Utrecht publishes a how-to for this on our open data portal; I'll dig out the link.",
    ),
    (
        "beatriz",
        "We automated this in our tile pipeline; the scripts are in the resource thread.",
    ),
    (
        "arjun",
        "For disaster response speed matters more than perfection — we accept rough results first.",
    ),
    (
        "ingrid",
        "Check the CRS first. Nine times out of ten that's the problem.",
    ),
    (
        "kofi",
        "Our app handles this offline; the trick is small GeoPackages per team.",
    ),
    (
        "maria",
        "I teach this in my course with a simple exercise; happy to share the material.",
    ),
    (
        "liam",
        "With point clouds we do the same, but classify ground points first.",
    ),
    (
        "sunita",
        "Participatory mapping changes the question — decide it with the community.",
    ),
    (
        "tariq",
        "OGC API Features makes this easier to publish; we moved to it last year.",
    ),
    (
        "chen_wei",
        "I benchmarked a few options for this; PostGIS won once the indexes were right.",
    ),
    (
        "eva",
        "From the cartography side: test the result with someone who has never seen the map.",
    ),
];
