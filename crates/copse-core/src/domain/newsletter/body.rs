//! An issue's body: Markdown in which a line holding only a reference (`[[thread:42]]`) stands for
//! that thing; the subject and body rules; comments, which are never sent.

use crate::domain::text::{multi_line, single_line};
use crate::error::{Error, Result};

/// The longest body, in characters.
pub const MAX_BODY_CHARS: usize = 50_000;

/// The most reference lines in one issue (each is checked for every reader).
pub const MAX_REFERENCES: usize = 200;

/// A thing an issue points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reference {
    Thread(i64),
    /// A reply, shown as "an answer in <thread>".
    Answer(i64),
    Event(i64),
    Story(i64),
    /// A member to welcome.
    Member(i64),
}

impl Reference {
    pub fn kind(self) -> &'static str {
        match self {
            Reference::Thread(_) => "thread",
            Reference::Answer(_) => "answer",
            Reference::Event(_) => "event",
            Reference::Story(_) => "story",
            Reference::Member(_) => "member",
        }
    }

    pub fn id(self) -> i64 {
        match self {
            Reference::Thread(id)
            | Reference::Answer(id)
            | Reference::Event(id)
            | Reference::Story(id)
            | Reference::Member(id) => id,
        }
    }

    /// The line that stands for this thing in a body.
    pub fn line(self) -> String {
        format!("[[{}:{}]]", self.kind(), self.id())
    }

    /// `Some` when the trimmed line is `[[…]]`: the reference, or why it is not one.
    pub(super) fn of_line(line: &str) -> Option<std::result::Result<Reference, String>> {
        let inner = line.trim().strip_prefix("[[")?.strip_suffix("]]")?;
        let bad = || {
            format!(
                "`{}` is not a reference: write [[thread:N]], [[answer:N]], [[event:N]], [[story:N]] or [[member:N]]",
                line.trim()
            )
        };
        let Some((kind, id)) = inner.split_once(':') else {
            return Some(Err(bad()));
        };
        let Ok(id) = id.trim().parse::<i64>() else {
            return Some(Err(bad()));
        };
        if id <= 0 {
            return Some(Err(bad()));
        }
        Some(match kind.trim() {
            "thread" => Ok(Reference::Thread(id)),
            "answer" => Ok(Reference::Answer(id)),
            "event" => Ok(Reference::Event(id)),
            "story" => Ok(Reference::Story(id)),
            "member" => Ok(Reference::Member(id)),
            _ => Err(bad()),
        })
    }
}

/// An issue's subject: one line, 1–200 characters.
pub fn parse_subject(raw: &str) -> Result<String> {
    single_line("subject", raw, 1, 200)
}

/// An issue's body: Markdown of at most [`MAX_BODY_CHARS`] characters whose reference lines
/// are well formed, at most [`MAX_REFERENCES`] of them.
pub fn parse_body(raw: &str) -> Result<String> {
    let body = multi_line("body", raw, 1, MAX_BODY_CHARS)?;
    references(&body)?;
    Ok(body)
}

/// The reference lines of a body (outside comments), in order, with their line numbers.
pub fn references(body: &str) -> Result<Vec<(usize, Reference)>> {
    let mut out = Vec::new();
    for (n, line) in without_comments(body).lines().enumerate() {
        match Reference::of_line(line) {
            None => {}
            Some(Ok(r)) => out.push((n + 1, r)),
            Some(Err(why)) => return Err(Error::invalid("body", format!("line {}: {why}", n + 1))),
        }
    }
    if out.len() > MAX_REFERENCES {
        return Err(Error::invalid(
            "body",
            format!("at most {MAX_REFERENCES} references in one issue"),
        ));
    }
    Ok(out)
}

/// The body with `<!-- … -->` comments taken out (an unclosed one runs to the end). Lines are
/// kept where a comment spanned several, so line numbers in errors match the editor's.
pub fn without_comments(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let (comment, next) = match after.find("-->") {
            Some(end) => (&after[..end], &after[end + 3..]),
            None => (after, ""),
        };
        out.extend(comment.chars().filter(|c| *c == '\n'));
        rest = next;
    }
    out.push_str(rest);
    out
}
