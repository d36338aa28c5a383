//! Participation: recording acts in the ledger, computing levels (on a schedule and on demand),
//! and what people may see of them — the aggregate and their own detail for members; names, levels
//! and movement for coordinators and leaders; nothing for anyone outside the community.

mod export;
mod health;
mod levels;
mod overview;

pub(crate) use export::csv_field;
pub use export::{Export, csv, export, period};
pub use health::Health;
pub use levels::{recompute, recompute_now, set_thresholds, visit};
pub use overview::{Distribution, Mine, MonthMoves, Overview, Suggestion, overview};
