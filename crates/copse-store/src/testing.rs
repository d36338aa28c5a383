//! Fresh databases for tests: a temporary SQLite file always, and a new PostgreSQL database when
//! `COPSE_TEST_DATABASE_URL` names a server. Every test gets its own database, so tests run in
//! parallel and never see each other's rows.

use copse_core::domain::AccountId;
use std::path::PathBuf;
use std::sync::Arc;

use copse_core::clock::Clock;
use sqlx::Connection;

use crate::{Backend, Store};
use copse_core::domain::CommunityId;

/// A database made for one test; removed again when dropped (best effort).
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("operating system randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TestDb {
    /// A migrated SQLite database in a temporary file.
    pub async fn sqlite(clock: Arc<dyn Clock>) -> anyhow::Result<TestDb> {
        let path = std::env::temp_dir().join(format!("copse-test-{}.db", random_suffix()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let store = Store::connect(&url, clock).await?;
        store.migrate().await?;
        Ok(TestDb {
            store,
            url,
            cleanup: Cleanup::File(path),
        })
    }

    /// A migrated PostgreSQL database created afresh on the server at `admin_url`.
    pub async fn postgres(admin_url: &str, clock: Arc<dyn Clock>) -> anyhow::Result<TestDb> {
        sqlx::any::install_default_drivers();
        let name = format!("copse_test_{}", random_suffix());
        let mut admin = sqlx::AnyConnection::connect(admin_url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        let url = with_database(admin_url, &name);
        let store = Store::connect(&url, clock).await?;
        store.migrate().await?;
        Ok(TestDb {
            store,
            url,
            cleanup: Cleanup::Database {
                admin_url: admin_url.to_string(),
                name,
            },
        })
    }

    /// One database per backend under test: SQLite always, PostgreSQL when configured.
    pub async fn each_backend(clock: impl Fn() -> Arc<dyn Clock>) -> anyhow::Result<Vec<TestDb>> {
        let mut dbs = vec![TestDb::sqlite(clock()).await?];
        if let Some(url) = postgres_url() {
            dbs.push(TestDb::postgres(&url, clock()).await?);
        }
        Ok(dbs)
    }

    /// One database per backend under test, each with its own fixed clock starting at `start`.
    pub async fn each_backend_with_clock(
        start: i64,
    ) -> anyhow::Result<Vec<(TestDb, copse_core::clock::FixedClock)>> {
        use copse_core::clock::FixedClock;
        let clock = FixedClock::at(start);
        let mut dbs = vec![(TestDb::sqlite(Arc::new(clock.clone())).await?, clock)];
        if let Some(url) = postgres_url() {
            let clock = FixedClock::at(start);
            dbs.push((
                TestDb::postgres(&url, Arc::new(clock.clone())).await?,
                clock,
            ));
        }
        Ok(dbs)
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Runs raw SQL on the test's database — for tests that set the scene no use case can, such
    /// as a trigger that makes one kind of write fail.
    pub async fn run_sql(&self, sql: &str) -> anyhow::Result<()> {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(&self.store.pool)
            .await?;
        Ok(())
    }

    /// The number a `SELECT COUNT(*) …` answers.
    pub async fn count(&self, sql: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&self.store.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        n
    }

    /// Makes every insert into `table` whose `column` starts with `prefix` fail, as a full disk
    /// or a broken constraint would; [`TestDb::heal`] takes it back.
    pub async fn fail_inserts(&self, table: &str, column: &str, prefix: &str) {
        let sql = match self.backend() {
            Backend::Sqlite => format!(
                "CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} \
                 WHEN CAST(NEW.{column} AS TEXT) LIKE '{prefix}%' \
                 BEGIN SELECT RAISE(ABORT, 'injected failure'); END;"
            ),
            Backend::Postgres => format!(
                "CREATE FUNCTION fail_{table}() RETURNS trigger AS $$ BEGIN \
                 IF CAST(NEW.{column} AS TEXT) LIKE '{prefix}%' THEN RAISE EXCEPTION 'injected failure'; END IF; \
                 RETURN NEW; END $$ LANGUAGE plpgsql; \
                 CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION fail_{table}();"
            ),
        };
        self.run_sql(&sql).await.unwrap();
    }

    /// Takes back [`TestDb::fail_inserts`] on `table`.
    pub async fn heal(&self, table: &str) {
        let sql = match self.backend() {
            Backend::Sqlite => format!("DROP TRIGGER fail_{table};"),
            Backend::Postgres => {
                format!("DROP TRIGGER fail_{table} ON {table}; DROP FUNCTION fail_{table}();")
            }
        };
        self.run_sql(&sql).await.unwrap();
    }

    /// Closes the pool and removes the database.
    pub async fn finish(self) {
        self.store.close().await;
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(mut admin) = sqlx::AnyConnection::connect(admin_url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut admin)
                    .await;
                }
            }
        }
    }
}

/// The PostgreSQL server tests should also run on, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("COPSE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

const WORDS: &[&str] = &[
    "audit",
    "hygiene",
    "ward",
    "isolation",
    "dressing",
    "pipeline",
    "contract",
    "schema",
    "projection",
    "datum",
    "tiles",
    "checklist",
    "training",
    "outbreak",
    "surveillance",
    "compression",
    "sepsis",
    "catheter",
    "cohort",
    "review",
    "practice",
    "question",
    "answer",
    "policy",
    "infection",
    "data",
    "quality",
    "night",
    "shift",
    "team",
    "patient",
    "cost",
    "test",
    "map",
    "field",
    "survey",
];

/// Deterministic text of the words above (xorshift64*: fast and good enough to vary text).
struct Words(u64);

impl Words {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[(self.next() % from.len() as u64) as usize]
    }

    fn sentence(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| self.pick(WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The `VALUES` rows for `rows` rows of `columns` bound values each: `row` places one row's
/// placeholders (`$1`, `$2`, …), so a row may repeat one or hold a literal.
fn values(rows: usize, columns: usize, row: impl Fn(&[String]) -> String) -> String {
    (0..rows)
        .map(|r| {
            let p: Vec<String> = (1..=columns)
                .map(|c| format!("${}", r * columns + c))
                .collect();
            row(&p)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

const BULK_BATCH: usize = 400;

/// Fills a community with `threads` generated threads of `replies_each` replies, in batches,
/// for benchmarks. Text is drawn from a small practice vocabulary so that full-text search has
/// common and rare words to find. Deterministic for a given `seed`.
pub async fn seed_bulk_practice(
    store: &Store,
    community: CommunityId,
    authors: &[AccountId],
    threads: usize,
    replies_each: usize,
    seed: u64,
) -> anyhow::Result<()> {
    let mut words = Words(seed | 1);
    let (first_id,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), 0) + 1 FROM threads")
        .fetch_one(&store.pool)
        .await?;
    let mut tx = store.pool.begin().await?;
    let mut made = 0;
    while made < threads {
        let n = BULK_BATCH.min(threads - made);
        let ids = first_id + made as i64..first_id + (made + n) as i64;
        let newest = store.now() - (threads - made) as i64 * 60_000;
        bulk_threads(
            &mut tx,
            community,
            authors,
            ids,
            newest,
            replies_each,
            &mut words,
        )
        .await?;
        made += n;
    }
    let total = threads * replies_each;
    let mut done = 0;
    while done < total {
        let n = BULK_BATCH.min(total - done);
        let threads: Vec<i64> = (done..done + n)
            .map(|k| first_id + (k / replies_each.max(1)) as i64)
            .collect();
        bulk_replies(
            &mut tx,
            community,
            authors,
            &threads,
            store.now(),
            &mut words,
        )
        .await?;
        done += n;
    }
    tx.commit().await?;
    Ok(())
}

/// One batch of public threads with ids `ids`, a minute apart from `first_at`.
async fn bulk_threads(
    tx: &mut sqlx::AnyConnection,
    community: CommunityId,
    authors: &[AccountId],
    ids: std::ops::Range<i64>,
    first_at: i64,
    replies_each: usize,
    words: &mut Words,
) -> anyhow::Result<()> {
    let n = (ids.end - ids.start) as usize;
    // `last_activity_at` is `created_at`: the row repeats its placeholder.
    let rows = values(n, 8, |p| {
        format!(
            "({}, {}, 'public', {}, {}, {}, {}, {}, {}, {})",
            p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[7]
        )
    });
    let sql = format!(
        "INSERT INTO threads (id, community_id, space, kind, title, body, author_id, reply_count, \
         created_at, last_activity_at) VALUES {rows}"
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (i, id) in ids.enumerate() {
        let kind = words.pick(&["discussion", "question", "resource"]);
        q = q
            .bind(id)
            .bind(community)
            .bind(kind)
            .bind(format!("{} {}", words.sentence(6), id))
            .bind(words.sentence(40))
            .bind(words.pick(authors))
            .bind(replies_each as i64)
            .bind(first_at + i as i64 * 60_000);
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

/// One batch of replies, one to each thread of `threads`.
async fn bulk_replies(
    tx: &mut sqlx::AnyConnection,
    community: CommunityId,
    authors: &[AccountId],
    threads: &[i64],
    at: i64,
    words: &mut Words,
) -> anyhow::Result<()> {
    let sql = format!(
        "INSERT INTO replies (thread_id, community_id, author_id, body, created_at) VALUES {}",
        values(threads.len(), 5, |p| format!("({})", p.join(", ")))
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for thread in threads {
        q = q
            .bind(*thread)
            .bind(community)
            .bind(words.pick(authors))
            .bind(words.sentence(30))
            .bind(at);
    }
    q.execute(&mut *tx).await?;
    Ok(())
}

/// Adds `members` accounts to a community and `entries` ledger entries spread over the last
/// `days` days before `now`, for benchmarks. Activity is skewed as in real communities: a few
/// members do most. Deterministic for a given `seed`. Returns the accounts.
pub async fn seed_bulk_participation(
    store: &Store,
    community: CommunityId,
    members: usize,
    entries: usize,
    days: i64,
    now: i64,
    seed: u64,
) -> anyhow::Result<Vec<AccountId>> {
    const KINDS: [(&str, i64); 6] = [
        ("visit", 1),
        ("reply", 2),
        ("rsvp", 1),
        ("thread_started", 3),
        ("event_attended", 2),
        ("helpful_received", 1),
    ];
    let mut rng = seed.max(1);
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut accounts = Vec::with_capacity(members);
    for chunk in (0..members).collect::<Vec<_>>().chunks(500) {
        let mut tx = store.pool.begin().await?;
        for i in chunk {
            let (id,): (AccountId,) = sqlx::query_as(
                "INSERT INTO accounts (handle, email, password_hash, display_name, created_at, updated_at) \
                 VALUES ($1, $2, 'x', $3, $4, $4) RETURNING id",
            )
            .bind(format!("bulk{i}"))
            .bind(format!("bulk{i}@example.org"))
            .bind(format!("Member {i}"))
            .bind(now - days * 86_400_000)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO memberships (community_id, account_id, role, joined_at) VALUES ($1, $2, 'member', $3)",
            )
            .bind(community)
            .bind(id)
            .bind(now - days * 86_400_000)
            .execute(&mut *tx)
            .await?;
            accounts.push(id);
        }
        tx.commit().await?;
    }
    let span = days * 86_400_000;
    let mut written = 0;
    while written < entries {
        let batch = (entries - written).min(500);
        let mut sql = String::from(
            "INSERT INTO activity (community_id, account_id, kind, weight, private, at, source) VALUES ",
        );
        let mut values = Vec::with_capacity(batch);
        for j in 0..batch {
            // Squaring a uniform number skews activity toward the first accounts.
            let u = (next() % 10_000) as f64 / 10_000.0;
            let who = accounts[((u * u) * accounts.len() as f64) as usize % accounts.len()];
            let (kind, weight) = KINDS[(next() % KINDS.len() as u64) as usize];
            let at = now - (next() % span as u64) as i64;
            values.push(format!(
                "({community}, {who}, '{kind}', {weight}, 0, {at}, 'bulk:{}')",
                written + j
            ));
        }
        sql.push_str(&values.join(", "));
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&store.pool)
            .await?;
        written += batch;
    }
    Ok(accounts)
}

/// An account with this handle (e-mail `<handle>@example.org`), for tests.
pub async fn person(s: &Store, handle: &str) -> copse_core::domain::Account {
    s.create_account(&copse_core::domain::NewAccount {
        handle: copse_core::domain::Handle::parse(handle).unwrap(),
        email: copse_core::domain::Email::parse(&format!("{handle}@example.org")).unwrap(),
        password_hash: "h".into(),
        profile: copse_core::domain::Profile {
            display_name: handle.into(),
            ..copse_core::domain::Profile::default()
        },
        is_admin: false,
        email_verified: true,
    })
    .await
    .unwrap()
}

/// A public, listed, open community `ipc` named "IPC", with `owner` as its coordinator.
pub async fn community(
    s: &Store,
    owner: &copse_core::domain::Account,
) -> copse_core::domain::Community {
    use copse_core::domain::*;
    s.create_community(
        &NewCommunity {
            slug: Slug::parse("ipc").unwrap(),
            name: "IPC".into(),
            domain_statement: "d".into(),
            visibility: Visibility::Public,
            listed: true,
            join_policy: JoinPolicy::Open,
            join_questions: vec![],
            stage: Stage::Maturing,
        },
        owner.id,
    )
    .await
    .unwrap()
}

/// Marks `handle`'s address verified and its link's job done, as if the link had been mailed
/// and followed (for tests about something else; the verification tests walk that path).
pub async fn verify_email(s: &Store, handle: &str) {
    sqlx::query("UPDATE accounts SET email_verified_at = created_at WHERE handle = $1")
        .bind(handle)
        .execute(&s.pool)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE jobs SET status = 'done' WHERE kind = 'verify_email' AND status = 'pending' \
         AND key LIKE 'verify-email:' || (SELECT id FROM accounts WHERE handle = $1) || ':%'",
    )
    .bind(handle)
    .execute(&s.pool)
    .await
    .unwrap();
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
