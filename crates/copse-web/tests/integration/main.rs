//! copse-web's integration tests, one binary so the suite links once: a real copse server per
//! test (the full router on a free port over a fresh database — SQLite always, PostgreSQL too
//! when `COPSE_TEST_DATABASE_URL` is set), driven through HTTP as a client or a browser would.

mod api;
mod archive;
mod common;
mod community_export;
mod community_merge;
mod community_split;
mod data_export;
mod digests;
mod email_change;
mod events;
mod files;
mod first_steps;
mod invitation_mail;
mod leaving;
mod matrix;
mod membership_mail;
mod moderation;
mod navigation;
mod newsletters;
mod pages;
mod participation;
mod password_reset;
mod practice;
mod private;
mod rhythm;
mod transactions;
mod user_admin;
mod value;
mod verification;
mod worker;
mod write_matrix;
mod zones;
