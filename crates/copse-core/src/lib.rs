//! copse-core: the domain of a community of practice — accounts, communities, membership — its
//! rules, and the one access policy that every surface asks.
//!
//! Nothing here knows about HTTP or SQL. Values are parsed at the edge into the types of
//! [`domain`] (a [`domain::Slug`] is always valid), and [`policy`] answers "may this actor do
//! this to this thing?" and also produces the filter that list and search queries apply.

pub mod clock;
pub mod domain;
pub mod error;
pub mod page;
pub mod policy;
pub mod search;
pub mod words;

pub use error::{Error, Internal, OrInternal, Result};
