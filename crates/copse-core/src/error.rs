//! The one error type of the core, and how each variant is meant to reach a user.
//!
//! - `NotFound`: the thing does not exist *or the actor may not know it exists* — the policy
//!   answers refused reads of secret things with this variant so that both look the same.
//! - `Forbidden`: the actor may see the thing but not do this to it.
//! - `Unauthenticated`: the action needs a signed-in account.
//! - `Invalid`: input that breaks a rule; names the field.
//! - `Conflict`: the request is valid but clashes with current state (slug taken, already a member).
//! - `TooManyRequests`: a throttle refused the request.
//! - `TooLarge`: the request carries more than a limit allows (an upload over the file size,
//!   the day's upload total); the message names the limit.
//! - `InvalidCredentials`: a sign-in failed; the same answer whether the account exists or not.
//! - `Internal`: a bug or an unavailable dependency. It keeps the error that caused it and the
//!   place in copse where it was raised, so the log shows the whole chain; users see neither.

use std::fmt;
use std::panic::Location;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Forbidden(String),
    #[error("sign in to do this")]
    Unauthenticated,
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("{message}")]
    Conflict {
        field: Option<String>,
        message: String,
    },
    /// `retry_after_ms`: when the limit lets the request through again, if it is known.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        retry_after_ms: Option<crate::clock::Millis>,
    },
    #[error("{message}")]
    TooLarge { message: String },
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    #[error("internal error: {0}")]
    Internal(#[source] Internal),
}

/// What went wrong inside copse: what it was doing, the error that caused it (its own chain
/// kept for the log) and the line of copse that raised it.
#[derive(Debug, Clone)]
pub struct Internal {
    pub message: String,
    pub cause: Option<Arc<dyn std::error::Error + Send + Sync>>,
    pub at: &'static Location<'static>,
}

impl fmt::Display for Internal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (at {}:{})",
            self.message,
            self.at.file(),
            self.at.line()
        )
    }
}

impl Internal {
    /// The whole story for the log: what copse was doing, where, and every cause beneath it.
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut next = std::error::Error::source(self);
        while let Some(e) = next {
            let text = e.to_string();
            if text != self.message {
                out.push_str(": ");
                out.push_str(&text);
            }
            next = e.source();
        }
        out
    }
}

impl std::error::Error for Internal {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Two internal errors are the same when they say the same; their causes and places are for
/// the log, not for comparing outcomes in tests.
impl PartialEq for Internal {
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message
    }
}

impl Eq for Internal {}

/// `result.or_internal()`: any error of a dependency becomes `Error::Internal`, keeping it as
/// the cause and the caller's line as the place.
pub trait OrInternal<T> {
    fn or_internal(self) -> Result<T>;
    /// The same, saying what copse was doing.
    fn or_internal_while(self, doing: &str) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> OrInternal<T> for std::result::Result<T, E> {
    #[track_caller]
    fn or_internal(self) -> Result<T> {
        match self {
            Ok(v) => Ok(v),
            Err(e) => Err(Error::caused_by(e)),
        }
    }

    #[track_caller]
    fn or_internal_while(self, doing: &str) -> Result<T> {
        match self {
            Ok(v) => Ok(v),
            Err(e) => Err(Error::internal_from(doing, e)),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The policy said no (not found for this reader, forbidden, or sign in first), as opposed
    /// to bad input or a failure.
    /// The community is archived: nothing in it can change until it is reopened (a 409).
    pub fn is_archived(&self) -> bool {
        matches!(self, Error::Conflict { field: None, message }
            if message == crate::policy::ARCHIVED)
    }

    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Error::NotFound | Error::Forbidden(_) | Error::Unauthenticated
        )
    }

    /// A limit refused the request; `retry_after_ms` says when it will not, if known.
    pub fn too_many(
        message: impl Into<String>,
        retry_after_ms: Option<crate::clock::Millis>,
    ) -> Self {
        Error::TooManyRequests {
            message: message.into(),
            retry_after_ms,
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl fmt::Display) -> Self {
        Error::Invalid {
            field: field.into(),
            message: message.to_string(),
        }
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict {
            field: None,
            message: message.into(),
        }
    }

    pub fn conflict_on(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Conflict {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Error::Forbidden(message.into())
    }

    /// The error as the log should read it: an internal error with its place and every cause
    /// beneath it, any other as users read it.
    pub fn report(&self) -> String {
        match self {
            Error::Internal(internal) => format!("internal error: {}", internal.chain()),
            other => other.to_string(),
        }
    }

    /// An internal error with no underlying cause (a broken invariant, a value that cannot be).
    #[track_caller]
    pub fn internal(message: impl fmt::Display) -> Self {
        Error::Internal(Internal {
            message: message.to_string(),
            cause: None,
            at: Location::caller(),
        })
    }

    /// An internal error caused by `cause`, saying what copse was doing.
    #[track_caller]
    pub fn internal_from(
        doing: impl Into<String>,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Internal(Internal {
            message: doing.into(),
            cause: Some(Arc::new(cause)),
            at: Location::caller(),
        })
    }

    /// An internal error caused by an error known only as a trait object (anyhow's, say).
    #[track_caller]
    pub fn internal_boxed(
        doing: impl Into<String>,
        cause: Box<dyn std::error::Error + Send + Sync>,
    ) -> Self {
        Error::Internal(Internal {
            message: doing.into(),
            cause: Some(Arc::from(cause)),
            at: Location::caller(),
        })
    }

    /// An internal error that is `cause`, as it describes itself.
    #[track_caller]
    pub fn caused_by(cause: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Internal(Internal {
            message: cause.to_string(),
            cause: Some(Arc::new(cause)),
            at: Location::caller(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("disk full")]
    struct Disk;

    #[derive(Debug, thiserror::Error)]
    #[error("could not write the page")]
    struct Write(#[source] Disk);

    #[test]
    fn internal_errors_keep_their_causes_and_their_place() {
        let failed: std::result::Result<(), Write> = Err(Write(Disk));
        let line = line!() + 1;
        let err = failed.or_internal_while("saving a reply").unwrap_err();
        let Error::Internal(internal) = &err else {
            panic!("{err:?}");
        };
        assert_eq!((internal.at.file(), internal.at.line()), (file!(), line));
        assert_eq!(
            err.report(),
            format!(
                "internal error: saving a reply (at {}:{line}): could not write the page: disk full",
                file!()
            )
        );
        // Users and tests compare what it says, not where it came from.
        assert_eq!(err, Error::internal("saving a reply"));
        assert_eq!(Error::NotFound.report(), "not found");
    }
}
