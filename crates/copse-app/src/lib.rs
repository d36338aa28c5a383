//! copse-app: what people can do with copse, written once for every surface.
//!
//! The use cases live here by area (`threads`, `events`, `value`, …): each parses raw input
//! into domain types, asks the access policy, and writes through the store — in one
//! transaction when it writes more than once. Beside them: the typed background jobs and the
//! worker that schedules and runs them, e-mail composition and delivery, and the renderings
//! that pages, feeds and e-mails share (Markdown, iCalendar).
//!
//! The web crate calls these functions and never reaches the store itself: [`App`] keeps its
//! store to this crate.

pub mod access;
pub mod accounts;
mod app;
pub mod calendar;
pub mod checkins;
pub mod circles;
pub mod communities;
pub mod community_export;
pub mod community_import;
pub mod community_merge;
pub mod community_split;
pub mod connections;
pub mod conversations;
pub mod digests;
pub mod email_admin;
pub mod email_links;
pub mod email_settings;
pub mod events;
pub mod files;
pub mod first_steps;
pub mod ical;
pub mod invitation_mail;
pub mod jobs;
pub mod leaving;
pub mod mail;
pub mod mail_import;
pub mod markdown;
pub mod membership;
pub mod moderation;
pub mod newsletters;
pub mod note_mail;
pub mod notifications;
pub mod participation;
pub mod password_reset;
pub mod passwords;
pub mod personal_export;
pub mod reminders;
pub mod rhythm;
pub mod search;
pub mod secrets;
pub mod sessions;
pub mod setup;
pub mod sso;
pub mod threads;
mod unclaimed;
pub mod user_admin;
pub mod value;
pub mod verification;
pub mod welcome;
pub mod worker;

pub use app::{App, AppConfig};
