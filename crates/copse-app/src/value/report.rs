//! The value report for a period, from the stories the reader may read: per cycle, effects,
//! topics, what and whom the stories credit, the strongest stories and the introduction.

use copse_core::domain::AccountId;
use std::collections::BTreeMap;

use copse_core::clock::Millis;
use copse_core::domain::value::Cycle;
use copse_core::policy::{Actor, CommunityAction};
use copse_core::{Error, Result};

use super::read::{ReadStory, list, resolve_credit};
use crate::access::{Gated, gate};
use crate::app::App;

/// The value report for a period, from the stories the reader may read.
pub struct Report {
    pub gated: Gated,
    pub stories: usize,
    pub per_cycle: Vec<(Cycle, usize)>,
    /// Measured effects summed by unit.
    pub effects: Vec<(String, f64, usize)>,
    /// Stories per topic of the community: (slug, name, stories), most first.
    pub per_topic: Vec<(String, String, usize)>,
    /// Threads, events and circles credited most, that the reader may read.
    pub credited: Vec<CreditedThing>,
    /// People whose threads and events the stories credit most: (person, stories).
    pub people: Vec<(copse_core::domain::Person, usize)>,
    /// Pinned first, then the most endorsed.
    pub strongest: Vec<ReadStory>,
    pub endorsements: i64,
    /// Stories per month (`2026-10`), oldest first.
    pub per_month: Vec<(String, usize)>,
    /// The coordinators' introduction (Markdown).
    pub introduction: Option<String>,
}

/// A thread, event or circle stories credit, as the reader may see it.
pub struct CreditedThing {
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub stories: usize,
}

/// At most this many distinct credited things are looked at for one report (the most
/// credited first): each is checked through the policy for the reader.
const MAX_CREDITED_LOOKED_AT: usize = 200;

/// The most credited things the reader may read, and the people behind them. A credited thing
/// the reader may not read counts for nobody, so neither it nor its author is revealed.
async fn contributions(
    state: &App,
    actor: &Actor,
    credited: BTreeMap<(String, i64), usize>,
) -> Result<(Vec<CreditedThing>, Vec<(copse_core::domain::Person, usize)>)> {
    let mut most: Vec<((String, i64), usize)> = credited.into_iter().collect();
    most.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.1.cmp(&b.0.1)));
    most.truncate(MAX_CREDITED_LOOKED_AT);
    let mut things = Vec::new();
    let mut people: BTreeMap<AccountId, (copse_core::domain::Person, usize)> = BTreeMap::new();
    for ((kind, id), n) in most {
        let Some((_, title)) = resolve_credit(state, actor, &kind, id).await? else {
            continue;
        };
        for owner in state.store.credit_owners(&kind, id).await? {
            people.entry(owner.id).or_insert((owner, 0)).1 += n;
        }
        things.push(CreditedThing {
            kind,
            id,
            title,
            stories: n,
        });
    }
    things.truncate(10);
    let mut people: Vec<_> = people.into_values().collect();
    people.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.display_name.cmp(&b.0.display_name)));
    people.truncate(10);
    Ok((things, people))
}

pub async fn report(
    state: &App,
    actor: &Actor,
    slug: &str,
    from: Millis,
    to: Millis,
) -> Result<Report> {
    let (gated, mut list) = list(state, actor, slug, from, to).await?;
    // A hidden story waits for a moderator: the report counts none of it, whoever reads it.
    list.retain(|r| r.story.hidden.is_none());
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
    let mut per_topic: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in &list {
        for (slug, name) in &r.story.topics {
            *per_topic.entry((slug.clone(), name.clone())).or_default() += 1;
        }
    }
    let mut per_topic: Vec<(String, String, usize)> =
        per_topic.into_iter().map(|((s, n), c)| (s, n, c)).collect();
    per_topic.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    let (credited, people) = contributions(state, actor, credited).await?;
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
        per_topic,
        credited,
        people,
        strongest,
        endorsements,
        per_month: per_month.into_iter().collect(),
        introduction,
    })
}

/// Coordinators write the report's introduction (Markdown, at most 10,000 characters).
pub async fn set_introduction(
    state: &App,
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
    use crate::participation::csv_field as field;
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
