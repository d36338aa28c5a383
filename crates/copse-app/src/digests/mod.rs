//! Personal digests: for a batch of people, what happened in their communities in the period
//! that they may read and have not seen on the site — new threads (those in topics they follow
//! marked), open questions matching their expertise, what is coming up, new value stories and
//! newcomers to welcome. A batch reads its data with a fixed number of queries (per batch and per
//! community, never per person or item) and applies the access policy in memory, person by
//! person, with the same `policy` functions every other surface uses.

mod build;
mod gather;
pub mod mail;
mod model;
mod sections;

pub use build::build;
pub use model::{CommunityDigest, Digest, Line};
