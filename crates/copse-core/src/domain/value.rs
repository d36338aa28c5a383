//! Value-creation stories, after Wenger, Trayner & de Laat (2011): what happened in the community,
//! what the teller took from it, what they did with it, what difference it made — read across
//! five cycles — with an optional measured effect, credits to what it came from, and a visibility.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::text::{multi_line, optional_line};
use super::{CommunityId, Person};
use crate::clock::Millis;
use crate::error::{Error, Result};

/// The five cycles of value creation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Cycle {
    /// The activity itself was worth it.
    Immediate,
    /// Knowledge capital: skills, contacts, resources gained.
    Potential,
    /// Practice changed.
    Applied,
    /// A measurable result: time, money, quality, safety.
    Realized,
    /// Goals or the way success is seen changed.
    Reframing,
}

impl Cycle {
    pub const ALL: [Cycle; 5] = [
        Cycle::Immediate,
        Cycle::Potential,
        Cycle::Applied,
        Cycle::Realized,
        Cycle::Reframing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cycle::Immediate => "immediate",
            Cycle::Potential => "potential",
            Cycle::Applied => "applied",
            Cycle::Realized => "realized",
            Cycle::Reframing => "reframing",
        }
    }

    pub fn parse(raw: &str) -> Result<Cycle> {
        Cycle::ALL
            .into_iter()
            .find(|c| c.as_str() == raw.trim())
            .ok_or_else(|| {
                Error::invalid(
                    "cycles",
                    "must be among: immediate, potential, applied, realized, reframing",
                )
            })
    }
}

/// Who may read a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StoryVisibility {
    /// The community's members.
    Community,
    /// The members of one circle.
    Circle,
    /// The community's coordinators only.
    Coordinators,
}

impl StoryVisibility {
    pub fn as_str(self) -> &'static str {
        match self {
            StoryVisibility::Community => "community",
            StoryVisibility::Circle => "circle",
            StoryVisibility::Coordinators => "coordinators",
        }
    }

    pub fn parse(raw: &str) -> Result<StoryVisibility> {
        match raw {
            "community" => Ok(StoryVisibility::Community),
            "circle" => Ok(StoryVisibility::Circle),
            "coordinators" => Ok(StoryVisibility::Coordinators),
            _ => Err(Error::invalid(
                "visibility",
                "must be one of: community, circle, coordinators",
            )),
        }
    }
}

/// Units copse knows for measured effects; anything else is free text of at most 30 characters.
pub const UNITS: [&str; 9] = [
    "hours",
    "days",
    "euros",
    "dollars",
    "pounds",
    "incidents",
    "patients",
    "people",
    "percent",
];

/// The largest measured effect accepted (either sign).
pub const MAX_EFFECT: f64 = 1e9;

/// A measured effect: a number with a unit, over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    pub value: f64,
    pub unit: String,
    pub period: Option<String>,
}

/// A validated story, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewStory {
    pub happened: String,
    pub took: String,
    pub did: String,
    pub difference: String,
    pub cycles: Vec<Cycle>,
    pub effect: Option<Effect>,
    pub visibility: StoryVisibility,
    pub anonymous: bool,
}

/// A story as it arrives.
#[derive(Debug, Clone, Default)]
pub struct StoryInput {
    pub happened: String,
    pub took: String,
    pub did: String,
    pub difference: String,
    pub cycles: Vec<String>,
    pub effect_value: Option<f64>,
    pub effect_unit: Option<String>,
    pub effect_period: Option<String>,
    pub visibility: Option<String>,
    pub anonymous: bool,
}

const MAX_PART: usize = 5_000;

impl NewStory {
    pub fn parse(input: &StoryInput) -> Result<NewStory> {
        let part = |field: &str, raw: &str, required: bool| -> Result<String> {
            if raw.trim().is_empty() && !required {
                return Ok(String::new());
            }
            multi_line(field, raw, 1, MAX_PART)
        };
        let mut cycles = Vec::new();
        for c in &input.cycles {
            let c = Cycle::parse(c)?;
            if !cycles.contains(&c) {
                cycles.push(c);
            }
        }
        if cycles.is_empty() {
            return Err(Error::invalid(
                "cycles",
                "name at least one cycle the story reaches",
            ));
        }
        cycles.sort();
        let effect = match input.effect_value {
            None => None,
            Some(v) if !v.is_finite() || v.abs() > MAX_EFFECT => {
                return Err(Error::invalid(
                    "effect_value",
                    "must be a finite number between -1000000000 and 1000000000",
                ));
            }
            Some(value) => {
                let unit = input
                    .effect_unit
                    .as_deref()
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .ok_or_else(|| {
                        Error::invalid("effect_unit", "a measured effect needs a unit")
                    })?;
                if !UNITS.contains(&unit)
                    && (unit.chars().count() > 30 || unit.chars().any(char::is_control))
                {
                    return Err(Error::invalid(
                        "effect_unit",
                        "must be one of hours, days, euros, dollars, pounds, incidents, patients, people, percent — or text of at most 30 characters",
                    ));
                }
                Some(Effect {
                    value,
                    unit: unit.to_string(),
                    period: input
                        .effect_period
                        .as_deref()
                        .map(|p| optional_line("effect_period", p, 50))
                        .transpose()?
                        .flatten(),
                })
            }
        };
        Ok(NewStory {
            happened: part("happened", &input.happened, true)?,
            took: part("took", &input.took, true)?,
            did: part("did", &input.did, false)?,
            difference: part("difference", &input.difference, false)?,
            cycles,
            effect,
            visibility: input
                .visibility
                .as_deref()
                .map(StoryVisibility::parse)
                .transpose()?
                .unwrap_or(StoryVisibility::Community),
            anonymous: input.anonymous,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> StoryInput {
        StoryInput {
            happened: "Maya's answer on audit forms.".into(),
            took: "A five-item checklist.".into(),
            did: "We used it on ward 4B.".into(),
            difference: "Audits take half the time.".into(),
            cycles: vec!["applied".into(), "realized".into(), "applied".into()],
            effect_value: Some(12.5),
            effect_unit: Some("hours".into()),
            effect_period: Some("per month".into()),
            ..StoryInput::default()
        }
    }

    /// Each story with one thing wrong, and the field the refusal names.
    fn wrong_stories() -> Vec<(StoryInput, &'static str)> {
        vec![
            (
                StoryInput {
                    cycles: vec![],
                    ..input()
                },
                "cycles",
            ),
            (
                StoryInput {
                    cycles: vec!["magic".into()],
                    ..input()
                },
                "cycles",
            ),
            (
                StoryInput {
                    effect_value: Some(f64::INFINITY),
                    ..input()
                },
                "effect_value",
            ),
            (
                StoryInput {
                    effect_value: Some(2e9),
                    ..input()
                },
                "effect_value",
            ),
            (
                StoryInput {
                    effect_unit: None,
                    ..input()
                },
                "effect_unit",
            ),
            (
                StoryInput {
                    effect_unit: Some("x".repeat(31)),
                    ..input()
                },
                "effect_unit",
            ),
            (
                StoryInput {
                    took: "x".repeat(5_001),
                    ..input()
                },
                "took",
            ),
            (
                StoryInput {
                    happened: " ".into(),
                    ..input()
                },
                "happened",
            ),
            (
                StoryInput {
                    visibility: Some("world".into()),
                    ..input()
                },
                "visibility",
            ),
        ]
    }

    #[test]
    fn stories_are_checked_and_cycles_kept_once() {
        let s = NewStory::parse(&input()).unwrap();
        assert_eq!(s.cycles, vec![Cycle::Applied, Cycle::Realized]);
        assert_eq!(s.effect.unwrap().unit, "hours");
        for (change, field) in wrong_stories() {
            let err = NewStory::parse(&change).unwrap_err();
            assert!(
                matches!(err, Error::Invalid { field: ref f, .. } if f == field),
                "{field}: {err:?}"
            );
        }
        assert!(
            NewStory::parse(&StoryInput {
                effect_unit: Some("beds freed".into()),
                ..input()
            })
            .is_ok()
        );
    }
}

/// A story as stored, with its credits and endorsement count.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub id: i64,
    pub community_id: CommunityId,
    pub author: Person,
    pub anonymous: bool,
    pub visibility: StoryVisibility,
    pub circle_id: Option<i64>,
    pub happened: String,
    pub took: String,
    pub did: String,
    pub difference: String,
    pub cycles: Vec<Cycle>,
    pub effect: Option<Effect>,
    pub pinned: bool,
    pub created_at: Millis,
    /// (kind, id): `thread`, `event` or `circle`.
    pub credits: Vec<(String, i64)>,
    /// (slug, name) of the community's topics it is about.
    pub topics: Vec<(String, String)>,
    pub endorsements: i64,
    pub comments: i64,
    pub updated_at: Option<Millis>,
    /// Why it is hidden (by members' flags or a moderator): only its teller and the
    /// community's moderators read it then.
    pub hidden: Option<String>,
}

/// A comment on a story.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryComment {
    pub id: i64,
    pub story_id: i64,
    pub author: Person,
    pub body: String,
    pub created_at: Millis,
    /// Why it is hidden: only its author and the moderators read it then.
    pub hidden: Option<String>,
}
