//! The library (resources by topic) and the experts of a community.

use askama::Template;
use axum::extract::State;

use crate::auth::PageViewer;
use crate::extract::PagePath;
use crate::pages::attachments::{Attachment, attachment};
use crate::pages::communities::{CommunityHead, head};
use crate::pages::{Nav, Notice, PageResult, nav, render};
use crate::state::WebState;
use copse_app::threads::{self as app, ListInput};

/// A library shelf: a topic name and its items.
type Shelf = (String, Vec<ShelfItem>);

/// A thread on a shelf, with its document when it has one.
struct ShelfItem {
    id: i64,
    title: String,
    kind: &'static str,
    document: Option<Attachment>,
}
/// People who answered in a topic: (handle, name, accepted, helpful).
type ExpertGroup = (String, Vec<(String, String, i64, i64)>);

#[derive(Template)]
#[template(path = "library.html")]
struct LibraryPage {
    nav: Nav,
    c: CommunityHead,
    groups: Vec<Shelf>,
}

/// The library, grouped by topic (a thread with several topics is on each shelf).
pub async fn library(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let input = ListInput {
        library: true,
        limit: Some(200),
        ..ListInput::default()
    };
    let (gated, page) = app::list(&state, &actor, &slug, &input).await?;
    let ids: Vec<i64> = page.items.iter().map(|t| t.id).collect();
    let documents = copse_app::files::library_documents(&state, &ids).await?;
    let mut groups: Vec<Shelf> = Vec::new();
    for t in &page.items {
        let shelves: Vec<String> = if t.topics.is_empty() {
            vec!["Other".to_string()]
        } else {
            t.topics.iter().map(|tp| tp.name.clone()).collect()
        };
        for shelf in shelves {
            let item = ShelfItem {
                id: t.id,
                title: t.title.clone(),
                kind: t.kind.as_str(),
                document: documents.get(&t.id).map(|f| attachment(f, false)),
            };
            match groups.iter_mut().find(|g| g.0 == shelf) {
                Some(g) => g.1.push(item),
                None => groups.push((shelf, vec![item])),
            }
        }
    }
    groups.sort_by(|a, b| (a.0 == "Other").cmp(&(b.0 == "Other")).then(a.0.cmp(&b.0)));
    render(&LibraryPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "library").await?,
        groups,
    })
}

#[derive(Template)]
#[template(path = "experts.html")]
struct ExpertsPage {
    nav: Nav,
    c: CommunityHead,
    earned: Vec<ExpertGroup>,
    declared: Vec<(String, Vec<(String, String)>)>,
}

pub async fn experts(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, earned, declared) = app::experts(&state, &actor, &slug).await?;
    let mut by_topic: Vec<ExpertGroup> = Vec::new();
    for e in earned {
        let person = (e.handle, e.display_name, e.accepted, e.helpful);
        match by_topic.iter_mut().find(|g| g.0 == e.topic_name) {
            Some(g) => g.1.push(person),
            None => by_topic.push((e.topic_name, vec![person])),
        }
    }
    let mut by_label: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (label, handle, name) in declared {
        match by_label
            .iter_mut()
            .find(|g| g.0.eq_ignore_ascii_case(&label))
        {
            Some(g) => g.1.push((handle, name)),
            None => by_label.push((label, vec![(handle, name)])),
        }
    }
    render(&ExpertsPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "experts").await?,
        earned: by_topic,
        declared: by_label,
    })
}
