//! Every GET route of the router is a surface of the matrix or sits in an explicit allowlist
//! with a reason, so a new surface cannot be added unchecked.

use std::collections::BTreeSet;

use super::fixture::build;
use crate::common::*;

/// GET routes that are not surfaces of the matrix, each with the reason.
const NOT_IN_MATRIX: &[(&str, &str)] = &[
    (
        "/files/{id}",
        "the same handler as /files/{id}/{name}, which the matrix reads for every attached file",
    ),
    (
        "/api/v1/communities/{slug}/files/usage",
        "how many files and bytes a community holds, for its coordinators: numbers, no content; tested in files/elsewhere.rs",
    ),
    (
        "/u/{handle}/avatar/{size}",
        "a person's picture or initials, shown wherever their name is; no post's content",
    ),
    (
        "/static/copse.css",
        "the stylesheet: the same bytes for everyone",
    ),
    (
        "/healthz",
        "answers 200 while the database does; no content",
    ),
    ("/signin", "a form; no content of anyone"),
    ("/signup", "a form; no content of anyone"),
    ("/forgot-password", "a form; no content of anyone"),
    (
        "/reset-password",
        "a form carrying the secret of its link; no content of anyone; tested in password_reset.rs",
    ),
    (
        "/verify-email",
        "a button carrying the secret of its link; no content of anyone; tested in verification.rs",
    ),
    ("/communities/new", "a form; no content of anyone"),
    ("/settings/password", "a form; the viewer's own"),
    (
        "/settings/tokens",
        "the viewer's own tokens; tested in tests/pages.rs",
    ),
    (
        "/api/v1/auth/tokens",
        "the viewer's own tokens; tested in tests/api.rs",
    ),
    ("/settings/reminders", "the viewer's own settings"),
    (
        "/settings/account/exports/{export}",
        "the viewer's own prepared export; anyone else's answers 404 — tested in data_export.rs",
    ),
    (
        "/api/v1/me/exports/{export}",
        "the viewer's own prepared export; anyone else's answers 404 — tested in data_export.rs",
    ),
    (
        "/api/v1/communities/{slug}/exports",
        "the archives of a community its coordinator asked for (a site admin: all); for anyone else 403 — tested in community_export.rs",
    ),
    (
        "/api/v1/communities/{slug}/exports/{id}",
        "one archive, to the coordinator who asked and site admins; anyone else's 404 — tested in community_export.rs",
    ),
    (
        "/api/v1/communities/{slug}/exports/{id}/download",
        "an archive's bytes: the cut the policy gave its asker (circles they are in, no conversations or addresses); tested in community_export.rs",
    ),
    (
        "/c/{slug}/export",
        "the page of the archives above; tested in community_export.rs",
    ),
    (
        "/c/{slug}/export/{id}/download",
        "the same bytes as the API's download, through the page; tested in community_export.rs",
    ),
    ("/api/v1/me/reminders", "the viewer's own settings"),
    (
        "/api/v1/me/warnings",
        "the viewer's own warnings from moderators; tested in moderation/warnings.rs",
    ),
    ("/api/v1/me/blocks", "the viewer's own blocks"),
    (
        "/invitations",
        "the viewer's own invitations; tested in tests/pages.rs",
    ),
    (
        "/api/v1/me/invitations",
        "the viewer's own invitations; tested in tests/api.rs",
    ),
    (
        "/invitations/link/{secret}",
        "a secret link; tested in tests/api.rs",
    ),
    (
        "/c/{slug}/history",
        "the domain statement's revisions: public community data; tested in tests/api.rs",
    ),
    (
        "/api/v1/communities/{slug}/domain-revisions",
        "public community data; tested in tests/api.rs",
    ),
    (
        "/api/v1/communities/{slug}/stage-changes",
        "public community data; tested in tests/api.rs",
    ),
    (
        "/c/{slug}/requests",
        "coordinators only; refusal tested in tests/pages.rs",
    ),
    (
        "/api/v1/communities/{slug}/join-requests",
        "coordinators only; refusal tested in tests/api.rs",
    ),
    (
        "/c/{slug}/invite",
        "coordinators only; refusal tested in tests/pages.rs",
    ),
    (
        "/api/v1/communities/{slug}/invitations",
        "coordinators only; refusal tested in tests/api.rs",
    ),
    (
        "/c/{slug}/settings",
        "coordinators only; refusal tested in tests/pages.rs",
    ),
    (
        "/c/{slug}/archive",
        "the archive form, coordinators only; refusal tested in tests/archive.rs, the writes in the write matrix",
    ),
    (
        "/c/{slug}/merge",
        "the merge form, coordinators only (policy Merge, checked by the write matrix's MergeCommunity); its form and refusals tested in tests/community_merge.rs",
    ),
    (
        "/c/{slug}/split",
        "the split form, coordinators only (policy Split, checked by the write matrix's SplitCommunity); its form and refusals tested in tests/community_split.rs",
    ),
    (
        "/c/{slug}/join",
        "the join form: community facts any visitor may see",
    ),
    (
        "/c/{slug}/newsletter/{number}/send",
        "asks a coordinator to confirm sending an issue (policy Edit, as the write matrix's sending); the issue's subject only; tested in newsletters/",
    ),
    (
        "/c/{slug}/newsletter/{number}/delete",
        "asks a coordinator to confirm deleting a draft (policy Edit, as the write matrix's deleting); the issue's subject only; tested in newsletters/pages.rs",
    ),
    (
        "/c/{slug}/leave",
        "asks a member or observer to confirm leaving (policy Leave, as the write matrix's leaving); the community's head, no content; tested in tests/pages.rs",
    ),
    (
        "/c/{slug}/threads/new",
        "a form; refusal tested in tests/practice.rs",
    ),
    (
        "/c/{slug}/events/new",
        "a form; refusal tested in tests/events.rs",
    ),
    (
        "/c/{slug}/topics/{topic}",
        "a topic's public threads; same filter as /c/{slug}/threads, tested in tests/practice.rs",
    ),
    (
        "/c/{slug}/topics/{topic}/feed.atom",
        "same filter as /c/{slug}/feed.atom, tested in tests/practice.rs",
    ),
    (
        "/t/{id}/edit",
        "the author's form; refusal tested in tests/practice.rs",
    ),
    (
        "/r/{id}/edit",
        "the author's form; refusal tested in tests/practice.rs",
    ),
    (
        "/r/{id}/history",
        "gated like /t/{id}/history, tested in tests/practice.rs",
    ),
    (
        "/e/{id}/edit",
        "hosts' form; refusal tested in tests/rhythm.rs",
    ),
    (
        "/calendar/{file}",
        "a personal feed by its secret: a matrix surface per actor (the personal calendar)",
    ),
    (
        "/unsubscribe/{token}",
        "a one-click form by secret; shows nothing of anyone",
    ),
    (
        "/admin/jobs",
        "site admins only; refusal tested in tests/rhythm.rs",
    ),
    (
        "/api/v1/admin/jobs",
        "site admins only; refusal tested in tests/rhythm.rs",
    ),
    (
        "/auth/sso/{id}/callback",
        "the provider's return: signs in by a state this site started, shows nobody's data",
    ),
    (
        "/setup",
        "the first-run form: 404 once any account exists, and it shows nobody's data",
    ),
    (
        "/api/v1/connections/{id}",
        "the two people's own request; refusal tested in tests/private.rs",
    ),
];

#[tokio::test]
async fn every_get_route_is_in_the_matrix_or_allowlisted() {
    // The fixture's world happens at its own time (its recap is of a past occurrence).
    let (app, _clock) = apps_at(super::world::NOW).await.into_iter().next().unwrap();
    let f = build(&app).await;
    let covered: BTreeSet<&str> = f.surfaces.iter().map(|s| s.route).collect();
    let allowed: BTreeSet<&str> = NOT_IN_MATRIX.iter().map(|(r, _)| *r).collect();
    // API GET routes, from the OpenAPI document generated with the router.
    let doc = app.api().get("/api/v1/openapi.json").await.body;
    let mut routes: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, ops)| ops.get("get").is_some())
        .map(|(p, _)| p.clone())
        .collect();
    // Page GET routes, from the routers' source: every `.route("…", get(…)…)` of every page
    // area (each keeps its own routes), in every file and folder under `src/pages`, and the
    // addresses files are served from (`src/uploads`).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = [root.join("src/pages"), root.join("src/uploads")];
    for file in sources.iter().flat_map(|dir| rust_files(dir)) {
        let source = std::fs::read_to_string(file).unwrap();
        for (i, _) in source.match_indices(".route(") {
            let rest = &source[i + 7..];
            let start = rest.find('"').unwrap() + 1;
            let end = start + rest[start..].find('"').unwrap();
            let path = &rest[start..end];
            let next = [".route(", "\n}"]
                .iter()
                .filter_map(|m| rest[end..].find(m))
                .min()
                .unwrap_or(rest.len() - end);
            if rest[end..end + next].contains("get(") {
                routes.insert(path.to_string());
            }
        }
    }
    routes.insert("/healthz".into());
    let unchecked: Vec<&String> = routes
        .iter()
        .filter(|r| !covered.contains(r.as_str()) && !allowed.contains(r.as_str()))
        .collect();
    assert!(
        unchecked.is_empty(),
        "GET routes neither in the authorization matrix nor in NOT_IN_MATRIX: {unchecked:?}"
    );
    let stale: Vec<&&str> = allowed.iter().filter(|r| !routes.contains(**r)).collect();
    assert!(
        stale.is_empty(),
        "NOT_IN_MATRIX lists routes that no longer exist: {stale:?}"
    );
    assert!(
        routes.len() > 60,
        "the route list was read: {}",
        routes.len()
    );
    app.finish().await;
}

/// The `.rs` files under `dir`, in its folders too.
fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}
