//! The demo's value stories: two dozen per community across the five cycles, credited to the
//! community's real threads and events, some with measured effects, some endorsed.

use copse_core::domain::value::{Cycle, Effect, NewStory, StoryVisibility};
use copse_core::domain::{CommunityId, ThreadQuery};
use copse_core::policy::ThreadFilter;
use copse_store::Store;

/// (took, did, difference, cycles, effect)
type Seed = (
    &'static str,
    &'static str,
    &'static str,
    &'static [Cycle],
    Option<(f64, &'static str, &'static str)>,
);

const SEEDS: [Seed; 12] = [
    (
        "It was good to hear others struggle with the same thing.",
        "",
        "I felt less alone with it.",
        &[Cycle::Immediate],
        None,
    ),
    (
        "A checklist I could reuse.",
        "I adapted it for my team.",
        "We stopped forgetting a step.",
        &[Cycle::Potential, Cycle::Applied],
        None,
    ),
    (
        "Two contacts who had solved this before.",
        "I called one of them.",
        "Saved weeks of trial and error.",
        &[Cycle::Potential],
        Some((20.0, "hours", "once")),
    ),
    (
        "A different way to run the weekly review.",
        "We changed our review to it.",
        "Reviews take half the time.",
        &[Cycle::Applied, Cycle::Realized],
        Some((4.0, "hours", "per month")),
    ),
    (
        "Evidence I could show my manager.",
        "I proposed the change at our meeting.",
        "The change was approved.",
        &[Cycle::Applied, Cycle::Reframing],
        None,
    ),
    (
        "A worked example of the tricky case.",
        "I used it the next day.",
        "No rework on that case.",
        &[Cycle::Applied],
        None,
    ),
    (
        "The idea of measuring what matters to patients, not just counts.",
        "We rewrote our goals.",
        "We now report outcomes, not activity.",
        &[Cycle::Reframing],
        None,
    ),
    (
        "A template for the report.",
        "I used it for the quarterly report.",
        "Fewer questions from the board.",
        &[Cycle::Potential, Cycle::Applied],
        Some((2.0, "days", "per quarter")),
    ),
    (
        "Confidence to try it.",
        "We ran a pilot.",
        "Fewer incidents during the pilot.",
        &[Cycle::Applied, Cycle::Realized],
        Some((3.0, "incidents", "per month")),
    ),
    (
        "A shared vocabulary with other teams.",
        "",
        "Meetings across departments go smoother.",
        &[Cycle::Immediate, Cycle::Potential],
        None,
    ),
    (
        "A cheaper way to do the same thing.",
        "We switched suppliers.",
        "Lower costs.",
        &[Cycle::Realized],
        Some((1200.0, "euros", "per year")),
    ),
    (
        "Someone to ask when I am stuck.",
        "I asked twice this month.",
        "I unblocked myself faster.",
        &[Cycle::Potential],
        None,
    ),
];

/// Seeds the stories; returns how many.
pub async fn seed(store: &Store, communities: &[(CommunityId, Vec<i64>)]) -> anyhow::Result<usize> {
    let mut told = 0;
    for (community, members) in communities {
        // Threads every member may read (not circles'), so the credits are honest.
        let threads: Vec<_> = store
            .list_threads(
                *community,
                ThreadFilter::All,
                &ThreadQuery::default(),
                40,
                None,
            )
            .await?
            .items
            .into_iter()
            .filter(|t| t.space != copse_core::domain::Space::Circle)
            .collect();
        let events = store
            .list_events(*community, ThreadFilter::Visible { account: None })
            .await?;
        for i in 0..24 {
            let (took, did, difference, cycles, effect) = SEEDS[i % SEEDS.len()];
            let Some(thread) = threads.get(i % threads.len().max(1)) else {
                continue;
            };
            let author = members[(i * 5 + 1) % members.len()];
            let story = NewStory {
                happened: format!("The thread “{}”.", thread.title),
                took: took.into(),
                did: did.into(),
                difference: difference.into(),
                cycles: cycles.to_vec(),
                effect: effect.map(|(value, unit, period)| Effect {
                    value,
                    unit: unit.into(),
                    period: Some(period.into()),
                }),
                visibility: if i % 11 == 10 {
                    StoryVisibility::Coordinators
                } else {
                    StoryVisibility::Community
                },
                anonymous: i % 7 == 6,
            };
            let mut credits = vec![("thread", thread.id)];
            if i % 3 == 0
                && let Some(e) = events.get(i % events.len().max(1))
            {
                credits.push(("event", e.id));
            }
            let id = store
                .create_story(*community, author, &story, None, &credits)
                .await?;
            for who in members.iter().skip(i % 4).step_by(3).take(i % 4) {
                if *who != author {
                    store.endorse(id, *who, true).await?;
                }
            }
            told += 1;
        }
    }
    Ok(told)
}
