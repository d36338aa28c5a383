//! The demo's practice in the community of the data engineers of Alder & Finch: its topics, its longer threads
//! with replies and answers, and the many shorter ones a living community accumulates, with the
//! things its members say in reply.

use copse_core::domain::ThreadKind::{
    Announcement as A, Discussion as D, Question as Q, Resource as R,
};

use super::practice::{Short, ThreadSeed};

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
