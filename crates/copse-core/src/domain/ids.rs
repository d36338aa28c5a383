//! The ids of what copse stores, each its own type: an account's id cannot be passed where a
//! community's is meant, which an `i64` would allow. They are numbers on the wire (JSON, URLs)
//! and in the database.
//!
//! A mixed-up id is a compile error:
//!
//! ```compile_fail
//! use copse_core::domain::{AccountId, CommunityId};
//! fn members_of(_community: CommunityId) {}
//! members_of(AccountId(1));
//! ```
//!
//! ```
//! use copse_core::domain::CommunityId;
//! fn members_of(_community: CommunityId) {}
//! members_of(CommunityId(1));
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl $name {
            /// The number, for the wire and for arithmetic on ids (cursors, counters).
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl PartialEq<i64> for $name {
            fn eq(&self, other: &i64) -> bool {
                self.0 == *other
            }
        }
    };
}

id_type!(
    /// A person's account.
    AccountId
);
id_type!(
    /// A community.
    CommunityId
);
