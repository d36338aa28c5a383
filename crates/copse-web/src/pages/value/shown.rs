//! A story as the pages show it, with the titles of what it credits resolved for one reader.

use std::collections::HashMap;

use copse_core::domain::value::StoryVisibility;
use copse_core::policy::Actor;

use crate::error::PageError;
use crate::state::WebState;
use copse_app::value::{self as app, ReadStory};

/// A story as a page shows it.
pub struct StoryShown {
    pub(super) id: i64,
    pub(super) teller: String,
    pub(super) cycles: String,
    pub(super) happened: String,
    pub(super) took: String,
    pub(super) did: String,
    pub(super) difference: String,
    pub(super) effect: String,
    pub(super) endorsements: i64,
    pub(super) comments: i64,
    /// (address, title) of what it credits that the reader may read.
    pub(super) credits: Vec<(String, String)>,
    pub(super) topics: Vec<(String, String)>,
    pub(super) pinned: bool,
    pub(super) edited: bool,
    pub(super) visibility: &'static str,
}

pub(super) fn credit_href(kind: &str, id: i64) -> String {
    match kind {
        "thread" => format!("/t/{id}"),
        "event" => format!("/e/{id}"),
        _ => format!("/circles/{id}"),
    }
}

/// The titles of the things stories credit, for one reader; what the reader may not read is
/// left out. Each distinct credit is resolved once per page.
pub(super) async fn credit_titles(
    state: &WebState,
    actor: &Actor,
    stories: &[ReadStory],
) -> Result<HashMap<(String, i64), String>, PageError> {
    let mut titles = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for (kind, id) in stories.iter().flat_map(|r| r.story.credits.iter()) {
        if seen.insert((kind.clone(), *id))
            && let Some((_, title)) = app::resolve_credit(state, actor, kind, *id).await?
        {
            titles.insert((kind.clone(), *id), title);
        }
    }
    Ok(titles)
}

pub(super) fn shown(r: &ReadStory, titles: &HashMap<(String, i64), String>) -> StoryShown {
    let s = &r.story;
    StoryShown {
        id: s.id,
        teller: if r.teller_shown {
            format!(
                "{}{}",
                s.author.display_name,
                if s.anonymous {
                    " (anonymous to members)"
                } else {
                    ""
                }
            )
        } else {
            "A member (anonymous)".into()
        },
        cycles: s
            .cycles
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        happened: s.happened.clone(),
        took: s.took.clone(),
        did: s.did.clone(),
        difference: s.difference.clone(),
        effect: s
            .effect
            .as_ref()
            .map(|e| {
                format!(
                    "{} {}{}",
                    e.value,
                    e.unit,
                    e.period
                        .as_ref()
                        .map(|p| format!(" {p}"))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        endorsements: s.endorsements,
        comments: s.comments,
        pinned: s.pinned,
        edited: s.updated_at.is_some(),
        visibility: match s.visibility {
            StoryVisibility::Community => "the community",
            StoryVisibility::Circle => "a circle",
            StoryVisibility::Coordinators => "the coordinators",
        },
        topics: s.topics.clone(),
        credits: s
            .credits
            .iter()
            .filter_map(|(k, id)| {
                titles
                    .get(&(k.clone(), *id))
                    .map(|t| (credit_href(k, *id), t.clone()))
            })
            .collect(),
    }
}
