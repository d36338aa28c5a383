//! The story form: its values as sent or prefilled from what the story came from, and the
//! topics and circles it offers.

use copse_core::domain::value::{Cycle, StoryInput};
use copse_core::policy::Actor;

use super::shown::credit_href;
use crate::error::PageError;
use crate::state::WebState;
use crate::uploads::FormWithFiles;
use copse_app::access::Gated;
use copse_app::value::{self as app, ReadStory, StoryDraft};

/// The values of the story form, as sent or as prefilled.
#[derive(Default, Clone)]
pub struct StoryFormValues {
    pub(super) happened: String,
    pub(super) took: String,
    pub(super) did: String,
    pub(super) difference: String,
    pub(super) cycles: Vec<String>,
    pub(super) effect_value: String,
    pub(super) effect_unit: String,
    pub(super) effect_period: String,
    pub(super) visibility: String,
    pub(super) circle: String,
    pub(super) anonymous: bool,
    /// `thread:42 event:7`, space- or comma-separated.
    pub(super) credits: String,
    pub(super) topics: Vec<String>,
    /// The uploads the form carried (ids), and the problem that stopped one.
    pub(super) files: Vec<String>,
    pub(super) upload_problem: Option<copse_core::Error>,
}

/// The story form sends one `cycles` and one `topics` field per ticked box; serde_urlencoded
/// cannot gather repeated keys, so the pairs are read as they come.
pub struct StoryForm(pub(super) StoryFormValues);

impl axum::extract::FromRequest<WebState> for StoryForm {
    type Rejection = PageError;

    async fn from_request(
        req: axum::extract::Request,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let sent = FormWithFiles::from_request(req, state).await?;
        let mut f = StoryFormValues {
            files: sent.files,
            upload_problem: sent.problem,
            ..StoryFormValues::default()
        };
        for (key, value) in sent.pairs {
            match key.as_str() {
                "happened" => f.happened = value,
                "took" => f.took = value,
                "did" => f.did = value,
                "difference" => f.difference = value,
                "cycles" => f.cycles.push(value),
                "effect_value" => f.effect_value = value,
                "effect_unit" => f.effect_unit = value,
                "effect_period" => f.effect_period = value,
                "visibility" => f.visibility = value,
                "circle" => f.circle = value,
                "anonymous" => f.anonymous = true,
                "credits" => f.credits = value,
                "topics" => f.topics.push(value),
                _ => {}
            }
        }
        Ok(StoryForm(f))
    }
}

impl StoryFormValues {
    pub(super) fn has_cycle(&self, cycle: &str) -> bool {
        self.cycles.iter().any(|c| c == cycle)
    }

    pub(super) fn draft(&self) -> copse_core::Result<StoryDraft> {
        if let Some(problem) = &self.upload_problem {
            return Err(problem.clone());
        }
        let effect_value = match self.effect_value.trim() {
            "" => None,
            v => Some(
                v.parse::<f64>()
                    .map_err(|_| copse_core::Error::invalid("effect_value", "must be a number"))?,
            ),
        };
        let circle =
            match self.circle.trim() {
                "" => None,
                c => Some(c.parse::<i64>().map_err(|_| {
                    copse_core::Error::invalid("circle", "choose one of your circles")
                })?),
            };
        let visibility = Some(self.visibility.clone()).filter(|v| !v.is_empty());
        Ok(StoryDraft {
            input: StoryInput {
                happened: self.happened.clone(),
                took: self.took.clone(),
                did: self.did.clone(),
                difference: self.difference.clone(),
                cycles: self.cycles.clone(),
                effect_value,
                effect_unit: Some(self.effect_unit.clone()).filter(|u| !u.trim().is_empty()),
                effect_period: Some(self.effect_period.clone()),
                anonymous: self.anonymous,
                visibility: visibility.clone(),
            },
            // A circle chosen for a story that is not a circle story is ignored, not an error.
            circle: circle.filter(|_| visibility.as_deref() == Some("circle")),
            credits: self
                .credits
                .split([' ', ','])
                .filter(|c| !c.trim().is_empty())
                .map(str::to_string)
                .collect(),
            topics: self.topics.clone(),
            files: self.files.clone(),
        })
    }

    pub(super) fn of(r: &ReadStory) -> StoryFormValues {
        let s = &r.story;
        StoryFormValues {
            happened: s.happened.clone(),
            took: s.took.clone(),
            did: s.did.clone(),
            difference: s.difference.clone(),
            cycles: s.cycles.iter().map(|c| c.as_str().to_string()).collect(),
            effect_value: s
                .effect
                .as_ref()
                .map(|e| e.value.to_string())
                .unwrap_or_default(),
            effect_unit: s
                .effect
                .as_ref()
                .map(|e| e.unit.clone())
                .unwrap_or_default(),
            effect_period: s
                .effect
                .as_ref()
                .and_then(|e| e.period.clone())
                .unwrap_or_default(),
            visibility: s.visibility.as_str().to_string(),
            circle: s.circle_id.map(|c| c.to_string()).unwrap_or_default(),
            anonymous: s.anonymous,
            credits: s
                .credits
                .iter()
                .map(|(k, id)| format!("{k}:{id}"))
                .collect::<Vec<_>>()
                .join(" "),
            topics: s.topics.iter().map(|(slug, _)| slug.clone()).collect(),
            ..StoryFormValues::default()
        }
    }
}

/// What the story form offers: the community's topics and the reader's circles in it.
pub(super) struct FormChoices {
    pub(super) cycles: Vec<&'static str>,
    pub(super) topics: Vec<(String, String)>,
    pub(super) circles: Vec<(String, String)>,
    /// Titles of the prefilled credits the reader may read.
    pub(super) credit_titles: Vec<(String, String)>,
}

pub(super) async fn form_choices(
    state: &WebState,
    actor: &Actor,
    gated: &Gated,
    form: &StoryFormValues,
) -> Result<FormChoices, PageError> {
    let topics = copse_app::communities::topics(state, gated).await?;
    let circles = copse_app::circles::mine_in(state, actor, gated)
        .await?
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    let mut credit_titles = Vec::new();
    for raw in form.credits.split([' ', ',']).filter(|c| !c.is_empty()) {
        if let Some((kind, id)) = raw.split_once(':')
            && let Ok(id) = id.parse::<i64>()
            && let Some((c, title)) = app::resolve_credit(state, actor, kind, id).await?
            && c == gated.community.id
        {
            credit_titles.push((credit_href(kind, id), title));
        }
    }
    Ok(FormChoices {
        cycles: Cycle::ALL.iter().map(|c| c.as_str()).collect(),
        topics: topics.into_iter().map(|t| (t.slug, t.name)).collect(),
        circles,
        credit_titles,
    })
}
