//! A newcomer's first steps in a community: tell others what you work on, introduce yourself,
//! answer a waiting question, say whether you come to the next meeting. Shown to members
//! (not observers, not the coordinators who run it) in their first 60 days, until all are
//! done; each step is done when the ledger or the profile says so, not when it is clicked.

use copse_core::Result;
use copse_core::clock::DAY;
use copse_core::domain::participation::Act;
use copse_core::domain::{Account, Role};
use copse_core::policy::Actor;

use crate::access::Gated;
use crate::app::App;

/// How long after joining the panel is offered.
const NEWCOMER_DAYS: i64 = 60;

/// One step: what to do, where, and whether it is done.
pub struct Step {
    pub label: &'static str,
    pub why: &'static str,
    pub href: String,
    pub done: bool,
}

/// The panel: its steps in order, and how many are done.
pub struct FirstSteps {
    pub steps: Vec<Step>,
    pub done: usize,
}

/// The steps of `account` (signed in as `actor`) in the community, or none when the panel
/// is not for them.
pub async fn for_member(
    state: &App,
    actor: &Actor,
    account: &Account,
    gated: &Gated,
) -> Result<Option<FirstSteps>> {
    if gated.standing.role != Some(Role::Member) {
        return Ok(None);
    }
    let community = &gated.community;
    let Some((joined_at, acts)) = state.store.newcomer(community.id, account.id).await? else {
        return Ok(None);
    };
    if state.now() - joined_at > NEWCOMER_DAYS * DAY {
        return Ok(None);
    }
    let did = |act: Act| acts.get(act.key()).copied().unwrap_or(0) > 0;
    let slug = community.slug.as_str();
    let profile = &account.profile;
    let waiting = crate::threads::unanswered(state, actor, gated, 1).await?;
    let steps = vec![
        Step {
            label: "Tell others what you work on",
            why: "Your organisation and a line about you help people know whom to ask.",
            href: "/settings/profile".into(),
            done: profile.organisation.is_some() || profile.bio.is_some(),
        },
        Step {
            label: "Introduce yourself",
            why: "Start a thread: where you work, and what you hope to learn here.",
            href: format!("/c/{slug}/threads/new"),
            done: did(Act::ThreadStarted),
        },
        Step {
            label: "Answer a waiting question",
            why: "What you know from your own work is what others lack.",
            href: waiting
                .first()
                .map_or_else(|| format!("/c/{slug}/threads"), |t| format!("/t/{}", t.id)),
            done: did(Act::Reply),
        },
        Step {
            label: "Say whether you come to the next meeting",
            why: "Meetings are where a community of practice learns together.",
            href: format!("/c/{slug}/events"),
            done: did(Act::Rsvp) || did(Act::EventAttended),
        },
    ];
    let done = steps.iter().filter(|s| s.done).count();
    Ok((done < steps.len()).then_some(FirstSteps { steps, done }))
}
