//! The participation view: the distribution of levels beside the reference, movement between
//! levels, the reader's own level and why, and — for coordinators and leaders — names,
//! newcomers, a quiet core and suggestions.

use std::collections::BTreeMap;

use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::participation::Snapshot;
use copse_core::domain::participation::{self as rules, Act, Level, Tally, Thresholds};
use copse_core::domain::participation::{LevelChange, MemberLevel};
use copse_core::domain::{AccountId, CommunityId, Role};
use copse_core::policy::{Actor, CommunityAction};

use crate::access::{Gated, gate};
use crate::app::App;
use copse_core::clock::DAY;

use super::health::{Health, health};
use super::levels::recompute;

/// Members per level.
#[derive(Debug, Clone, Default)]
pub struct Distribution {
    pub core: usize,
    pub active: usize,
    pub peripheral: usize,
    pub inactive: usize,
}

impl Distribution {
    pub fn total(&self) -> usize {
        self.core + self.active + self.peripheral + self.inactive
    }

    pub fn of(&self, level: Level) -> usize {
        match level {
            Level::Core => self.core,
            Level::Active => self.active,
            Level::Peripheral => self.peripheral,
            Level::Inactive => self.inactive,
        }
    }
}

/// Moves between levels in one month.
#[derive(Debug, Clone, Default)]
pub struct MonthMoves {
    pub month: String,
    pub inwards: usize,
    pub outwards: usize,
}

/// Someone the coordinators may want to notice, and why.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub handle: String,
    pub display_name: String,
    pub text: String,
}

/// A member's own participation.
#[derive(Debug, Clone)]
pub struct Mine {
    pub level: Level,
    pub explanation: String,
    pub counts: Vec<(String, i64)>,
    pub since: Millis,
    pub history: Vec<(Option<Level>, Level, Millis)>,
    /// What they gained in the window: replies others wrote to their threads, events attended.
    pub answers_received: i64,
    pub events_attended: i64,
}

/// What a community's participation view holds for one reader.
pub struct Overview {
    pub gated: Gated,
    pub thresholds: Thresholds,
    pub distribution: Distribution,
    pub reading: String,
    pub snapshots: Vec<Snapshot>,
    pub moves: Vec<MonthMoves>,
    pub weekly: Vec<(Millis, i64, i64)>,
    /// For coordinators and leaders only: names.
    pub leads_view: bool,
    pub members: Vec<MemberLevel>,
    pub newcomers: Vec<MemberLevel>,
    pub quiet_core: Vec<MemberLevel>,
    pub suggestions: Vec<Suggestion>,
    pub mine: Option<Mine>,
    pub computed_at: Option<Millis>,
    pub health: Health,
}

fn month_of(at: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(at)
        .unwrap_or_default()
        .format("%Y-%m")
        .to_string()
}

/// The participation view: aggregate for members, names for coordinators and leaders, and the
/// reader's own level. Observers and outsiders are refused.
pub async fn overview(state: &App, actor: &Actor, slug: &str) -> Result<Overview> {
    let gated = gate(state, actor, slug, CommunityAction::ReadMembersOnly).await?;
    gated.check(actor, CommunityAction::SeeParticipation)?;
    let admin = matches!(actor, Actor::Account { is_admin: true, .. });
    let community = gated.community.id;
    let distribution = distribution(state, community).await?;
    let thresholds = state.store.thresholds(community).await?;
    let now = state.store.now();
    let changes = state
        .store
        .level_changes(community, now - 366 * DAY)
        .await?;
    let leads_view = admin || gated.standing.role.is_some_and(|r| r >= Role::Leader);
    // Only coordinators and leaders read everyone's level; members read their own row.
    let members = if leads_view {
        state.store.levels(community).await?
    } else {
        Vec::new()
    };
    let own = match actor.account_id() {
        Some(id) => {
            own_level(
                state,
                community,
                id,
                gated.standing.role.is_some_and(Role::is_member),
            )
            .await?
        }
        None => None,
    };
    let mine = match own.as_ref() {
        Some(m) => Some(mine(state, community, m, &changes, thresholds).await?),
        None => None,
    };
    let (newcomers, quiet_core, suggestions) = if leads_view {
        attention(state, community, &members, &changes, now).await?
    } else {
        Default::default()
    };
    let moves = moves(&changes);
    let d = &distribution;
    let net_inwards = moves
        .iter()
        .rev()
        .take(3)
        .map(|m| m.inwards as i64 - m.outwards as i64)
        .sum();
    let levels = [d.core, d.active, d.peripheral, d.inactive];
    let health = health(state, actor, &gated, levels, net_inwards).await?;
    Ok(Overview {
        health,
        reading: rules::reading(
            distribution.core,
            distribution.active,
            distribution.peripheral,
            distribution.inactive,
        ),
        snapshots: state.store.snapshots(community).await?,
        moves,
        weekly: state.store.weeks(community).await?,
        computed_at: own
            .as_ref()
            .map(|m| m.computed_at)
            .or_else(|| members.iter().map(|m| m.computed_at).max()),
        members,
        gated,
        thresholds,
        distribution,
        leads_view,
        newcomers,
        quiet_core,
        suggestions,
        mine,
    })
}

/// The reader's stored level. A member who joined since the levels were last computed has
/// none yet: the community's levels are computed again at once rather than show them nothing.
async fn own_level(
    state: &App,
    community: CommunityId,
    account: AccountId,
    member: bool,
) -> Result<Option<MemberLevel>> {
    let own = state.store.level_of(community, account).await?;
    if own.is_some() || !member {
        return Ok(own);
    }
    recompute(state, community).await?;
    state.store.level_of(community, account).await
}

/// Members per level now; computed first if they never were.
async fn distribution(state: &App, community: CommunityId) -> Result<Distribution> {
    let mut counts = state.store.level_counts(community).await?;
    if counts.is_empty() && !state.store.member_roles(community).await?.is_empty() {
        // Never computed yet: compute now rather than show nothing.
        recompute(state, community).await?;
        counts = state.store.level_counts(community).await?;
    }
    let count = |l: Level| counts.get(l.as_str()).copied().unwrap_or(0) as usize;
    Ok(Distribution {
        core: count(Level::Core),
        active: count(Level::Active),
        peripheral: count(Level::Peripheral),
        inactive: count(Level::Inactive),
    })
}

/// Moves between levels per month, inwards and outwards.
fn moves(changes: &[LevelChange]) -> Vec<MonthMoves> {
    let mut moves: BTreeMap<String, MonthMoves> = BTreeMap::new();
    for c in changes {
        let Some(from) = c.from else { continue };
        let m = moves.entry(month_of(c.at)).or_insert_with(|| MonthMoves {
            month: month_of(c.at),
            ..MonthMoves::default()
        });
        if c.to > from {
            m.inwards += 1;
        } else if c.to < from {
            m.outwards += 1;
        }
    }
    moves.into_values().collect()
}

/// The reader's own level, why, its history and what they gained in the window.
async fn mine(
    state: &App,
    community: CommunityId,
    m: &MemberLevel,
    changes: &[LevelChange],
    thresholds: Thresholds,
) -> Result<Mine> {
    let now = state.store.now();
    let answers_received = state
        .store
        .answers_received(community, m.account, thresholds.since(now))
        .await?;
    let tally = Tally {
        counts: m.counts.clone(),
    };
    Ok(Mine {
        level: m.level,
        explanation: rules::explain(&tally, m.role, thresholds),
        counts: m
            .counts
            .iter()
            .filter_map(|(k, n)| {
                rules::kind(k).map(|k| (if *n == 1 { k.one } else { k.many }.to_string(), *n))
            })
            .collect(),
        since: m.since,
        history: changes
            .iter()
            .filter(|c| c.account == m.account)
            .map(|c| (c.from, c.to, c.at))
            .collect(),
        answers_received,
        events_attended: m.counts.get(Act::EventAttended.key()).copied().unwrap_or(0),
    })
}

/// For those who lead: active newcomers, core members who went quiet, and suggestions.
async fn attention(
    state: &App,
    community: CommunityId,
    members: &[MemberLevel],
    changes: &[LevelChange],
    now: Millis,
) -> Result<(Vec<MemberLevel>, Vec<MemberLevel>, Vec<Suggestion>)> {
    let newcomers = members
        .iter()
        .filter(|m| now - m.joined_at < 90 * DAY && m.level >= Level::Active)
        .cloned()
        .collect();
    let fell: std::collections::BTreeSet<AccountId> = changes
        .iter()
        .filter(|c| c.from == Some(Level::Core) && c.to <= Level::Peripheral)
        .map(|c| c.account)
        .collect();
    let quiet_core = members
        .iter()
        .filter(|m| fell.contains(&m.account) && m.level <= Level::Peripheral)
        .cloned()
        .collect();
    let suggestions = suggest(state, community, members, now).await?;
    Ok((newcomers, quiet_core, suggestions))
}

/// Suggestions for coordinators: a welcome for newcomers, a thank-you for people who answered
/// many questions, and an unanswered question for a peripheral member who knows its topic.
async fn suggest(
    state: &App,
    community: CommunityId,
    members: &[MemberLevel],
    now: Millis,
) -> Result<Vec<Suggestion>> {
    let mut out = Vec::new();
    for m in members.iter().filter(|m| now - m.joined_at < 30 * DAY) {
        out.push(Suggestion {
            handle: m.handle.clone(),
            display_name: m.display_name.clone(),
            text: "joined this month: a welcome and a first small step (a question to answer, a meeting to come to)".into(),
        });
    }
    for m in members {
        let answers = m.counts.get("answer_accepted").copied().unwrap_or(0);
        if answers >= 3 {
            out.push(Suggestion {
                handle: m.handle.clone(),
                display_name: m.display_name.clone(),
                text: format!("gave {answers} accepted answers lately: a thank-you"),
            });
        }
    }
    let expertise = state.store.declared_expertise(community).await?;
    let unanswered = state
        .store
        .unanswered_questions(community, copse_core::policy::ThreadFilter::All, 50)
        .await?;
    for m in members.iter().filter(|m| m.level == Level::Peripheral) {
        let labels: Vec<String> = expertise
            .iter()
            .filter(|(_, h, _)| *h == m.handle)
            .map(|(l, _, _)| l.to_lowercase())
            .collect();
        // Only public-space questions are named, so no private thread leaks into the view.
        if let Some(q) = unanswered.iter().find(|t| {
            t.space == copse_core::domain::Space::Public
                && labels.iter().any(|l| {
                    t.title.to_lowercase().contains(l)
                        || t.topics.iter().any(|tp| tp.name.to_lowercase() == *l)
                })
        }) {
            out.push(Suggestion {
                handle: m.handle.clone(),
                display_name: m.display_name.clone(),
                text: format!("knows this: invite them to answer “{}”", q.title),
            });
        }
    }
    out.truncate(20);
    Ok(out)
}
