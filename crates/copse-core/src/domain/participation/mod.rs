//! Participation: the kinds of act the ledger records, the levels they come to, the reference
//! distribution from the literature, and what the store keeps of levels.

pub mod acts;
pub mod levels;
pub mod records;
pub mod reference;

pub use acts::{Act, ActivityKind, KINDS, PRIVATE_SPACES, kind, private_in, private_story};
pub use levels::{Level, Tally, Thresholds, explain, level};
pub use records::{LevelChange, MemberLevel, Snapshot};
pub use reference::{REFERENCE, reading};
