//! Check-ins: coordinators schedule a recurring question; the worker opens each round through
//! the job queue and asks the members in-app; members answer (the answer is theirs and the
//! coordinators'), and turn an answer into a value story with one click.

use copse_core::clock::Millis;
use copse_core::domain::CommunityId;
use copse_core::domain::checkin::Checkin;
use copse_core::domain::checkin::CheckinAnswer;
use copse_core::domain::checkin::CheckinSchedule;
use copse_core::domain::checkin::{Answer, Cadence, DEFAULT_PROMPT, parse_prompt};
use copse_core::domain::value::StoryInput;
use copse_core::policy::{Actor, CommunityAction};
use copse_core::{Error, Result};
use copse_store::NewRound;

use super::value::{ReadStory, StoryDraft};
use crate::access::{Gated, gate};
use crate::app::App;

/// A community's check-in schedule, for its coordinators (a suggestion when there is none).
pub async fn schedule(state: &App, actor: &Actor, slug: &str) -> Result<(Gated, CheckinSchedule)> {
    let gated =
        crate::access::gate_reading(state, actor, slug, CommunityAction::ManageTopics).await?;
    let schedule = state
        .store
        .checkin_schedule(gated.community.id)
        .await?
        .unwrap_or(CheckinSchedule {
            prompt: DEFAULT_PROMPT.to_string(),
            cadence: Cadence::Monthly,
            next_at: None,
        });
    Ok((gated, schedule))
}

/// Coordinators set the prompt, the cadence and when the next round opens (`None` pauses it).
/// The next round may not be more than a year away, nor in the past.
pub async fn set_schedule(
    state: &App,
    actor: &Actor,
    slug: &str,
    prompt: &str,
    cadence: &str,
    next_at: Option<Millis>,
) -> Result<CheckinSchedule> {
    let gated = gate(state, actor, slug, CommunityAction::ManageTopics).await?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let now = state.store.now();
    if let Some(at) = next_at
        && (at < now - 60_000 || at > now + 366 * 86_400_000)
    {
        return Err(Error::invalid(
            "next_at",
            "must be from now to a year ahead",
        ));
    }
    let schedule = CheckinSchedule {
        prompt: parse_prompt(prompt)?,
        cadence: Cadence::parse(cadence)?,
        next_at,
    };
    state
        .store
        .set_checkin_schedule(gated.community.id, &schedule, by)
        .await?;
    Ok(schedule)
}

/// Coordinators open a round now, with the schedule's prompt (or the suggested one); it stays
/// open for one period of the cadence.
pub async fn open_now(state: &App, actor: &Actor, slug: &str) -> Result<Checkin> {
    let (gated, schedule) = schedule(state, actor, slug).await?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let now = state.store.now();
    let id = state
        .store
        .open_checkin(&NewRound {
            community: gated.community.id,
            prompt: &schedule.prompt,
            opened_at: now,
            closes_at: schedule.cadence.next(now),
            opened_by: by,
            next_at: None,
        })
        .await?
        .ok_or_else(|| Error::conflict("A check-in opened at this very moment already."))?;
    state.store.checkin(id).await?.ok_or(Error::NotFound)
}

/// Opens the scheduled round due at `at` (run by the worker's `checkin` job): one round
/// however often it runs; the schedule moves past now, so a long outage opens one round, not
/// one per missed period.
pub async fn open_scheduled(state: &App, community: CommunityId, at: Millis) -> Result<()> {
    let Some(schedule) = state.store.checkin_schedule(community).await? else {
        return Ok(());
    };
    if schedule.next_at != Some(at) {
        return Ok(()); // changed or paused since the job was queued
    }
    let Some(by) = state.store.checkin_owner(community).await? else {
        return Ok(());
    };
    let now = state.store.now();
    let mut next = schedule.cadence.next(at);
    while next <= now {
        next = schedule.cadence.next(next);
    }
    state
        .store
        .open_checkin(&NewRound {
            community,
            prompt: &schedule.prompt,
            opened_at: at,
            closes_at: next,
            opened_by: by,
            next_at: Some(next),
        })
        .await?;
    Ok(())
}

/// A round as a reader sees it: theirs to answer while it is open; every answer for
/// coordinators.
pub struct Round {
    pub gated: Gated,
    pub checkin: Checkin,
    pub open: bool,
    pub mine: Option<CheckinAnswer>,
    /// Everyone's answers, for coordinators; `None` for others.
    pub answers: Option<Vec<CheckinAnswer>>,
}

async fn gate_round(state: &App, actor: &Actor, id: i64) -> Result<(Gated, Checkin)> {
    let checkin = state.store.checkin(id).await?.ok_or(Error::NotFound)?;
    let community = state
        .store
        .community_by_id(checkin.community_id)
        .await?
        .ok_or(Error::NotFound)?;
    // Members only: to anyone else a round does not exist.
    let gated = gate(
        state,
        actor,
        &community.slug,
        CommunityAction::ReadMembersOnly,
    )
    .await
    .map_err(|_| Error::NotFound)?;
    Ok((gated, checkin))
}

pub async fn round(state: &App, actor: &Actor, id: i64) -> Result<Round> {
    let (gated, checkin) = gate_round(state, actor, id).await?;
    let now = state.store.now();
    let mine = match actor.account_id() {
        Some(me) => state
            .store
            .checkin_answers(id, Some(me))
            .await?
            .into_iter()
            .next(),
        None => None,
    };
    let answers = if gated.may(actor, CommunityAction::ManageTopics) {
        Some(state.store.checkin_answers(id, None).await?)
    } else {
        None
    };
    Ok(Round {
        open: checkin.opened_at <= now && now < checkin.closes_at,
        gated,
        checkin,
        mine,
        answers,
    })
}

/// A community's rounds with the reader's own answers, for members.
pub async fn rounds(
    state: &App,
    actor: &Actor,
    slug: &str,
) -> Result<(Gated, Vec<(Checkin, Option<CheckinAnswer>)>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadMembersOnly).await?;
    // The reader's answers to all the community's rounds in one query, not one per round.
    let mut mine: std::collections::HashMap<i64, CheckinAnswer> = match actor.account_id() {
        Some(me) => state
            .store
            .checkin_answers_of(gated.community.id, me)
            .await?
            .into_iter()
            .map(|a| (a.checkin_id, a))
            .collect(),
        None => Default::default(),
    };
    let rounds = state.store.checkins(gated.community.id).await?;
    let out = rounds
        .into_iter()
        .map(|k| {
            let answer = mine.remove(&k.id);
            (k, answer)
        })
        .collect();
    Ok((gated, out))
}

/// A member answers an open round (again, to change the answer).
pub async fn answer(
    state: &App,
    actor: &Actor,
    id: i64,
    learned: &str,
    applied: &str,
) -> Result<CheckinAnswer> {
    let (gated, checkin) = gate_round(state, actor, id).await?;
    gated.check(actor, CommunityAction::AnswerCheckins)?;
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    let now = state.store.now();
    if now < checkin.opened_at || now >= checkin.closes_at {
        return Err(Error::conflict("This check-in is closed."));
    }
    let answer = Answer::parse(learned, applied)?;
    state.store.answer_checkin(id, me, &answer).await?;
    state
        .store
        .checkin_answers(id, Some(me))
        .await?
        .pop()
        .ok_or(Error::NotFound)
}

/// Turns the reader's answer into a value story in one step: what they learned is what they
/// took, what they applied is what they did; the cycles follow (potential, and applied when
/// they applied something). They may edit the story afterwards. An answer becomes one story.
pub async fn to_story(
    state: &App,
    actor: &Actor,
    id: i64,
    visibility: Option<&str>,
    anonymous: bool,
) -> Result<ReadStory> {
    let (gated, checkin) = gate_round(state, actor, id).await?;
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    let answer = state
        .store
        .checkin_answers(id, Some(me))
        .await?
        .pop()
        .ok_or_else(|| Error::invalid("answer", "answer the check-in first"))?;
    if let Some(story) = answer.story_id {
        return Err(Error::conflict(format!(
            "This answer is already story {story}."
        )));
    }
    let mut cycles = vec!["potential".to_string()];
    if !answer.applied.is_empty() {
        cycles.push("applied".to_string());
    }
    let draft = StoryDraft {
        input: StoryInput {
            happened: format!(
                "The community's check-in of {} asked: {}",
                copse_core::clock::human_date(checkin.opened_at),
                checkin.prompt
            ),
            took: answer.learned.clone(),
            did: answer.applied.clone(),
            difference: String::new(),
            cycles,
            visibility: visibility.map(str::to_string),
            anonymous,
            ..StoryInput::default()
        },
        ..StoryDraft::default()
    };
    let telling = crate::value::prepare(state, actor, &gated.community.slug, &draft).await?;
    // The story and the answer's link to it commit together: of two racing clicks, the second
    // finds the answer linked and writes nothing.
    let mut w = state.store.write().await?;
    let told = async {
        let story = crate::value::write(&mut w, &telling).await?;
        if !w.link_answer_story(id, me, story).await? {
            return Err(Error::conflict("This answer is already a story."));
        }
        Ok(story)
    }
    .await;
    let story = w.finish(told).await?;
    crate::value::get(state, actor, story).await
}
