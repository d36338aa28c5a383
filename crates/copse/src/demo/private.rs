//! The demo's private life: circles in every community (one hidden in each), conversations
//! between demo members, and connection requests — one waiting for the demo member, one
//! accepted with a meeting agreed.

use copse_core::clock::DAY;
use copse_core::clock::FixedClock;
use copse_core::domain::AccountId;
use copse_core::domain::CircleRole;
use copse_core::domain::{CommunityId, EventInput, NewEvent, NewThread, Space, ThreadKind};
use copse_store::Store;

/// The demo's communities, in the order the plans name them by index.
const IPC: usize = 0;
const DE: usize = 1;
const GIS: usize = 2;

/// One circle: community (index), name, purpose, listed, host, members, a first thread (title,
/// body).
type CirclePlan<'a> = (
    usize,
    &'a str,
    &'a str,
    bool,
    &'a str,
    &'a [&'a str],
    (&'a str, &'a str),
);

/// One conversation: community (index), subject, people, messages (author, text) in order.
type ConversationPlan<'a> = (usize, &'a str, &'a [&'a str], &'a [(&'a str, &'a str)]);

const CIRCLES: [CirclePlan; 6] = [
    (
        IPC,
        "Mentoring circle for new link nurses",
        "New link nurses meet an experienced IPC nurse every fortnight: \
        bring your ward's questions.",
        true,
        "maya",
        &["tom_becker", "aoife"],
        (
            "How do I start my first audit?",
            "I am a new link nurse on ICU. Where do I begin with the hand-hygiene audit?",
        ),
    ),
    (
        IPC,
        "Audit form working group",
        "We are rewriting the shared hand-hygiene audit form before the spring \
        round. Drafts stay here until they are ready.",
        false,
        "henrik",
        &["maya", "lucie"],
        (
            "Draft 3 of the audit form",
            "Draft 3 attached: fewer fields, one observation per line.",
        ),
    ),
    (
        DE,
        "dbt reading group",
        "We read one chapter of the dbt docs a week and compare notes.",
        true,
        "lena",
        &["raj", "marcus"],
        (
            "Chapter 4: incremental models",
            "My notes on incremental strategies.",
        ),
    ),
    (
        DE,
        "Platform migration",
        "Planning the warehouse migration; confidential until announced.",
        false,
        "anna",
        &["lena"],
        ("Cut-over plan", "A first cut-over plan for the warehouse."),
    ),
    (
        GIS,
        "QGIS mentoring",
        "Experienced mappers pair with newcomers on their first project.",
        true,
        "amara",
        &["joost", "beatriz"],
        (
            "First project ideas",
            "Post your first project idea and find a mentor.",
        ),
    ),
    (
        GIS,
        "Grant proposal",
        "Writing the open-data grant proposal together.",
        false,
        "joost",
        &["ingrid"],
        ("Budget draft", "The budget draft for the proposal."),
    ),
];

const CONVERSATIONS: [ConversationPlan; 3] = [
    (
        IPC,
        "Central line audits on ICU",
        &["maya", "tom_becker"],
        &[
            (
                "tom_becker",
                "Maya, could you share how Northfield audits central lines?",
            ),
            (
                "maya",
                "Of course: we audit weekly with a five-item checklist. I'll send it.",
            ),
            (
                "maya",
                "Here it is: **insertion date, dressing, need, hub care, documentation**.",
            ),
        ],
    ),
    (
        IPC,
        "Spring audit round",
        &["henrik", "aoife", "maya"],
        &[
            (
                "henrik",
                "Shall we align the spring round across our three hospitals?",
            ),
            (
                "aoife",
                "Yes: St Brigid's can start the first week of March.",
            ),
        ],
    ),
    (
        DE,
        "Freshness checks",
        &["raj", "lena"],
        &[
            ("raj", "Do you alert on freshness per model or per source?"),
            ("lena", "Per source, with model-level overrides."),
        ],
    ),
];

/// Seeds circles, conversations and connections; returns how many of each.
pub async fn seed(
    store: &Store,
    clock: &FixedClock,
    communities: [CommunityId; 3],
    id: &impl Fn(&str) -> AccountId,
    today: i64,
) -> anyhow::Result<(usize, usize, usize)> {
    let circles = seed_circles(store, clock, communities, id).await?;
    seed_conversations(store, clock, communities, id).await?;
    seed_connections(store, clock, communities[IPC], id, today).await?;
    Ok((circles, CONVERSATIONS.len() + 1, 2))
}

async fn seed_circles(
    store: &Store,
    clock: &FixedClock,
    communities: [CommunityId; 3],
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<usize> {
    let mut circles = 0;
    for (community, name, purpose, listed, host, members, (title, body)) in CIRCLES {
        let community = communities[community];
        clock.advance(DAY);
        let circle_id = store
            .create_circle(community, id(host), name, purpose, listed, None)
            .await?;
        let circle = store.circle(circle_id).await?.expect("just made");
        for m in members {
            store
                .add_circle_member(&circle, id(m), CircleRole::Member)
                .await?;
        }
        store
            .create_thread(
                community,
                id(members.first().copied().unwrap_or(host)),
                &NewThread {
                    kind: ThreadKind::Discussion,
                    space: Space::Circle,
                    circle_id: Some(circle_id),
                    title: title.into(),
                    body: body.into(),
                    link: None,
                    topics: vec![],
                },
            )
            .await?;
        circles += 1;
    }
    Ok(circles)
}

/// Conversations: the coordinator and the demo member, and a small group.
async fn seed_conversations(
    store: &Store,
    clock: &FixedClock,
    communities: [CommunityId; 3],
    id: &impl Fn(&str) -> AccountId,
) -> anyhow::Result<()> {
    for (community, subject, people, messages) in CONVERSATIONS {
        let community = communities[community];
        clock.advance(DAY / 3);
        let ids: Vec<AccountId> = people.iter().map(|p| id(p)).collect();
        let (first_author, first) = messages[0];
        let (cid, _) = store
            .create_conversation(community, id(first_author), &ids, subject, first)
            .await?;
        for (author, text) in &messages[1..] {
            clock.advance(3_600_000);
            store.add_message(cid, id(author), text).await?;
        }
    }
    Ok(())
}

/// Connections: one waiting for the demo member, one accepted with a meeting agreed.
async fn seed_connections(
    store: &Store,
    clock: &FixedClock,
    ipc: CommunityId,
    id: &impl Fn(&str) -> AccountId,
    today: i64,
) -> anyhow::Result<()> {
    clock.advance(DAY / 2);
    store
        .create_connection(
            ipc,
            id("aoife"),
            id("tom_becker"),
            "ventilator bundles",
            "I'd like to learn how your ICU runs its ventilator bundle checks.",
        )
        .await?;
    let accepted = store
        .create_connection(
            ipc,
            id("tom_becker"),
            id("henrik"),
            "outbreak debriefs",
            "Could we talk about how you debrief after an outbreak?",
        )
        .await?;
    let (conversation, _) = store
        .create_conversation(
            ipc,
            id("tom_becker"),
            &[id("tom_becker"), id("henrik")],
            "outbreak debriefs",
            "Could we talk about how you debrief after an outbreak?",
        )
        .await?;
    store
        .decide_connection(accepted, "accepted", Some(conversation))
        .await?;
    // The meeting they agreed on is next week.
    let day = chrono::DateTime::from_timestamp_millis(today + 9 * DAY)
        .unwrap_or_default()
        .date_naive();
    let mut meeting = NewEvent::parse(&EventInput {
        title: "Conversation: outbreak debriefs".into(),
        description: "Tom Becker and Henrik Dahl meet to talk about outbreak debriefs.".into(),
        time_zone: "Europe/Berlin".into(),
        start: format!("{}T16:00", day.format("%Y-%m-%d")),
        end: format!("{}T16:45", day.format("%Y-%m-%d")),
        ..EventInput::default()
    })?;
    store
        .add_proposal(
            accepted,
            id("henrik"),
            "Europe/Berlin",
            meeting.start_local,
            meeting.end_local,
            meeting.first_start,
        )
        .await?;
    meeting.space = Space::Direct;
    meeting.conversation_id = Some(conversation);
    let event = store
        .create_event(ipc, id("tom_becker"), &meeting, &[id("henrik")])
        .await?;
    store.set_connection_event(accepted, event).await?;
    Ok(())
}
