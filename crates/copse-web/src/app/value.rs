//! Value-creation stories: telling one with credits checked against the access policy,
//! reading them through `policy::decide_story`, endorsing, and the value report.

use std::collections::BTreeMap;

use copse_core::clock::Millis;
use copse_core::domain::value::{Cycle, NewStory, StoryInput, StoryVisibility};
use copse_core::policy::{self, Actor, CircleAction, CommunityAction, StoryFacts, ThreadAction};
use copse_core::{Error, Result};
use copse_store::{Story, StoryChange, StoryComment};

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

/// What a credit is, for a reader who may read it: its community and its title. Things the
/// reader may not read and things that do not exist are both `None`.
pub async fn resolve_credit(
    state: &AppState,
    actor: &Actor,
    kind: &str,
    id: i64,
) -> Result<Option<(i64, String)>> {
    let found = match kind {
        "thread" => super::threads::gate_thread(state, actor, id, ThreadAction::Read)
            .await
            .map(|t| (t.thread.community_id, t.thread.title.clone())),
        "event" => super::events::get(state, actor, id)
            .await
            .map(|(_, e)| (e.community_id, e.title.clone())),
        "circle" => super::circles::gate_circle(state, actor, id, CircleAction::Read)
            .await
            .map(|c| (c.circle.community_id, c.circle.name.clone())),
        _ => return Ok(None),
    };
    match found {
        Ok(f) => Ok(Some(f)),
        Err(Error::NotFound | Error::Forbidden(_) | Error::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// A story as a member tells or edits it: its content plus where it belongs, what it credits
/// and its topics (slugs of the community's topics).
#[derive(Debug, Clone, Default)]
pub struct StoryDraft {
    pub input: StoryInput,
    pub circle: Option<i64>,
    pub credits: Vec<String>,
    pub topics: Vec<String>,
}

/// At most this many topics per story.
const MAX_TOPICS: usize = 5;

/// A draft checked against the policy for its teller: every credit must be something the
/// teller may read in this community (one that is not, or does not exist, is refused with the
/// same words, so nothing is revealed), the circle one they may post in, the topics the
/// community's own.
struct CheckedDraft {
    story: NewStory,
    circle: Option<i64>,
    credits: Vec<(&'static str, i64)>,
    topics: Vec<i64>,
}

impl CheckedDraft {
    fn change(&self) -> StoryChange<'_> {
        StoryChange {
            story: &self.story,
            circle: self.circle,
            credits: &self.credits,
            topics: &self.topics,
        }
    }
}

async fn check_draft(
    state: &AppState,
    actor: &Actor,
    gated: &Gated,
    draft: &StoryDraft,
) -> Result<CheckedDraft> {
    let story = NewStory::parse(&draft.input)?;
    if draft.credits.len() > MAX_CREDITS {
        return Err(Error::invalid("credits", "at most 10 credits"));
    }
    let mut credits = Vec::new();
    for raw in &draft.credits {
        let (kind, id) = parse_credit(raw)?;
        match resolve_credit(state, actor, kind, id).await? {
            Some((c, _)) if c == gated.community.id => credits.push((kind, id)),
            _ => {
                return Err(Error::invalid(
                    "credits",
                    "one of the credits is not something you can see in this community",
                ));
            }
        }
    }
    if draft.topics.len() > MAX_TOPICS {
        return Err(Error::invalid("topics", "at most 5 topics"));
    }
    let mut topics = Vec::new();
    for slug in &draft.topics {
        match state
            .store
            .topic_by_slug(gated.community.id, slug.trim())
            .await?
        {
            Some((t, _)) => topics.push(t.id),
            None => {
                return Err(Error::invalid(
                    "topics",
                    format!("\"{}\" is not a topic of this community", slug.trim()),
                ));
            }
        }
    }
    let circle = match (story.visibility, draft.circle) {
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
    Ok(CheckedDraft {
        story,
        circle,
        credits,
        topics,
    })
}

/// Tells the people whose threads and events a story credits, once each (not the teller, nor
/// those in `told` already). Whether they may read the story is decided when they read their
/// notifications.
async fn notify_credited(
    state: &AppState,
    community: i64,
    story: i64,
    teller: i64,
    credits: &[(&str, i64)],
    mut told: std::collections::BTreeSet<i64>,
) -> Result<()> {
    let mut notes = Vec::new();
    for (kind, id) in credits {
        for owner in state.store.credit_owners(kind, *id).await? {
            if owner.id != teller && told.insert(owner.id) {
                notes.push(copse_store::NewNotification {
                    account: owner.id,
                    community,
                    kind: copse_core::domain::NotificationKind::Credited,
                    thread: None,
                    reply: None,
                    story: Some(story),
                    checkin: None,
                    actor: teller,
                });
            }
        }
    }
    state.store.notify(&notes).await
}

/// Tells a story.
pub async fn tell(
    state: &AppState,
    actor: &Actor,
    slug: &str,
    draft: &StoryDraft,
) -> Result<ReadStory> {
    let gated = gate(state, actor, slug, CommunityAction::Post).await?;
    let author = actor.account_id().ok_or(Error::Unauthenticated)?;
    let checked = check_draft(state, actor, &gated, draft).await?;
    let id = state
        .store
        .create_story(gated.community.id, author, &checked.change())
        .await?;
    super::participation::record(
        state,
        copse_store::NewActivity {
            community: gated.community.id,
            account: author,
            kind: "value_story",
            private: checked.story.visibility != StoryVisibility::Community,
            at: state.store.now(),
            source: format!("story:{id}"),
        },
    )
    .await;
    notify_credited(
        state,
        gated.community.id,
        id,
        author,
        &checked.credits,
        Default::default(),
    )
    .await?;
    get(state, actor, id).await
}

/// The teller edits their story: everything is checked again as when it was told; people whose
/// work is newly credited are told.
pub async fn edit(
    state: &AppState,
    actor: &Actor,
    id: i64,
    draft: &StoryDraft,
) -> Result<ReadStory> {
    let read = get(state, actor, id).await?;
    if actor.account_id() != Some(read.story.author.id) {
        return Err(Error::forbidden("Only the teller may edit a story."));
    }
    let community = community_of(state, &read.story).await?;
    let gated = gate(state, actor, &community.slug, CommunityAction::Post).await?;
    let checked = check_draft(state, actor, &gated, draft).await?;
    state.store.update_story(id, &checked.change()).await?;
    // People credited before were told then: only the newly credited are told now.
    let mut told = std::collections::BTreeSet::new();
    for (kind, target) in &read.story.credits {
        for owner in state.store.credit_owners(kind, *target).await? {
            told.insert(owner.id);
        }
    }
    notify_credited(
        state,
        gated.community.id,
        id,
        read.story.author.id,
        &checked.credits,
        told,
    )
    .await?;
    get(state, actor, id).await
}

async fn community_of(state: &AppState, story: &Story) -> Result<copse_core::domain::Community> {
    state
        .store
        .community_by_id(story.community_id)
        .await?
        .ok_or(Error::NotFound)
}

/// The teller, or a coordinator moderating, deletes a story; its endorsements, comments and
/// credits go with it, and it leaves the participation ledger.
pub async fn delete(state: &AppState, actor: &Actor, id: i64) -> Result<String> {
    let read = get(state, actor, id).await?;
    let community = community_of(state, &read.story).await?;
    if actor.account_id() != Some(read.story.author.id) {
        gate(state, actor, &community.slug, CommunityAction::ManageTopics)
            .await
            .map_err(|_| {
                Error::forbidden("Only the teller or a coordinator may delete a story.")
            })?;
    }
    state.store.delete_story(id).await?;
    super::participation::forget(state, &format!("story:{id}")).await;
    Ok(community.slug)
}

/// At most this many comments per story.
const MAX_COMMENTS: i64 = 500;

/// A member who may read a story comments on it; the teller is told.
pub async fn comment(state: &AppState, actor: &Actor, id: i64, body: &str) -> Result<StoryComment> {
    let read = get(state, actor, id).await?;
    let community = community_of(state, &read.story).await?;
    gate(state, actor, &community.slug, CommunityAction::Post).await?;
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    let body = copse_core::domain::text::multi_line("body", body, 1, 5_000)?;
    let comment = state
        .store
        .add_story_comment(id, me, &body, MAX_COMMENTS)
        .await?;
    if read.story.author.id != me {
        state
            .store
            .notify(&[copse_store::NewNotification {
                account: read.story.author.id,
                community: community.id,
                kind: copse_core::domain::NotificationKind::StoryComment,
                thread: None,
                reply: None,
                story: Some(id),
                checkin: None,
                actor: me,
            }])
            .await?;
    }
    state
        .store
        .story_comment(comment)
        .await?
        .ok_or(Error::NotFound)
}

/// A story's comments, for whoever may read the story.
pub async fn comments(state: &AppState, actor: &Actor, id: i64) -> Result<Vec<StoryComment>> {
    get(state, actor, id).await?;
    state.store.story_comments(id).await
}

/// The comment's author or a coordinator deletes a comment. Returns the story's id.
pub async fn delete_comment(state: &AppState, actor: &Actor, comment: i64) -> Result<i64> {
    let c = state
        .store
        .story_comment(comment)
        .await?
        .ok_or(Error::NotFound)?;
    let read = get(state, actor, c.story_id).await?;
    if actor.account_id() != Some(c.author.id) {
        let community = community_of(state, &read.story).await?;
        gate(state, actor, &community.slug, CommunityAction::ManageTopics)
            .await
            .map_err(|_| {
                Error::forbidden("Only its author or a coordinator may delete a comment.")
            })?;
    }
    state.store.delete_story_comment(comment).await?;
    Ok(c.story_id)
}

/// Stories the reader may read that credit a person's threads or the events they host — the
/// credit shown on their profile.
pub async fn credited_to(state: &AppState, actor: &Actor, person: i64) -> Result<Vec<ReadStory>> {
    let mut out = Vec::new();
    for id in state.store.stories_crediting_person(person).await? {
        if let Ok(r) = get(state, actor, id).await {
            out.push(r);
        }
    }
    Ok(out)
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
    state: &AppState,
    actor: &Actor,
    credited: BTreeMap<(String, i64), usize>,
) -> Result<(Vec<CreditedThing>, Vec<(copse_core::domain::Person, usize)>)> {
    let mut most: Vec<((String, i64), usize)> = credited.into_iter().collect();
    most.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.1.cmp(&b.0.1)));
    most.truncate(MAX_CREDITED_LOOKED_AT);
    let mut things = Vec::new();
    let mut people: BTreeMap<i64, (copse_core::domain::Person, usize)> = BTreeMap::new();
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
