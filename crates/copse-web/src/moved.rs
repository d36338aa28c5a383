//! Old addresses of a merged community lead (308, method and body kept) to the same place in
//! the community that took it in: its pages, feeds, calendar, topics, newsletter issues (by
//! their new numbers) and API; so do the addresses of topics split off into a new community. Only an address that would otherwise be "not found" is looked
//! up, and only for someone who may know the new home; everyone else keeps the 404.
//!
//! Threads, events, stories and circles have site-wide addresses (`/t/7`, `/e/3`) and stay
//! where they are.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{ApiViewer, PageViewer};
use crate::state::WebState;

/// A community address: where the slug sits and what follows it.
#[derive(Debug, PartialEq, Eq)]
struct CommunityAddress<'a> {
    prefix: &'static str,
    slug: &'a str,
    rest: &'a str,
}

fn community_address(path: &str) -> Option<CommunityAddress<'_>> {
    for prefix in ["/api/v1/communities/", "/c/"] {
        if let Some(tail) = path.strip_prefix(prefix) {
            let (slug, rest) = tail.find('/').map_or((tail, ""), |i| tail.split_at(i));
            if slug.is_empty() || slug.len() > 64 {
                return None;
            }
            return Some(CommunityAddress { prefix, slug, rest });
        }
    }
    None
}

/// `rest` in the new home: a newsletter issue keeps pointing at its issue, renumbered by
/// `offset`.
fn rest_in_new_home(rest: &str, offset: i64) -> String {
    for issues in ["/newsletter/", "/newsletters/"] {
        if let Some(tail) = rest.strip_prefix(issues) {
            let (number, after) = tail.find('/').map_or((tail, ""), |i| tail.split_at(i));
            if let Ok(n) = number.parse::<i64>() {
                return format!("{issues}{}{after}", n.saturating_add(offset));
            }
        }
    }
    rest.to_owned()
}

/// Answers 404s of merged communities' addresses with a permanent redirect.
pub async fn follow_merged(
    State(state): State<WebState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(address) = community_address(request.uri().path()) else {
        return next.run(request).await;
    };
    let (slug, rest, prefix) = (
        address.slug.to_owned(),
        address.rest.to_owned(),
        address.prefix,
    );
    // Only what names the viewer is kept for afterwards: the session cookie or the token.
    let mut headers = HeaderMap::new();
    for name in [header::COOKIE, header::AUTHORIZATION] {
        for value in request.headers().get_all(&name) {
            headers.append(name.clone(), value.clone());
        }
    }
    let (method, uri) = (request.method().clone(), request.uri().clone());
    let response = next.run(request).await;
    if response.status() != StatusCode::NOT_FOUND {
        return response;
    }
    let Some(actor) = viewer(&state, prefix, method, headers, uri.clone()).await else {
        return response;
    };
    match new_home(&state, &actor, prefix, &slug, &rest).await {
        Some(mut location) => {
            if let Some(query) = uri.query() {
                location.push('?');
                location.push_str(query);
            }
            (
                StatusCode::PERMANENT_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response()
        }
        None => response,
    }
}

/// The address that replaces `{prefix}{slug}{rest}`: the community merged away, or a topic
/// split off into a new community. `None` when neither (or the actor may not know where).
async fn new_home(
    state: &WebState,
    actor: &copse_core::policy::Actor,
    prefix: &str,
    slug: &str,
    rest: &str,
) -> Option<String> {
    if let Ok(Some((home, offset))) = copse_app::community_merge::moved_to(state, actor, slug).await
    {
        return Some(format!("{prefix}{home}{}", rest_in_new_home(rest, offset)));
    }
    let tail = rest.strip_prefix("/topics/")?;
    let (topic, after) = tail.find('/').map_or((tail, ""), |i| tail.split_at(i));
    let (home, topic) = copse_app::community_split::topic_moved_to(state, actor, slug, topic)
        .await
        .ok()??;
    Some(format!("{prefix}{home}/topics/{topic}{after}"))
}

/// Who is asking, as the surface they asked reads it: the session for pages, the bearer token
/// for the API. `None` when that cannot be read (a dead token): they keep their 404.
async fn viewer(
    state: &WebState,
    prefix: &str,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Option<copse_core::policy::Actor> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(h) = builder.headers_mut() {
        *h = headers;
    }
    let (mut parts, ()) = builder.body(()).ok()?.into_parts();
    if prefix.starts_with("/api/") {
        let ApiViewer(v) = ApiViewer::from_request_parts(&mut parts, state)
            .await
            .ok()?;
        Some(v.actor())
    } else {
        let PageViewer(v) = PageViewer::from_request_parts(&mut parts, state)
            .await
            .ok()?;
        Some(v.actor())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn community_addresses_are_found_with_what_follows() {
        let a = community_address("/c/ipc/topics/hand-hygiene").unwrap();
        assert_eq!(
            (a.prefix, a.slug, a.rest),
            ("/c/", "ipc", "/topics/hand-hygiene")
        );
        let a = community_address("/api/v1/communities/ipc").unwrap();
        assert_eq!((a.slug, a.rest), ("ipc", ""));
        assert!(community_address("/t/4").is_none());
        assert!(community_address("/c/").is_none());
    }

    #[test]
    fn newsletter_issues_keep_their_issue() {
        assert_eq!(rest_in_new_home("/newsletter/3", 5), "/newsletter/8");
        assert_eq!(
            rest_in_new_home("/newsletters/2/send", 1),
            "/newsletters/3/send"
        );
        assert_eq!(
            rest_in_new_home("/newsletter/draft", 4),
            "/newsletter/draft"
        );
        assert_eq!(rest_in_new_home("/feed.atom", 4), "/feed.atom");
    }
}
