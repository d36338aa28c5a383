//! The one error type of the core, and how each variant is meant to reach a user.
//!
//! - `NotFound`: the thing does not exist *or the actor may not know it exists* — the policy
//!   answers refused reads of secret things with this variant so that both look the same.
//! - `Forbidden`: the actor may see the thing but not do this to it.
//! - `Unauthenticated`: the action needs a signed-in account.
//! - `Invalid`: input that breaks a rule; names the field.
//! - `Conflict`: the request is valid but clashes with current state (slug taken, already a member).
//! - `TooManyRequests`: a throttle refused the request.
//! - `InvalidCredentials`: a sign-in failed; the same answer whether the account exists or not.
//! - `Internal`: a bug or an unavailable dependency; its text is logged, never shown.

use std::fmt;

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
    #[error("{0}")]
    TooManyRequests(String),
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    #[error("internal error: {0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
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

    pub fn internal(cause: impl fmt::Display) -> Self {
        Error::Internal(cause.to_string())
    }
}
