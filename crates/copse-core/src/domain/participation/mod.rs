//! Participation: the kinds of act the ledger records, the levels they come to, the reference
//! distribution from the literature, and what the store keeps of levels.

pub mod acts;
pub mod health;
pub mod levels;
pub mod records;
pub mod reference;

pub use acts::{Act, ActivityKind, KINDS, PRIVATE_SPACES, kind, private_in, private_story};
pub use health::{HealthFacts, HealthPart};
pub use levels::{Level, Tally, Thresholds, explain, level};
pub use records::{LevelChange, MemberLevel, Snapshot};
pub use reference::{
    REFERENCE, distance_from_reference, reading, reference_midpoints, reference_text,
};
