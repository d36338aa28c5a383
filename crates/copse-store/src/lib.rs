//! copse-store: everything copse keeps, on SQLite (the embedded default) or PostgreSQL (scale-out),
//! from one codebase.
//!
//! Queries go through sqlx's `Any` driver and are written once in the SQL both backends share:
//! `$n` placeholders (SQLite accepts them too), `RETURNING`, `ON CONFLICT`, times as integer
//! milliseconds, flags as 0/1 integers. Where the backends differ (collation for sorting, later
//! full-text search) [`Backend`] names the difference in one place. Each backend has its own
//! migrations folder. Every store method has a contract test in `tests/` that runs on SQLite and,
//! when `COPSE_TEST_DATABASE_URL` is set, on PostgreSQL.

mod accounts;
mod archive;
mod auth;
mod backup;
mod checkins;
mod circles;
mod communities;
mod community_exports;
mod community_imports;
mod community_merge;
mod community_split;
mod connections;
mod conversations;
mod data_exports;
mod db;
mod dump;
mod edits;
mod email;
mod email_tokens;
mod erasure;
mod events;
mod experts;
mod files;
mod invitations;
mod jobs;
mod join_requests;
mod ledger;
mod mail_imports;
mod membership;
mod merges;
mod moderation;
mod newsletter_readers;
mod newsletters;
mod notifications;
mod participation;
mod personal_data;
mod personal_moderation;
mod reminders;
mod replies;
mod review_queue;
mod rhythm;
mod rows;
mod search;
mod sso;
pub mod testing;
mod thread_moves;
mod threads;
mod user_admin;
mod value;
mod visibility;
mod warnings;
mod write;

pub use auth::{NewApiToken, SessionInfo, ThrottleRule};
pub use backup::{known_schema_version, sqlite_file};
pub use checkins::NewRound;
pub use communities::{DirectoryEntry, DirectoryQuery};
pub use community_exports::{ArchivedPerson, CommunityExport};
pub use community_merge::MergeReport;
pub use community_split::{SplitPlan, SplitReport};
pub use conversations::MessageHome;
pub use copse_core::search::{SearchFilters, SearchHit};
pub use data_exports::DataExport;
pub use db::{Backend, Store, sqlite_url_for_data_dir};
pub(crate) use db::{abort, db_err, flag, is_unique_violation, unique_or};
pub use dump::{
    Column, ColumnKind, CommunityCut, CommunityDump, IMPLICIT, Points, Remap, Row, TableShape,
    numbers_its_rows,
};
pub use email::{
    Answered, AnsweredRow, DeliveryRun, FailedDelivery, NewStoryRow, NewThreadRow, Recipient,
    RecipientFacts,
};
pub use email_tokens::{TakenToken, TokenPurpose};
pub use erasure::FORMER_MEMBER;
pub use experts::TopicExpert;
pub use invitations::Invitee;
pub use jobs::{JobRow, NewJob};
pub use ledger::NewActivity;
pub use mail_imports::ArchivedPost;
pub use moderation::{FlagRow, ThreadSwitch};
pub use newsletters::{NewNewsletter, NewsletterActivity};
pub use notifications::NewNotification;
pub use personal_data::{
    ExportedComment, ExportedMessage, ExportedReply, ExportedRsvp, ExportedStory, ExportedThread,
    PersonalData,
};
pub use personal_moderation::PersonalModeration;
pub use reminders::{DEFAULT_REMINDER_MINUTES, GoingEntry};
pub use rhythm::OccurrenceChange;
pub use sso::{LinkedIdentity, SsoLogin};
pub use threads::{MAX_PINNED, MAX_REPLIES_PER_THREAD};
pub use user_admin::{AccountCounts, AccountKind, AccountLine, AuditEntry, NewAudit, RecentPost};
pub use value::StoryChange;
pub use write::Write;
