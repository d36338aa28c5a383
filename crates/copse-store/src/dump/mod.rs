//! The whole database as rows, for `copse export` and `copse import`: every table's columns as
//! the database itself describes them (so a migration added later is carried without code
//! here), each row one JSON object, and the order a load must follow — a table after the
//! tables its foreign keys point to; a column that points into its own table, or closes a
//! cycle, is written in a second pass once every row is there.
//!
//! A community's archive loads into a site that has others with new ids (`remap`), in one
//! transaction (`load_into`).
//!
//! Left out: the migrations' own table, SQLite's full-text tables (their triggers refill them
//! as rows arrive) and PostgreSQL's generated columns (the database computes them).

mod community;
mod load_into;
mod order;
mod remap;
mod rows;
mod schema;
mod shape;

pub use community::{CommunityCut, CommunityDump, IMPLICIT, Points};
pub use remap::{Remap, numbers_its_rows};
pub use shape::{Column, ColumnKind, Row, TableShape};
