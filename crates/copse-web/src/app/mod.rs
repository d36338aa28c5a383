//! Use cases: what a person can do, written once and called by both the pages and the JSON API.
//! Each function parses raw input into domain types, asks the access policy, then calls the
//! store. Handlers stay at "extract, call, render".

pub mod accounts;
pub mod calendar;
pub mod checkins;
pub mod circles;
pub mod communities;
pub mod connections;
pub mod conversations;
pub mod digests;
pub mod email_admin;
pub mod events;
pub mod membership;
pub mod newsletters;
pub mod notifications;
pub mod participation;
pub mod rhythm;
pub mod search;
pub mod threads;
pub mod value;
