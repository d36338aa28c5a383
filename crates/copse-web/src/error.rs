//! How errors reach people. One policy, two dialects:
//!
//! - The JSON API answers `{"error": {"code": "...", "message": "...", "field": "..."}}` with a
//!   stable `code` a client can branch on: `not_found` 404, `unauthenticated` 401,
//!   `invalid_credentials` 401, `invalid_token` 401, `forbidden` 403, `conflict` 409, `invalid`
//!   422, `taken` 422, `bad_request` 400, `payload_too_large` 413, `unsupported_media_type` 415,
//!   `too_many_requests` 429 (with `Retry-After` in seconds when the limit knows), `internal` 500.
//! - Pages answer with a friendly HTML page carrying the same status.
//!
//! A refused read of something secret is `not_found` with exactly the body of a thing that does
//! not exist. 5xx bodies say nothing of the cause; the cause is logged.

use askama::Template;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use copse_core::Error;
use serde::Serialize;
use utoipa::ToSchema;

use crate::layout::Nav;

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine-readable code, e.g. `not_found`, `invalid`, `taken`.
    pub code: String,
    /// What is wrong, for people.
    pub message: String,
    /// The input field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An error of the JSON API.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// For 429: when to try again, sent as `Retry-After` (seconds).
    pub retry_after_ms: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after_ms: None,
        }
    }

    pub fn bad_token(why: &str) -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_token",
            format!("Bad API token: {why}."),
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn not_found() -> Self {
        Error::NotFound.into()
    }
}

pub const NOT_FOUND_MESSAGE: &str = "Nothing here: it does not exist, or you may not see it.";

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        use StatusCode as S;
        match e {
            Error::NotFound => ApiError::new(S::NOT_FOUND, "not_found", NOT_FOUND_MESSAGE),
            Error::Unauthenticated => ApiError::new(
                S::UNAUTHORIZED,
                "unauthenticated",
                "Sign in first: send Authorization: Bearer <token> (POST /api/v1/auth/tokens).",
            ),
            Error::InvalidCredentials => ApiError::new(
                S::UNAUTHORIZED,
                "invalid_credentials",
                "Wrong e-mail or password.",
            ),
            Error::Forbidden(m) => ApiError::new(S::FORBIDDEN, "forbidden", m),
            Error::Invalid { field, message } => ApiError {
                status: S::UNPROCESSABLE_ENTITY,
                code: "invalid",
                message: format!("{field}: {message}"),
                field: Some(field),
                retry_after_ms: None,
            },
            Error::Conflict {
                field: Some(field),
                message,
            } => ApiError {
                status: S::UNPROCESSABLE_ENTITY,
                code: "taken",
                message: format!("{field}: {message}"),
                field: Some(field),
                retry_after_ms: None,
            },
            Error::Conflict {
                field: None,
                message,
            } => ApiError::new(S::CONFLICT, "conflict", message),
            Error::TooManyRequests {
                message,
                retry_after_ms,
            } => ApiError {
                retry_after_ms,
                ..ApiError::new(S::TOO_MANY_REQUESTS, "too_many_requests", message)
            },
            Error::TooLarge { message } => {
                ApiError::new(S::PAYLOAD_TOO_LARGE, "too_large", message)
            }
            Error::Internal(cause) => {
                tracing::error!(error = %cause.chain(), "internal error");
                ApiError::new(
                    S::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on our side; it has been logged.",
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message: self.message,
                field: self.field,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(ms) = self.retry_after_ms {
            // Whole seconds, rounded up, so a client that waits this long is let through.
            let seconds = (ms.max(0) + 999) / 1000;
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// An error shown as a page.
#[derive(Debug, Clone)]
pub struct PageError {
    pub status: StatusCode,
    pub title: String,
    pub message: String,
    /// Show a sign-in link: the page needs an account.
    pub sign_in: bool,
}

impl PageError {
    pub fn new(status: StatusCode, title: &str, message: impl Into<String>) -> Self {
        PageError {
            status,
            title: title.to_string(),
            message: message.into(),
            sign_in: false,
        }
    }

    pub fn forbidden(message: &str) -> Self {
        PageError::new(StatusCode::FORBIDDEN, "Not allowed", message)
    }

    pub fn not_found() -> Self {
        Error::NotFound.into()
    }
}

impl From<Error> for PageError {
    fn from(e: Error) -> Self {
        let api = ApiError::from(e.clone());
        let title = match e {
            Error::NotFound => "Not found",
            Error::Unauthenticated => "Please sign in",
            Error::InvalidCredentials => "Sign-in failed",
            Error::Forbidden(_) => "Not allowed",
            Error::Invalid { .. } => "Please check what you entered",
            Error::Conflict { .. } => "That did not work",
            Error::TooManyRequests { .. } => "Please wait",
            Error::TooLarge { .. } => "That is too large",
            Error::Internal(_) => "Something went wrong",
        };
        PageError {
            status: api.status,
            title: title.to_string(),
            message: match e {
                Error::Unauthenticated => {
                    "You need to sign in to see this page or do this.".to_string()
                }
                _ => api.message,
            },
            sign_in: matches!(e, Error::Unauthenticated),
        }
    }
}

/// The error a page answered with, left in the response for `pages::error_page` to draw
/// again with the viewer's menus.
#[derive(Clone)]
pub struct ShownError(pub PageError);

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub nav: Nav,
    pub error: &'a PageError,
    /// Where signing in leads back to.
    pub back: String,
}

impl IntoResponse for PageError {
    /// The page as a visitor sees it; `pages::error_page::with_menus` draws it again with the
    /// viewer's menus.
    fn into_response(self) -> Response {
        let html = ErrorPage {
            nav: Nav::visitor(),
            error: &self,
            back: "/".into(),
        }
        .render()
        .unwrap_or_else(|_| format!("<h1>{}</h1>", self.status));
        let mut response = (self.status, Html(html)).into_response();
        response.extensions_mut().insert(ShownError(self));
        response
    }
}
