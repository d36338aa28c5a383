//! copse-store's contract suite, one binary: every store method is run against SQLite and,
//! when `COPSE_TEST_DATABASE_URL` is set, PostgreSQL, with a fresh database per test.

mod community_cut;
mod contract;
mod directory;
mod errors;
mod events;
mod mail_imports;
mod membership;
mod newsletters;
mod participation;
mod practice;
mod rhythm;
mod search;
mod thread_lists;
mod topics;
mod user_admin;
mod value;
