//! Value-creation stories: telling one with credits checked against the access policy,
//! reading them through `policy::decide_story`, endorsing, and the value report.

use std::collections::BTreeMap;

use copse_core::clock::Millis;
use copse_core::domain::value::{Cycle, NewStory, StoryInput, StoryVisibility};
use copse_core::policy::{self, Actor, CircleAction, CommunityAction, StoryFacts, ThreadAction};
use copse_core::{Error, Result};
use copse_store::Story;

use super::communities::{Gated, gate};
use crate::state::AppState;

/// At most this many credits per story.
const MAX_CREDITS: usize = 10;

/// A story the reader may read, with whether they may see its teller.
pub struct ReadStory {
    pub story: Story,
    pub teller_shown: bool,
}

async fn facts(state: &AppState, actor: &Actor, story: &Story) -> Result<StoryFacts> {
    let in_circle = match story.circle_id {
        Some(c) => state
            .store
            .circle_role(c, actor.account_id())
            .await?
            .is_some(),
        None => false,
    };
    Ok(StoryFacts {
        visibility: story.visibility,
        in_circle,
        is_author: actor.account_id() == Some(story.author.id),
        anonymous: story.anonymous,
    })
}

/// Filters stories through the policy for one reader.
async fn readable(
    state: &AppState,
    actor: &Actor,
    gated: &Gated,
    stories: Vec<Story>,
) -> Result<Vec<ReadStory>> {
    let mut out = Vec::new();
    for story in stories {
        let f = facts(state, actor, &story).await?;
        if policy::decide_story(actor, &gated.standing, &f).allowed() {
            out.push(ReadStory {
                teller_shown: policy::story_teller_shown(actor, &gated.standing, &f),
                story,
            });
        }
    }
    Ok(out)
}

/// One credit as given: `thread:42`, `event:7` or `circle:3`.
fn parse_credit(raw: &str) -> Result<(&'static str, i64)> {
    let bad = || {
        Error::invalid(
            "credits",
            "each credit is thread:<id>, event:<id> or circle:<id>",
        )
    };
    let (kind, id) = raw.trim().split_once(':').ok_or_else(bad)?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    let kind = match kind {
        "thread" => "thread",
        "event" => "event",
        "circle" => "circle",
        _ => return Err(bad()),
    };
    Ok((kind, id))
}

/// Tells a story. Every credit must be something the teller may read in this community; one
/// that is not (or does not exist) is refused with the same words, so nothing is revealed.
pub async fn tell(
    state: &AppState,
    actor: &Actor,
    slug: &str,
    input: &StoryInput,
    circle: Option<i64>,
    credits: &[String],
) -> Result<ReadStory> {
    let gated = gate(state, actor, slug, CommunityAction::Post).await?;
    let story = NewStory::parse(input)?;
    let author = actor.account_id().ok_or(Error::Unauthenticated)?;
    if credits.len() > MAX_CREDITS {
        return Err(Error::invalid("credits", "at most 10 credits"));
    }
    let hidden = || {
        Error::invalid(
            "credits",
            "one of the credits is not something you can see in this community",
        )
    };
    let mut checked = Vec::new();
    for raw in credits {
        let (kind, id) = parse_credit(raw)?;
        let community = match kind {
            "thread" => super::threads::gate_thread(state, actor, id, ThreadAction::Read)
                .await
                .map(|t| t.thread.community_id),
            "event" => super::events::get(state, actor, id)
                .await
                .map(|(_, e)| e.community_id),
            _ => super::circles::gate_circle(state, actor, id, CircleAction::Read)
                .await
                .map(|c| c.circle.community_id),
        };
        match community {
            Ok(c) if c == gated.community.id => checked.push((kind, id)),
            Ok(_) | Err(Error::NotFound | Error::Forbidden(_)) => return Err(hidden()),
            Err(e) => return Err(e),
        }
    }
    let circle_id = match (story.visibility, circle) {
        (StoryVisibility::Circle, Some(c)) => {
            let gc = super::circles::gate_circle(state, actor, c, CircleAction::Post).await?;
            if gc.circle.community_id != gated.community.id {
                return Err(Error::invalid(
                    "circle",
                    "must be a circle of this community",
                ));
            }
            Some(c)
        }
        (StoryVisibility::Circle, None) => {
            return Err(Error::invalid("circle", "a circle story needs its circle"));
        }
        (_, Some(_)) => {
            return Err(Error::invalid(
                "circle",
                "only circle stories belong to a circle",
            ));
        }
        _ => None,
    };
    let id = state
        .store
        .create_story(gated.community.id, author, &story, circle_id, &checked)
        .await?;
    super::participation::record(
        state,
        copse_store::NewActivity {
            community: gated.community.id,
            account: author,
            kind: "value_story",
            private: story.visibility != StoryVisibility::Community,
            at: state.store.now(),
            source: format!("story:{id}"),
        },
    )
    .await;
    get(state, actor, id).await
}

/// One story, for whoever may read it (others: not found).
pub async fn get(state: &AppState, actor: &Actor, id: i64) -> Result<ReadStory> {
    let story = state.store.story(id).await?.ok_or(Error::NotFound)?;
    let community = state
        .store
        .community_by_id(story.community_id)
        .await?
        .ok_or(Error::NotFound)?;
    let gated = gate(state, actor, &community.slug, CommunityAction::ReadPublic)
        .await
        .map_err(|_| Error::NotFound)?;
    readable(state, actor, &gated, vec![story])
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// The community's stories the reader may read, created in `[from, to)`.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    slug: &str,
    from: Millis,
    to: Millis,
) -> Result<(Gated, Vec<ReadStory>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadMembersOnly).await?;
    let stories = state.store.stories(gated.community.id, from, to).await?;
    let list = readable(state, actor, &gated, stories).await?;
    Ok((gated, list))
}

/// Endorses a story the reader may read ("this also happened for me"); twice counts once.
pub async fn endorse(state: &AppState, actor: &Actor, id: i64, on: bool) -> Result<ReadStory> {
    let read = get(state, actor, id).await?;
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    if read.story.author.id == me {
        return Err(Error::forbidden("You cannot endorse your own story."));
    }
    state.store.endorse(id, me, on).await?;
    get(state, actor, id).await
}

/// The value report for a period, from the stories the reader may read.
pub struct Report {
    pub gated: Gated,
    pub stories: usize,
    pub per_cycle: Vec<(Cycle, usize)>,
    /// Measured effects summed by unit.
    pub effects: Vec<(String, f64, usize)>,
    /// Threads and events credited most: (kind, id, stories).
    pub credited: Vec<(String, i64, usize)>,
    /// Pinned first, then the most endorsed.
    pub strongest: Vec<ReadStory>,
    pub endorsements: i64,
    /// Stories per month (`2026-10`), oldest first.
    pub per_month: Vec<(String, usize)>,
    /// The coordinators' introduction (Markdown).
    pub introduction: Option<String>,
}

pub async fn report(
    state: &AppState,
    actor: &Actor,
    slug: &str,
    from: Millis,
    to: Millis,
) -> Result<Report> {
    let (gated, list) = list(state, actor, slug, from, to).await?;
    let mut per_cycle: BTreeMap<Cycle, usize> = Cycle::ALL.iter().map(|c| (*c, 0)).collect();
    let mut effects: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    let mut credited: BTreeMap<(String, i64), usize> = BTreeMap::new();
    let mut endorsements = 0;
    for r in &list {
        for c in &r.story.cycles {
            *per_cycle.entry(*c).or_default() += 1;
        }
        if let Some(e) = &r.story.effect {
            let slot = effects.entry(e.unit.clone()).or_default();
            slot.0 += e.value;
            slot.1 += 1;
        }
        for (kind, id) in &r.story.credits {
            *credited.entry((kind.clone(), *id)).or_default() += 1;
        }
        endorsements += r.story.endorsements;
    }
    let mut credited: Vec<(String, i64, usize)> = credited
        .into_iter()
        .map(|((k, id), n)| (k, id, n))
        .collect();
    credited.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    credited.truncate(10);
    let stories = list.len();
    let mut per_month: BTreeMap<String, usize> = BTreeMap::new();
    for r in &list {
        let month = chrono::DateTime::from_timestamp_millis(r.story.created_at)
            .unwrap_or_default()
            .format("%Y-%m")
            .to_string();
        *per_month.entry(month).or_default() += 1;
    }
    let introduction = state.store.report_introduction(gated.community.id).await?;
    let mut strongest = list;
    strongest.sort_by(|a, b| {
        b.story
            .pinned
            .cmp(&a.story.pinned)
            .then(b.story.endorsements.cmp(&a.story.endorsements))
            .then(b.story.created_at.cmp(&a.story.created_at))
    });
    strongest.truncate(5);
    Ok(Report {
        gated,
        stories,
        per_cycle: per_cycle.into_iter().collect(),
        effects: effects.into_iter().map(|(u, (v, n))| (u, v, n)).collect(),
        credited,
        strongest,
        endorsements,
        per_month: per_month.into_iter().collect(),
        introduction,
    })
}

/// Coordinators pin a story they may read for the report.
pub async fn pin(state: &AppState, actor: &Actor, id: i64, pinned: bool) -> Result<ReadStory> {
    let read = get(state, actor, id).await?;
    let community = state
        .store
        .community_by_id(read.story.community_id)
        .await?
        .ok_or(Error::NotFound)?;
    gate(state, actor, &community.slug, CommunityAction::ManageTopics).await?;
    state.store.pin_story(id, pinned).await?;
    get(state, actor, id).await
}

/// Coordinators write the report's introduction (Markdown, at most 10,000 characters).
pub async fn set_introduction(
    state: &AppState,
    actor: &Actor,
    slug: &str,
    text: &str,
) -> Result<String> {
    let gated = gate(state, actor, slug, CommunityAction::ManageTopics).await?;
    let text = if text.trim().is_empty() {
        String::new()
    } else {
        copse_core::domain::text::multi_line("introduction", text, 1, 10_000)?
    };
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    state
        .store
        .set_report_introduction(gated.community.id, &text, by)
        .await?;
    Ok(text)
}

/// The report as CSV: one row per story the reader may read (teller hidden where anonymous).
pub fn report_csv(stories: &[ReadStory]) -> String {
    use super::participation::csv_field as field;
    let mut out = String::from(
        "id,created,teller,cycles,took,difference,effect_value,effect_unit,effect_period,endorsements,pinned\r\n",
    );
    for r in stories {
        let s = &r.story;
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\r\n",
            s.id,
            copse_core::clock::rfc3339(s.created_at),
            field(if r.teller_shown { &s.author.handle } else { "" }),
            field(
                &s.cycles
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            field(&s.took),
            field(&s.difference),
            s.effect
                .as_ref()
                .map(|e| e.value.to_string())
                .unwrap_or_default(),
            field(s.effect.as_ref().map(|e| e.unit.as_str()).unwrap_or("")),
            field(
                s.effect
                    .as_ref()
                    .and_then(|e| e.period.as_deref())
                    .unwrap_or("")
            ),
            s.endorsements,
            s.pinned
        ));
    }
    out
}

/// How many stories the reader may read credit a thread or an event ("helped N people").
pub async fn helped(state: &AppState, actor: &Actor, kind: &str, id: i64) -> Result<usize> {
    let mut n = 0;
    for story in state.store.stories_crediting(kind, id).await? {
        if get(state, actor, story).await.is_ok() {
            n += 1;
        }
    }
    Ok(n)
}
