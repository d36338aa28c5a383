//! One community's share of the database, for its archive: the community's row, every table
//! with a `community_id` of it, the tables hanging from those by a foreign key (a check-in's
//! answers, a story's comments), and the people those rows name — read from the schema, so a
//! table added later comes along without code here.
//!
//! What the exporter may not read stays out, row by row, in load order: circles outside the
//! cut, deleted rows, private exchanges unless the cut takes them, and then every row that
//! points — by a foreign key or one of the [`IMPLICIT`] references — at a row left out or at a
//! table not in the archive. A row cannot reach the archive through something it hangs from.

use std::collections::{BTreeSet, HashMap, HashSet};

use copse_core::domain::{AccountId, CommunityId};
use copse_core::{OrInternal, Result};
use serde_json::Value;

use super::rows::{RowFilter, quoted};
use super::shape::{Row, TableShape};
use crate::db::Store;

/// Never in a community's archive: people's own inboxes and pending invitations (their
/// tokens and addresses belong to the invitees), and the old addresses kept for redirects
/// (they mean nothing on another site).
/// The archives themselves are not in one either.
const NEVER: &[&str] = &[
    "notifications",
    "invitations",
    "community_redirects",
    "community_exports",
];
/// Conversations and introductions between people: in a site admin's archive only.
const PRIVATE_EXCHANGES: &[&str] = &[
    "conversations",
    "conversation_members",
    "messages",
    "connections",
    "meeting_proposals",
];

/// Where an id that no foreign key declares points.
pub enum Points {
    /// Always into one table.
    Into(&'static str),
    /// Into the table the kind column names (kinds not listed point nowhere in the archive).
    ByKind(&'static str, &'static [(&'static str, &'static str)]),
}

/// An id column without a declared foreign key: the table, the column, where it points.
pub type Implicit = (&'static str, &'static str, Points);

/// What a flag or a moderation entry is about, by its `target_kind`.
const TARGETS: &[(&str, &str)] = &[
    ("thread", "threads"),
    ("reply", "replies"),
    ("account", "accounts"),
    ("profile", "accounts"),
    ("story", "value_stories"),
    ("story_comment", "story_comments"),
    ("message", "messages"),
];

/// The id columns no foreign key declares. A check in the tests keeps this list whole: every
/// `…_id` column of the schema is a foreign key, a key of its own table, or listed here.
pub const IMPLICIT: &[Implicit] = &[
    ("threads", "accepted_reply_id", Points::Into("replies")),
    ("threads", "merged_into", Points::Into("threads")),
    ("replies", "quoted_reply_id", Points::Into("replies")),
    (
        "conversation_members",
        "last_read_id",
        Points::Into("messages"),
    ),
    (
        "files",
        "attached_id",
        Points::ByKind(
            "attached_kind",
            &[
                ("thread", "threads"),
                ("reply", "replies"),
                ("story", "value_stories"),
                ("message", "messages"),
                ("recap", "events"),
                ("avatar", "accounts"),
            ],
        ),
    ),
    ("flags", "target_id", Points::ByKind("target_kind", TARGETS)),
    (
        "moderation_log",
        "target_id",
        Points::ByKind("target_kind", TARGETS),
    ),
    (
        "story_credits",
        "target_id",
        Points::ByKind(
            "kind",
            &[
                ("thread", "threads"),
                ("event", "events"),
                ("circle", "circles"),
            ],
        ),
    ),
];

/// What goes into a community's archive, as the access policy decided for the exporter.
#[derive(Debug, Clone)]
pub struct CommunityCut {
    pub community: CommunityId,
    /// The circles whose threads, events, stories and members go in; `None`: every circle.
    pub circles: Option<BTreeSet<i64>>,
    /// Whether conversations and introductions go in (a site admin's archive).
    pub private_exchanges: bool,
}

/// A community's share of the database being read, table by table in load order.
pub struct CommunityDump {
    cut: CommunityCut,
    tables: Vec<(TableShape, RowFilter)>,
    /// Every table in the archive, for telling a reference into one from one out of it.
    names: HashSet<String>,
    /// The ids of rows left out so far, by table.
    left_out: HashMap<String, HashSet<i64>>,
    people: BTreeSet<i64>,
    /// Rows the cut kept out of the archive.
    pub rows_left_out: u64,
}

impl Store {
    /// The tables of `cut`'s community, in load order, ready to read.
    pub async fn community_dump(&self, cut: CommunityCut) -> Result<CommunityDump> {
        let mut tables = Vec::new();
        let mut names = HashSet::new();
        for shape in self.table_shapes().await? {
            let name = shape.name.as_str();
            let private = PRIVATE_EXCHANGES.contains(&name) && !cut.private_exchanges;
            if NEVER.contains(&name) || private {
                continue;
            }
            let Some(condition) = community_condition(&shape, &names) else {
                continue;
            };
            names.insert(shape.name.clone());
            let filter = RowFilter {
                condition,
                value: cut.community.get(),
            };
            tables.push((shape, filter));
        }
        Ok(CommunityDump {
            cut,
            tables,
            names,
            left_out: HashMap::new(),
            people: BTreeSet::new(),
            rows_left_out: 0,
        })
    }

    /// How many rows the `i`th table holds for the community (before the cut leaves any out).
    pub async fn community_row_count(&self, dump: &CommunityDump, i: usize) -> Result<u64> {
        let (shape, filter) = &dump.tables[i];
        let sql = format!(
            "SELECT COUNT(*) FROM {} WHERE $1 = $1 AND ({})",
            quoted(&shape.name),
            filter.condition
        );
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(0i64)
            .bind(filter.value)
            .fetch_one(&self.pool)
            .await
            .or_internal()?;
        Ok(n.max(0) as u64)
    }

    /// The `i`th table's rows that the cut admits, handed to `each`; answers how many.
    pub async fn read_community_table(
        &self,
        dump: &mut CommunityDump,
        i: usize,
        mut each: impl FnMut(Row) -> Result<()>,
    ) -> Result<u64> {
        let (shape, filter) = dump.tables[i].clone();
        let mut kept = 0;
        self.read_rows_where(&shape, Some(&filter), |mut row| {
            if dump.admits(&shape, &mut row) {
                kept += 1;
                each(row)
            } else {
                dump.leave_out(&shape, &row);
                Ok(())
            }
        })
        .await?;
        Ok(kept)
    }
}

/// How the community's rows of `shape` are found, if it has any: by its `community_id`, or
/// through a foreign key into a table already in the archive that has one — one the row cannot
/// be without (an occurrence's event, not the thread its recap may link to), when it has one.
fn community_condition(shape: &TableShape, taken: &HashSet<String>) -> Option<String> {
    if shape.name == "communities" {
        return Some("id = $2".into());
    }
    if shape.has("community_id") {
        return Some("community_id = $2".into());
    }
    let into_archive: Vec<&(String, String)> = shape
        .references
        .iter()
        .filter(|(_, target)| taken.contains(target) && target != "communities")
        .collect();
    let required = |column: &str| {
        shape
            .columns
            .iter()
            .any(|c| c.name == column && !c.nullable)
    };
    into_archive
        .iter()
        .find(|(column, _)| required(column))
        .or(into_archive.first())
        .map(|(column, target)| {
            format!(
                "{} IN (SELECT id FROM {} WHERE community_id = $2)",
                quoted(column),
                quoted(target)
            )
        })
}

fn number(row: &Row, column: &str) -> Option<i64> {
    row.get(column).and_then(Value::as_i64)
}

impl CommunityDump {
    /// The tables in the archive, in load order.
    pub fn tables(&self) -> impl Iterator<Item = &TableShape> {
        self.tables.iter().map(|(shape, _)| shape)
    }

    /// The accounts the archive's rows name so far.
    pub fn people(&self) -> Vec<AccountId> {
        self.people.iter().map(|id| AccountId(*id)).collect()
    }

    /// Whether the row goes in; a reference to a row of its own table that was left out is
    /// emptied instead (a reply quoting one in a circle). The people it names are noted.
    fn admits(&mut self, shape: &TableShape, row: &mut Row) -> bool {
        if row.get("deleted_at").is_some_and(|v| !v.is_null()) {
            return false;
        }
        if shape.name == "circles"
            && let Some(circles) = &self.cut.circles
            && !number(row, "id").is_some_and(|id| circles.contains(&id))
        {
            return false;
        }
        let declared = shape
            .references
            .iter()
            .map(|(column, target)| (column.clone(), Some(target.as_str())));
        let implicit = IMPLICIT
            .iter()
            .filter(|(table, _, _)| *table == shape.name)
            .map(|(_, column, points)| (column.to_string(), target_of(points, row)));
        let references: Vec<(String, Option<&str>)> = declared.chain(implicit).collect();
        let mut people = Vec::new();
        for (column, target) in references {
            let Some(id) = number(row, &column) else {
                continue;
            };
            if target == Some("accounts") {
                people.push(id);
            }
            if self.reaches(target, id) {
                continue;
            }
            let may_clear = target == Some(shape.name.as_str())
                && shape.columns.iter().any(|c| c.name == column && c.nullable);
            if !may_clear {
                return false;
            }
            row.insert(column, Value::Null);
        }
        self.people.extend(people);
        true
    }

    /// Whether an id in `target` is one the archive holds (or a person, who always comes).
    fn reaches(&self, target: Option<&str>, id: i64) -> bool {
        match target {
            Some("accounts") => true,
            Some("communities") => id == self.cut.community.get(),
            Some(table) => {
                self.names.contains(table)
                    && !self
                        .left_out
                        .get(table)
                        .is_some_and(|ids| ids.contains(&id))
            }
            None => false,
        }
    }

    fn leave_out(&mut self, shape: &TableShape, row: &Row) {
        self.rows_left_out += 1;
        if let Some(id) = number(row, "id") {
            self.left_out
                .entry(shape.name.clone())
                .or_default()
                .insert(id);
        }
    }
}

fn target_of(points: &Points, row: &Row) -> Option<&'static str> {
    match points {
        Points::Into(table) => Some(table),
        Points::ByKind(kind, kinds) => {
            let kind = row.get(*kind).and_then(Value::as_str)?;
            kinds.iter().find(|(k, _)| *k == kind).map(|(_, t)| *t)
        }
    }
}
