//! Value-creation stories: telling one with credits checked against the access policy,
//! reading them through the policy, comments, endorsements, and the value report.

mod comments;
mod read;
mod report;
mod tell;

pub use comments::{comment, comments, delete_comment};
pub use read::{
    ReadStory, credited_to, endorsed_by, get, helped, list, resolve_credit, story_community,
    story_to,
};
pub use report::{CreditedThing, Report, report, report_csv, set_introduction};
pub use tell::{StoryDraft, delete, edit, endorse, pin, tell};
pub(crate) use tell::{prepare, write};
