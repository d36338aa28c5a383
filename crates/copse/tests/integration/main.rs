//! The `copse` binary from outside, one test binary: the command line, the browser journeys,
//! OpenAPI conformance, feeds and calendars read by independent parsers, and two nodes sending
//! reminders over a real SMTP server.

mod backup;
mod calendar_edges;
mod calendar_interop;
mod cli;
mod community_import;
mod demo_merge;
mod e2e;
mod feeds_interop;
mod house;
mod mbox_import;
mod openapi_conformance;
mod reminders_two_nodes;
mod site_move;
mod support;
