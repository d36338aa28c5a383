//! The one access policy. Every surface — page, JSON API, list, search, feed, e-mail — asks this
//! module, and nothing else, whether an actor may do something to a thing.
//!
//! Two kinds of answer come from the same rules:
//! - [`decide`] / [`check`] for a single object ("may Ada edit this community?");
//! - [`community_filter`] for lists and search ("which communities may Ada see?"), which the store
//!   turns into a SQL `WHERE` clause. [`CommunityFilter::admits`] evaluates the same filter in
//!   memory, and tests check that it always agrees with `decide(.., SeeListing)`.
//!
//! A refused read of something the actor may not know exists is answered as
//! [`Error::NotFound`], exactly as if it did not exist.
//!
//! The rules are split by subject: [`community`], [`thread`] (threads, replies, events),
//! [`circle`] and [`story`]; [`actor`] holds who asks and the shape of the answers.

mod actor;
#[cfg(test)]
mod archive_tests;
mod circle;
mod community;
mod connection;
mod event;
mod invitation;
mod site;
mod story;
#[cfg(test)]
mod tests;
mod thread;

pub use actor::{ARCHIVED, Actor, Decision, Refusal, Standing, VERIFY_FIRST};
pub use circle::{CircleAction, CircleFacts, check_circle, decide_circle};
pub use community::{
    CommunityAction, CommunityFacts, CommunityFilter, check, community_filter, decide,
    may_create_community, may_publish, may_view_profiles, moderates, reads_hidden,
};
pub use connection::{
    ConnectionAction, ConnectionFacts, check_connection, check_write_message, reads_message,
};
pub use event::check_manage_event;
pub use invitation::check_take_invitation;
pub use site::{
    AccountAction, check_account_action, check_flag_own, check_site_admin, check_token_scope,
    check_upload, reads_hidden_profile, reads_unattached_file,
};
pub use story::{
    StoryAction, StoryFacts, check_delete_comment, check_flag_comment, check_story, decide_story,
    decide_story_action, story_teller_shown,
};
pub use thread::{
    ThreadAction, ThreadFacts, ThreadFilter, check_thread, decide_thread, thread_filter,
};
