//! Domain types, one file per aggregate. Constructors named `parse` validate raw input and are
//! the only way to obtain a value, so code past the edge never re-checks.

pub mod account;
pub mod checkin;
pub mod circle;
pub mod community;
pub mod conversation;
pub mod email;
pub mod event;
pub mod files;
pub mod ids;
pub mod membership;
pub mod moderation;
pub mod newsletter;
pub mod participation;
pub mod recurrence;
pub mod rsvp;
pub mod text;
pub mod thread;
pub mod token;
pub mod uploads;
pub mod value;

pub use account::*;
pub use circle::*;
pub use community::*;
pub use conversation::*;
pub use event::*;
pub use ids::*;
pub use membership::*;
pub use moderation::*;
pub use rsvp::*;
pub use thread::*;
pub use token::{ApiTokenInfo, Scope, Scopes};
