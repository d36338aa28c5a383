//! The community newsletter: copse drafts an issue per period from what happened (the
//! worker's `newsletter_draft` job, or a coordinator's "draft now"); coordinators edit it,
//! preview it as each kind of reader gets it, and send it now or at a set time. Sent issues
//! are the community's archive. Every reader — a recipient, a visitor of the archive, the feed
//! — gets the issue expanded for them through the policy (`domain::newsletter::expand`).

pub mod delivery;
mod drafts;
mod edit;
mod read;
mod subscriptions;

pub use drafts::{draft_now, draft_scheduled, set_settings, settings};
pub use edit::{delete, send, unschedule, update};
pub use read::{
    Audience, Rendered, delivery_counts, issue, list, preview, preview_issue, read_all_as_viewer,
    read_as_viewer, referenced, referenced_many, render,
};
pub use subscriptions::{Subscription, subscriptions};
