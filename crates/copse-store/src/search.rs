//! Full-text search over threads and replies, on SQLite FTS5 or PostgreSQL text search, with the
//! access policy's thread filter in the same query — so search never returns, ranks or hints at
//! anything the searcher may not read.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::domain::ThreadKind;
use copse_core::policy::ThreadFilter;
use copse_core::search::{SearchFilters, SearchHit, SearchQuery};
use sqlx::AssertSqlSafe;

use crate::{Backend, Store};
use copse_core::domain::{AccountId, CommunityId};

#[derive(sqlx::FromRow)]
struct HitRow {
    thread_id: i64,
    reply_id: Option<i64>,
    score: f64,
    snip: Option<String>,
    title: String,
    kind: String,
    slug: String,
    name: String,
    handle: String,
    created_at: i64,
}

/// The policy's thread filter and the search filters, on aliases `t`, `c` and `vm`.
fn visible() -> String {
    format!(
        "t.deleted_at IS NULL AND {} \
    AND ($4 = -1 OR t.community_id = $4) \
    AND ($5 = '' OR t.kind = $5) \
    AND ($6 = -1 OR ($6 = 1 AND t.accepted_reply_id IS NOT NULL) OR ($6 = 0 AND t.kind = 'question' AND t.accepted_reply_id IS NULL AND t.closed_at IS NULL)) \
    AND ($7 = '' OR t.id IN (SELECT tt.thread_id FROM thread_topics tt JOIN topics tp ON tp.id = tt.topic_id \
                             WHERE tp.slug = $7 AND tp.community_id = t.community_id))",
        crate::visibility::readable("$3")
    )
}

fn joins() -> String {
    crate::visibility::reader_join("$2")
}

/// Every match on SQLite — threads by title and body, replies by body — with its score.
fn sqlite_matches() -> String {
    let (visible, joins) = (visible(), joins());
    format!(
        "SELECT t.id AS thread_id, NULL AS reply_id, -bm25(threads_fts, 4.0, 1.0) AS score, \
                t.created_at AS created_at, t.author_id AS author_id \
         FROM threads_fts JOIN threads t ON t.id = threads_fts.rowid {joins} \
         WHERE threads_fts MATCH $1 AND {visible} AND ($8 = -1 OR t.author_id = $8) AND t.created_at >= $9 AND t.created_at <= $10 \
         UNION ALL \
         SELECT r.thread_id, r.id, -bm25(replies_fts), r.created_at, r.author_id \
         FROM replies_fts JOIN replies r ON r.id = replies_fts.rowid JOIN threads t ON t.id = r.thread_id {joins} \
         WHERE replies_fts MATCH $1 AND r.deleted_at IS NULL AND r.hidden_at IS NULL AND {visible} \
           AND ($8 = -1 OR r.author_id = $8) AND r.created_at >= $9 AND r.created_at <= $10"
    )
}

/// One hit per thread — its best match, the thread itself when a reply scores the same — so
/// a thread whose title and replies all match is listed once.
fn best_per_thread(matches: &str) -> String {
    format!(
        "SELECT * FROM (SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.thread_id \
           ORDER BY m.score DESC, m.reply_id IS NOT NULL, m.reply_id) AS nth FROM ({matches}) m) best \
         WHERE best.nth = 1"
    )
}

fn sqlite_sql() -> String {
    format!(
        "SELECT h.thread_id, h.reply_id, h.score, NULL AS snip, t.title, t.kind, c.slug, c.name, a.handle, h.created_at \
         FROM ({}) h JOIN threads t ON t.id = h.thread_id JOIN communities c ON c.id = t.community_id JOIN accounts a ON a.id = h.author_id \
         ORDER BY h.score DESC, h.thread_id DESC LIMIT $11 OFFSET $12",
        best_per_thread(&sqlite_matches())
    )
}

/// How many threads match, counted up to `$11` (a common word matches most of a large site;
/// the page then says "more than …" rather than counting them all).
fn count_sql(matches: &str) -> String {
    format!(
        "SELECT COUNT(*) FROM (SELECT DISTINCT m.thread_id FROM ({matches}) m LIMIT $11) counted"
    )
}

/// Snippets of the hits on one page, in one query per table: computing them for every match
/// before ranking would cost far more than the ranking itself.
async fn sqlite_snippets(store: &Store, fts: &str, hits: &mut [SearchHit]) -> Result<()> {
    for (table, column, replies) in [("threads_fts", "-1", false), ("replies_fts", "0", true)] {
        let ids: Vec<i64> = hits
            .iter()
            .filter_map(|h| {
                if replies {
                    h.reply_id
                } else if h.reply_id.is_none() {
                    Some(h.thread_id)
                } else {
                    None
                }
            })
            .collect();
        if ids.is_empty() {
            continue;
        }
        let placeholders: Vec<String> = (2..ids.len() + 2).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT rowid, snippet({table}, {column}, char(1), char(2), '…', 24) FROM {table} \
             WHERE {table} MATCH $1 AND rowid IN ({})",
            placeholders.join(", ")
        );
        let mut query =
            sqlx::query_as::<_, (i64, String)>(AssertSqlSafe(sql)).bind(fts.to_string());
        for id in &ids {
            query = query.bind(*id);
        }
        for (id, snippet) in query.fetch_all(&store.pool).await.or_internal()? {
            for hit in hits.iter_mut() {
                let hit_id = if replies {
                    hit.reply_id
                } else if hit.reply_id.is_none() {
                    Some(hit.thread_id)
                } else {
                    None
                };
                if hit_id == Some(id) {
                    hit.snippet = snippet.clone();
                }
            }
        }
    }
    Ok(())
}

/// Every match on PostgreSQL, with its score and the text its snippet comes from.
fn postgres_matches() -> String {
    let (visible, joins) = (visible(), joins());
    format!(
        "SELECT t.id AS thread_id, NULL::bigint AS reply_id, (ts_rank_cd(t.search, websearch_to_tsquery('english', $1)) * 1.5)::float8 AS score, \
                t.title || ' ' || t.body AS text, t.created_at AS created_at, t.author_id AS author_id \
         FROM threads t {joins} \
         WHERE t.search @@ websearch_to_tsquery('english', $1) AND {visible} \
           AND ($8 = -1 OR t.author_id = $8) AND t.created_at >= $9 AND t.created_at <= $10 \
         UNION ALL \
         SELECT r.thread_id, r.id, ts_rank_cd(r.search, websearch_to_tsquery('english', $1))::float8, r.body, r.created_at, r.author_id \
         FROM replies r JOIN threads t ON t.id = r.thread_id {joins} \
         WHERE r.search @@ websearch_to_tsquery('english', $1) AND r.deleted_at IS NULL AND r.hidden_at IS NULL AND {visible} \
           AND ($8 = -1 OR r.author_id = $8) AND r.created_at >= $9 AND r.created_at <= $10"
    )
}

fn postgres_sql() -> String {
    format!(
        "SELECT h.thread_id, h.reply_id, h.score, \
                ts_headline('english', h.text, websearch_to_tsquery('english', $1), \
                  'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snip, \
                t.title, t.kind, c.slug, c.name, a.handle, h.created_at FROM ( \
           SELECT * FROM ({}) ranked ORDER BY score DESC, thread_id DESC LIMIT $11 OFFSET $12 \
         ) h JOIN threads t ON t.id = h.thread_id JOIN communities c ON c.id = t.community_id JOIN accounts a ON a.id = h.author_id \
         ORDER BY h.score DESC, h.thread_id DESC",
        best_per_thread(&postgres_matches())
    )
}

/// The query text and filters every search statement binds as `$1` to `$10`, in order.
struct Binds {
    text: String,
    account: i64,
    all: i64,
    community: CommunityId,
    kind: &'static str,
    answered: i64,
    topic: String,
    author: AccountId,
    from: i64,
    to: i64,
}

impl Binds {
    fn new(
        store: &Store,
        filter: ThreadFilter,
        query: &SearchQuery,
        filters: &SearchFilters,
    ) -> Self {
        let (all, account) = crate::visibility::binds(filter);
        Binds {
            text: match store.backend {
                Backend::Sqlite => query.to_fts5(),
                Backend::Postgres => query.to_websearch(),
            },
            account,
            all,
            community: filters.community.unwrap_or(CommunityId(-1)),
            kind: filters.kind.map(ThreadKind::as_str).unwrap_or(""),
            answered: filters.answered.map_or(-1, i64::from),
            topic: filters.topic.clone().unwrap_or_default(),
            author: filters.author.unwrap_or(AccountId(-1)),
            from: filters.from.unwrap_or(i64::MIN),
            to: filters.to.unwrap_or(i64::MAX),
        }
    }
}

/// Binds `$1` to `$10` of a search statement.
macro_rules! bound {
    ($query:expr, $b:expr) => {
        $query
            .bind($b.text.clone())
            .bind($b.account)
            .bind($b.all)
            .bind($b.community)
            .bind($b.kind)
            .bind($b.answered)
            .bind($b.topic.clone())
            .bind($b.author)
            .bind($b.from)
            .bind($b.to)
    };
}

impl Store {
    /// One page of hits, best first and one per thread, among what `filter` (from the access
    /// policy) admits.
    pub async fn search(
        &self,
        filter: ThreadFilter,
        query: &SearchQuery,
        filters: &SearchFilters,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<SearchHit>> {
        let binds = Binds::new(self, filter, query, filters);
        let sql = match self.backend {
            Backend::Sqlite => sqlite_sql(),
            Backend::Postgres => postgres_sql(),
        };
        let rows: Vec<HitRow> = bound!(sqlx::query_as(AssertSqlSafe(sql)), binds)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
        let mut hits = rows
            .into_iter()
            .map(|r| {
                Ok(SearchHit {
                    thread_id: r.thread_id,
                    reply_id: r.reply_id,
                    score: r.score,
                    snippet: r.snip.unwrap_or_default(),
                    title: r.title,
                    kind: ThreadKind::parse(&r.kind).or_internal()?,
                    community_slug: r.slug,
                    community_name: r.name,
                    author_handle: r.handle,
                    created_at: r.created_at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if self.backend == Backend::Sqlite {
            sqlite_snippets(self, &binds.text, &mut hits).await?;
        }
        Ok(hits)
    }

    /// How many threads the same search finds, counted no further than `cap`.
    pub async fn search_count(
        &self,
        filter: ThreadFilter,
        query: &SearchQuery,
        filters: &SearchFilters,
        cap: i64,
    ) -> Result<i64> {
        let binds = Binds::new(self, filter, query, filters);
        let sql = match self.backend {
            Backend::Sqlite => count_sql(&sqlite_matches()),
            Backend::Postgres => count_sql(&postgres_matches()),
        };
        bound!(sqlx::query_scalar(AssertSqlSafe(sql)), binds)
            .bind(cap)
            .fetch_one(&self.pool)
            .await
            .or_internal()
    }
}
