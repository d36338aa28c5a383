//! Practice: threads (discussion, question, resource, announcement), replies, accepted answers,
//! helpful marks, the library and topics.

mod curate;
mod post;
mod read;
mod topics;

pub use curate::{
    accept, delete, delete_reply, delete_reply_with_reason, delete_with_reason, edit, edit_reply,
    helpful, set_canonical,
};
pub use post::{ReplyInput, ThreadInput, create, reply};
pub use read::{ListInput, experts, history, list, merged_home, read, unanswered};
pub use topics::{
    create_topic, follow_topic, follows_topic, merge_topic, rename_topic, topic, topics,
};
