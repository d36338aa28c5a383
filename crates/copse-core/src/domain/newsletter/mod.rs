//! The community newsletter: an issue per period that copse drafts from what happened and a
//! coordinator edits and sends. Its body is Markdown in which a line holding only a reference —
//! `[[thread:42]]`, `[[answer:7]]`, `[[event:3]]`, `[[story:5]]`, `[[member:9]]` — stands for
//! that thing. The coordinator's own words go to every reader; each reference is expanded for
//! one reader at a time through the access policy and left out for a reader who may not read it
//! (an observer gets public-space content only; a member removed since drafting, nothing of the
//! members' spaces). HTML comments are notes for the editors and never sent.

mod body;
mod expand;
mod issue;
#[cfg(test)]
mod tests;

pub use body::{
    MAX_BODY_CHARS, MAX_REFERENCES, Reference, parse_body, parse_subject, references,
    without_comments,
};
pub use expand::{
    AnswerRef, Block, EventRef, MemberRef, Reader, Referenced, StoryRef, ThreadRef, expand,
    to_markdown, to_text,
};
pub use issue::{Newsletter, NewsletterSettings, Status, first_draft_after, period_label};
