//! CSRF defence for the pages: a strict Origin check. Every state-changing request to a page
//! route must carry an `Origin` (or, failing that, a `Referer`) naming this very site; browsers
//! send it on every form post. Together with `SameSite=Lax` cookies and "no state change on GET",
//! a form on another site cannot act for a signed-in person. The JSON API is exempt: it accepts
//! no cookies, only bearer tokens.

use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::PageError;
use crate::state::WebState;

pub async fn require_same_origin(
    State(state): State<WebState>,
    request: Request,
    next: Next,
) -> Response {
    // The methods that change state; any other method is answered by the router (405).
    let unsafe_method = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    if unsafe_method && !same_origin(&state, &request) {
        return PageError::forbidden(
            "This form was sent from another site, so copse refused it. Go back, reload the page and try again.",
        )
        .into_response();
    }
    next.run(request).await
}

fn same_origin(state: &WebState, request: &Request) -> bool {
    let headers = request.headers();
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|v| *v != "null")
        .map(str::to_string)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
        });
    let Some(claimed) = claimed else {
        return false;
    };
    match &state.config.base_url {
        Some(base) => origin_of(base).is_some_and(|b| b.eq_ignore_ascii_case(&claimed)),
        None => {
            // Without a configured address, the Origin's host must be the Host the request was
            // sent to.
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            let claimed_host = claimed.split_once("://").map(|(_, h)| h);
            matches!((host, claimed_host), (Some(h), Some(c)) if h.eq_ignore_ascii_case(c))
        }
    }
}

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn origins_are_scheme_and_host() {
        assert_eq!(
            origin_of("https://a.org:8443/x?y").as_deref(),
            Some("https://a.org:8443")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(origin_of("nonsense"), None);
    }
}
