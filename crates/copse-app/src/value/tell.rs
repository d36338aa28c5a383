//! Telling a value story, editing and deleting it: every credit checked against the policy for
//! the teller; the story, its ledger entry and the credited people's notifications written in
//! one transaction. Also endorsing and pinning.

use std::collections::BTreeSet;

use copse_core::domain::participation::{Act, private_story};
use copse_core::domain::uploads::AttachedTo;
use copse_core::domain::value::{NewStory, StoryInput, StoryVisibility};
use copse_core::domain::{AccountId, CommunityId, NotificationKind};
use copse_core::policy::{Actor, CircleAction, CommunityAction, StoryAction};
use copse_core::{Error, Result};
use copse_store::{NewActivity, NewNotification, StoryChange, Write};

use super::read::{ReadStory, get, resolve_credit, story_to};
use crate::access::{Gated, gate};
use crate::app::App;
use crate::moderation::{PostKind, check_posting};

/// At most this many credits per story.
const MAX_CREDITS: usize = 10;

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

/// A story as a member tells or edits it: its content plus where it belongs, what it credits
/// and its topics (slugs of the community's topics).
#[derive(Debug, Clone, Default)]
pub struct StoryDraft {
    pub input: StoryInput,
    pub circle: Option<i64>,
    pub credits: Vec<String>,
    pub topics: Vec<String>,
    /// The teller's uploads to attach (ids).
    pub files: Vec<String>,
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
    state: &App,
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
            let gc = crate::access::gate_circle(state, actor, c, CircleAction::Post).await?;
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

/// The people to tell that a story credits their threads and events: once each, not the teller,
/// nor those in `told` already. Whether they may read the story is decided when they read their
/// notifications.
async fn credited_people(
    state: &App,
    teller: AccountId,
    credits: &[(&str, i64)],
    mut told: BTreeSet<AccountId>,
) -> Result<Vec<AccountId>> {
    let mut people = Vec::new();
    for (kind, id) in credits {
        for owner in state.store.credit_owners(kind, *id).await? {
            if owner.id != teller && told.insert(owner.id) {
                people.push(owner.id);
            }
        }
    }
    Ok(people)
}

fn credited_notes(
    community: CommunityId,
    story: i64,
    teller: AccountId,
    people: &[AccountId],
) -> Vec<NewNotification> {
    people
        .iter()
        .map(|person| NewNotification {
            account: *person,
            community,
            kind: NotificationKind::Credited,
            thread: None,
            reply: None,
            story: Some(story),
            checkin: None,
            actor: teller,
        })
        .collect()
}

/// A story checked and ready to be told: where, by whom, what, and whom to tell.
pub(crate) struct Telling {
    community: CommunityId,
    teller: AccountId,
    checked: CheckedDraft,
    credited: Vec<AccountId>,
}

/// Checks a draft for its teller in a community, before anything is written.
pub(crate) async fn prepare(
    state: &App,
    actor: &Actor,
    slug: &str,
    draft: &StoryDraft,
) -> Result<Telling> {
    let gated = gate(state, actor, slug, CommunityAction::Post).await?;
    let teller = actor.account_id().ok_or(Error::Unauthenticated)?;
    let checked = check_draft(state, actor, &gated, draft).await?;
    let credited = credited_people(state, teller, &checked.credits, BTreeSet::new()).await?;
    Ok(Telling {
        community: gated.community.id,
        teller,
        checked,
        credited,
    })
}

/// Writes a prepared story with its ledger entry and its credited people's notifications, in
/// the caller's transaction. Returns the story's id.
pub(crate) async fn write(w: &mut Write, t: &Telling) -> Result<i64> {
    let id = w
        .create_story(t.community, t.teller, &t.checked.change())
        .await?;
    let act = NewActivity {
        community: t.community,
        account: t.teller,
        kind: Act::ValueStory,
        private: private_story(t.checked.story.visibility),
        at: w.now(),
        source: format!("story:{id}"),
    };
    w.record_activity(&[act]).await?;
    w.notify(&credited_notes(t.community, id, t.teller, &t.credited))
        .await?;
    Ok(id)
}

/// A story's words as one text: checked by the posting limits, searched for linked files.
fn story_text(story: &NewStory) -> String {
    [&story.happened, &story.took, &story.did, &story.difference]
        .map(String::as_str)
        .join(" ")
}

/// Tells a story.
pub async fn tell(state: &App, actor: &Actor, slug: &str, draft: &StoryDraft) -> Result<ReadStory> {
    let telling = prepare(state, actor, slug, draft).await?;
    let account = state
        .store
        .account(telling.teller)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let text = story_text(&telling.checked.story);
    let files = crate::files::file_ids(&draft.files)?;
    let mut w = state.store.write().await?;
    let told = async {
        let limits = &state.config.posting;
        check_posting(&mut w, limits, &account, PostKind::Story, &text).await?;
        let id = write(&mut w, &telling).await?;
        let to = AttachedTo::Story(id);
        let community = telling.community;
        crate::files::attach(state, &mut w, telling.teller, &files, &text, to, community).await?;
        Ok(id)
    }
    .await;
    let id = w.finish(told).await?;
    get(state, actor, id).await
}

/// The teller edits their story: everything is checked again as when it was told; people whose
/// work is newly credited are told.
pub async fn edit(state: &App, actor: &Actor, id: i64, draft: &StoryDraft) -> Result<ReadStory> {
    let (gated, read) = story_to(state, actor, id, StoryAction::Edit).await?;
    let gated = gate(state, actor, &gated.community.slug, CommunityAction::Post).await?;
    let checked = check_draft(state, actor, &gated, draft).await?;
    // People credited before were told then: only the newly credited are told now.
    let mut told = BTreeSet::new();
    for (kind, target) in &read.story.credits {
        for owner in state.store.credit_owners(kind, *target).await? {
            told.insert(owner.id);
        }
    }
    let teller = read.story.author.id;
    let credited = credited_people(state, teller, &checked.credits, told).await?;
    let notes = credited_notes(gated.community.id, id, teller, &credited);
    let files = crate::files::file_ids(&draft.files)?;
    let text = story_text(&checked.story);
    let mut w = state.store.write().await?;
    let edited = async {
        w.update_story(id, &checked.change()).await?;
        let (to, community) = (AttachedTo::Story(id), gated.community.id);
        crate::files::attach(state, &mut w, teller, &files, &text, to, community).await?;
        w.notify(&notes).await
    }
    .await;
    w.finish(edited).await?;
    get(state, actor, id).await
}

/// The teller, or a coordinator moderating, deletes a story; its endorsements, comments and
/// credits go with it, and it leaves the participation ledger.
pub async fn delete(state: &App, actor: &Actor, id: i64) -> Result<String> {
    let (gated, _) = story_to(state, actor, id, StoryAction::Delete).await?;
    let mut w = state.store.write().await?;
    let deleted = async {
        w.delete_story(id).await?;
        w.forget_activity(&format!("story:{id}")).await
    }
    .await;
    w.finish(deleted).await?;
    Ok(gated.community.slug)
}

/// Endorses a story the reader may read ("this also happened for me"); twice counts once.
pub async fn endorse(state: &App, actor: &Actor, id: i64, on: bool) -> Result<ReadStory> {
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    story_to(state, actor, id, StoryAction::Endorse).await?;
    state.store.endorse(id, me, on).await?;
    get(state, actor, id).await
}

/// Coordinators pin a story they may read for the report.
pub async fn pin(state: &App, actor: &Actor, id: i64, pinned: bool) -> Result<ReadStory> {
    story_to(state, actor, id, StoryAction::Pin).await?;
    state.store.pin_story(id, pinned).await?;
    get(state, actor, id).await
}
