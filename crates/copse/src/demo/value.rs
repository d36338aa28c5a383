//! The demo's value stories: two dozen per community across the five cycles, credited to the
//! community's real threads and events, some with measured effects, some endorsed.

use copse_core::clock::DAY;
use copse_core::clock::{Clock, FixedClock};
use copse_core::domain::AccountId;
use copse_core::domain::checkin::CheckinSchedule;
use copse_core::domain::checkin::{Answer, Cadence, DEFAULT_PROMPT};
use copse_core::domain::value::{Cycle, Effect, NewStory, StoryVisibility};
use copse_core::domain::{CommunityId, Event, Thread, ThreadQuery, Topic};
use copse_core::policy::ThreadFilter;
use copse_store::{NewRound, Store, StoryChange};

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

/// Comments members leave on stories.
const COMMENTS: [&str; 4] = [
    "Thank you for writing this down — we are trying the same next month.",
    "Did you need approval from your manager for this?",
    "This matches what we saw on our side too.",
    "Could you share the template you used?",
];

/// A community's people for the value seed: who tells stories, and its coordinator.
pub struct Tellers {
    pub community: CommunityId,
    pub members: Vec<AccountId>,
    pub coordinator: AccountId,
}

/// What a community's stories can credit: its threads every member may read (not circles', so
/// the credits are honest), its public events and its topics.
struct Material<'a> {
    tellers: &'a Tellers,
    threads: Vec<Thread>,
    events: Vec<Event>,
    topics: Vec<Topic>,
}

async fn material<'a>(store: &Store, t: &'a Tellers) -> anyhow::Result<Material<'a>> {
    let threads: Vec<_> = store
        .list_threads(
            t.community,
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
        .list_events(t.community, ThreadFilter::Visible { account: None })
        .await?;
    let topics = store.topics(t.community).await?;
    Ok(Material {
        tellers: t,
        threads,
        events,
        topics,
    })
}

/// The `i`th story's words, from the seeds.
fn story_of(i: usize, thread: &Thread) -> NewStory {
    let (took, did, difference, cycles, effect) = SEEDS[i % SEEDS.len()];
    NewStory {
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
    }
}

/// The `i`th story's credits (its thread; every third, an event held by `now`) and topics (the
/// thread's own; for a thread without any, most stories still name one).
fn credits_and_topics(
    i: usize,
    thread: &Thread,
    m: &Material<'_>,
    now: i64,
) -> (Vec<(&'static str, i64)>, Vec<i64>) {
    let mut credits = vec![("thread", thread.id)];
    let held: Vec<_> = m.events.iter().filter(|e| e.first_start <= now).collect();
    if i.is_multiple_of(3)
        && let Some(e) = held.get(i % held.len().max(1))
    {
        credits.push(("event", e.id));
    }
    let mut topic_ids: Vec<i64> = m
        .topics
        .iter()
        .filter(|tp| thread.topics.iter().any(|r| r.slug == tp.slug))
        .map(|tp| tp.id)
        .take(5)
        .collect();
    if topic_ids.is_empty() && i % 3 != 2 && !m.topics.is_empty() {
        topic_ids.push(m.topics[i % m.topics.len()].id);
    }
    (credits, topic_ids)
}

/// Tells the `i`th story of a community, with its endorsements and a comment now and then.
/// Returns whether one was told (a community without threads has nothing to credit).
async fn tell(store: &Store, m: &Material<'_>, i: usize, now: i64) -> anyhow::Result<bool> {
    let members = &m.tellers.members;
    let Some(thread) = m.threads.get(i % m.threads.len().max(1)) else {
        return Ok(false);
    };
    let author = members[(i * 5 + 1) % members.len()];
    let story = story_of(i, thread);
    let (credits, topics) = credits_and_topics(i, thread, m, now);
    let change = StoryChange {
        story: &story,
        circle: None,
        credits: &credits,
        topics: &topics,
    };
    let id = store
        .create_story(m.tellers.community, author, &change)
        .await?;
    for who in members.iter().skip(i % 4).step_by(3).take(i % 4) {
        if *who != author {
            store.endorse(id, *who, true).await?;
        }
    }
    if i % 4 == 1 && story.visibility == StoryVisibility::Community {
        let commenter = members[(i * 3 + 2) % members.len()];
        if commenter != author {
            store
                .add_story_comment(id, commenter, COMMENTS[i % COMMENTS.len()], 500)
                .await?;
        }
    }
    Ok(true)
}

/// Seeds the stories, spread over the months before `today` (the clock walks from where it is
/// to a day before today); returns how many. Run after the rhythm, so that events exist.
pub async fn seed(
    store: &Store,
    clock: &FixedClock,
    communities: &[Tellers],
    today: i64,
) -> anyhow::Result<usize> {
    const STORIES: usize = 24;
    let mut materials = Vec::new();
    for t in communities {
        materials.push(material(store, t).await?);
    }
    let start = clock.now().max(today - 270 * DAY);
    clock.advance(start - clock.now());
    let step = ((today - DAY - start) / STORIES as i64).max(0);
    let mut told = 0;
    for i in 0..STORIES {
        clock.advance(step);
        for m in &materials {
            if tell(store, m, i, clock.now()).await? {
                told += 1;
            }
        }
    }
    Ok(told)
}

/// Check-ins at today's date: a monthly schedule, a closed round with answers (one of them
/// turned into a story) and an open round some members have answered. Returns the rounds.
pub async fn seed_checkins(
    store: &Store,
    communities: &[Tellers],
    today: i64,
) -> anyhow::Result<usize> {
    let mut rounds = 0;
    for t in communities {
        store
            .set_checkin_schedule(
                t.community,
                &CheckinSchedule {
                    prompt: DEFAULT_PROMPT.into(),
                    cadence: Cadence::Monthly,
                    next_at: Some(Cadence::Monthly.next(today - 5 * DAY)),
                },
                t.coordinator,
            )
            .await?;
        for (opened, closes, answering) in [
            (today - 36 * DAY, today - 5 * DAY, 5),
            (today - 5 * DAY, Cadence::Monthly.next(today - 5 * DAY), 3),
        ] {
            let Some(round) = store
                .open_checkin(&NewRound {
                    community: t.community,
                    prompt: DEFAULT_PROMPT,
                    opened_at: opened,
                    closes_at: closes,
                    opened_by: t.coordinator,
                    next_at: None,
                })
                .await?
            else {
                continue;
            };
            rounds += 1;
            for (n, who) in t.members.iter().skip(2).take(answering).enumerate() {
                let (learned, applied) = ANSWERS[n % ANSWERS.len()];
                store
                    .answer_checkin(round, *who, &Answer::parse(learned, applied)?)
                    .await?;
            }
        }
    }
    Ok(rounds)
}

/// (learned, applied) answers to the demo's check-ins.
const ANSWERS: [(&str, &str); 4] = [
    (
        "How others run their audits, and a shorter form for it.",
        "I used the shorter form on my ward twice.",
    ),
    ("Who to ask about the tricky cases.", ""),
    (
        "A better way to explain the change to colleagues.",
        "I explained it at our team meeting; two colleagues joined in.",
    ),
    ("That our problem is common — and solvable.", ""),
];
