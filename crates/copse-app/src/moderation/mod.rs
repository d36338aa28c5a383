//! Moderation: flags and the review queue they fill, the thread tools (pin, lock, hide),
//! silences, posting limits for new accounts, and the log every deed writes — each deed and its
//! log entry in one transaction.

mod approval;
mod flags;
mod flags_more;
mod limits;
mod log;
mod moderated;
mod moves;
mod queue;
mod tools;
mod warnings;

pub(crate) use approval::held_for_approval;
pub use flags::{FlagInput, flag_reply, flag_thread};
pub use flags_more::{flag_message, flag_profile, flag_story, flag_story_comment};
pub(crate) use limits::{PostKind, check_posting};
pub use limits::{PostingLimits, Rate};
pub use log::{community_log, site_log};
pub(crate) use log::{deed, summary_of_reply};
pub use moves::{move_destinations, move_to_community, split};
pub use queue::{
    QueueAction, community_queue, my_silence, resolve, resolve_on_site, set_settings, silence,
    site_queue, unsilence, waiting,
};
pub use tools::{ReplyTool, ThreadTool, merge, reply_tool, thread_tool};
pub(crate) use warnings::check_warnings;
pub use warnings::{acknowledge, my_warnings, warn};
