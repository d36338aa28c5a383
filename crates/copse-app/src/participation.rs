//! Participation: recording acts in the ledger, computing levels (on a schedule and on demand),
//! and what people may see of them — the aggregate and their own detail for members; names, levels
//! and movement for coordinators and leaders; nothing for anyone outside the community.

use std::collections::BTreeMap;

use copse_core::clock::Millis;
use copse_core::domain::participation::MemberLevel;
use copse_core::domain::participation::Snapshot;
use copse_core::domain::participation::{self as rules, Act, Level, Tally, Thresholds};
use copse_core::domain::{AccountId, CommunityId, Role};
use copse_core::policy::{Actor, CommunityAction};
use copse_core::{Error, Result};
use copse_store::NewActivity;

use crate::access::{Gated, gate};
use crate::app::App;
use copse_core::clock::DAY;

/// A member's first visit of the day to a community (later visits that day add nothing).
pub async fn visit(state: &App, community: CommunityId, account: AccountId) -> Result<()> {
    let now = state.store.now();
    let act = NewActivity {
        community,
        account,
        kind: Act::Visit,
        private: false,
        at: now,
        source: format!("visit:{community}:{account}:{}", now / DAY),
    };
    state.store.record_activity(&[act]).await
}

fn day_of(now: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

/// Recomputes every member's level in a community from the ledger. Returns how many changed.
pub async fn recompute(state: &App, community: CommunityId) -> Result<usize> {
    let t = state.store.thresholds(community).await?;
    let now = state.store.now();
    let tallies = state.store.tallies(community, t.since(now), now).await?;
    let empty = Tally::default();
    let levels: Vec<(AccountId, Level, i64, String)> = state
        .store
        .member_roles(community)
        .await?
        .into_iter()
        .map(|(account, role)| {
            let tally = tallies.get(&account).unwrap_or(&empty);
            (
                account,
                rules::level(tally, role, t),
                tally.points(),
                serde_json::to_string(&tally.counts).unwrap_or_else(|_| "{}".into()),
            )
        })
        .collect();
    state
        .store
        .save_levels(community, &levels, &day_of(now))
        .await
}

/// On demand: coordinators recompute their community's levels.
pub async fn recompute_now(state: &App, actor: &Actor, slug: &str) -> Result<usize> {
    let gated = gate(state, actor, slug, CommunityAction::ManageTopics).await?;
    recompute(state, gated.community.id).await
}

/// Coordinators tune the thresholds (and levels are recomputed at once).
pub async fn set_thresholds(
    state: &App,
    actor: &Actor,
    slug: &str,
    t: Thresholds,
) -> Result<Thresholds> {
    let gated = gate(state, actor, slug, CommunityAction::ManageTopics).await?;
    let t = t.validate()?;
    state.store.set_thresholds(gated.community.id, t).await?;
    recompute(state, gated.community.id).await?;
    Ok(t)
}

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

/// The community's health, in parts that are shown, not hidden.
#[derive(Debug, Clone, Default)]
pub struct Health {
    /// Questions of the last 180 days, the share answered, and median hours to a first reply
    /// and to an accepted answer.
    pub questions: usize,
    pub answered_share: f64,
    pub median_first_reply_hours: Option<f64>,
    pub median_accepted_hours: Option<f64>,
    /// Occurrences of the last six months: planned, held, and the mean attendance when held.
    pub planned: usize,
    pub held: usize,
    pub mean_attendance: f64,
    pub organisations: i64,
    pub departments: i64,
    pub countries: i64,
    pub by_organisation: Vec<(String, i64)>,
    /// (part, score 0–100, what it is made of).
    pub parts: Vec<(String, i64, String)>,
    pub overall: i64,
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(|a, b| a.total_cmp(b));
    Some(xs[xs.len() / 2])
}

async fn health(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    d: &Distribution,
    moves: &[MonthMoves],
) -> Result<Health> {
    let community = gated.community.id;
    let now = state.store.now();
    let times = state
        .store
        .question_times(community, now - 180 * DAY)
        .await?;
    let hours = |ms: Millis| ms as f64 / 3_600_000.0;
    let answered = times.iter().filter(|t| t.1.is_some()).count();
    let rhythm = super::rhythm::rhythm(state, actor, &gated.community.slug).await?;
    let (planned, held, attended) = rhythm.months.iter().fold((0, 0, 0i64), |acc, m| {
        (acc.0 + m.planned, acc.1 + m.held, acc.2 + m.attended)
    });
    let reach = state.store.reach(community).await?;
    let mut h = Health {
        questions: times.len(),
        answered_share: if times.is_empty() {
            0.0
        } else {
            answered as f64 / times.len() as f64
        },
        median_first_reply_hours: median(
            times
                .iter()
                .filter_map(|t| t.1.map(|r| hours(r - t.0)))
                .collect(),
        ),
        median_accepted_hours: median(
            times
                .iter()
                .filter_map(|t| t.2.map(|r| hours(r - t.0)))
                .collect(),
        ),
        planned,
        held,
        mean_attendance: if held == 0 {
            0.0
        } else {
            attended as f64 / held as f64
        },
        organisations: reach.organisations,
        departments: reach.departments,
        countries: reach.countries,
        by_organisation: state.store.organisations(community).await?,
        ..Health::default()
    };
    let total = d.total().max(1) as f64;
    let off = |share: f64, lo: f64, hi: f64| {
        if share < lo {
            lo - share
        } else if share > hi {
            share - hi
        } else {
            0.0
        }
    };
    let distance =
        off(d.core as f64 / total, 0.10, 0.15) + off(d.active as f64 / total, 0.15, 0.20);
    let recent: Vec<&MonthMoves> = moves.iter().rev().take(3).collect();
    let net: i64 = recent
        .iter()
        .map(|m| m.inwards as i64 - m.outwards as i64)
        .sum();
    let mut parts = vec![
        (
            "Balance of levels".to_string(),
            (100.0 - distance * 400.0).clamp(0.0, 100.0) as i64,
            "how close core and active shares are to 10–15 % and 15–20 %".to_string(),
        ),
        (
            "Movement inwards".to_string(),
            (50 + 10 * net).clamp(0, 100),
            format!("{net:+} net moves inwards over the last three months"),
        ),
    ];
    if !times.is_empty() {
        parts.push((
            "Questions answered".to_string(),
            (h.answered_share * 100.0).round() as i64,
            format!(
                "{answered} of {} questions of the last 180 days have a reply",
                times.len()
            ),
        ));
    }
    if planned > 0 {
        parts.push((
            "Rhythm kept".to_string(),
            (held as f64 / planned as f64 * 100.0).round() as i64,
            format!("{held} of {planned} planned occurrences were held (six months)"),
        ));
    }
    parts.push((
        "Reach".to_string(),
        (reach.organisations * 10).clamp(0, 100),
        format!(
            "{} organisations, {} departments, {} countries",
            reach.organisations, reach.departments, reach.countries
        ),
    ));
    h.overall = parts.iter().map(|p| p.1).sum::<i64>() / parts.len() as i64;
    h.parts = parts;
    Ok(h)
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
    let role = gated.standing.role;
    let admin = matches!(actor, Actor::Account { is_admin: true, .. });
    let community = gated.community.id;
    let mut counts = state.store.level_counts(community).await?;
    if counts.is_empty() && !state.store.member_roles(community).await?.is_empty() {
        // Never computed yet: compute now rather than show nothing.
        recompute(state, community).await?;
        counts = state.store.level_counts(community).await?;
    }
    let thresholds = state.store.thresholds(community).await?;
    let count = |l: Level| counts.get(l.as_str()).copied().unwrap_or(0) as usize;
    let distribution = Distribution {
        core: count(Level::Core),
        active: count(Level::Active),
        peripheral: count(Level::Peripheral),
        inactive: count(Level::Inactive),
    };
    let now = state.store.now();
    let changes = state
        .store
        .level_changes(community, now - 366 * DAY)
        .await?;
    let mut moves: BTreeMap<String, MonthMoves> = BTreeMap::new();
    for c in &changes {
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
    let leads_view = admin || role.is_some_and(|r| r >= Role::Leader);
    // Only coordinators and leaders read everyone's level; members read their own row.
    let members = if leads_view {
        state.store.levels(community).await?
    } else {
        Vec::new()
    };
    let me = actor.account_id();
    let own = match me {
        Some(id) => state.store.level_of(community, id).await?,
        None => None,
    };
    let mine = match own.as_ref() {
        Some(m) => {
            let answers_received = state
                .store
                .answers_received(community, m.account, thresholds.since(now))
                .await?;
            let tally = Tally {
                counts: m.counts.clone(),
            };
            let history = changes
                .iter()
                .filter(|c| Some(c.account) == me)
                .map(|c| (c.from, c.to, c.at))
                .collect();
            Some(Mine {
                level: m.level,
                explanation: rules::explain(&tally, m.role, thresholds),
                counts: m
                    .counts
                    .iter()
                    .filter_map(|(k, n)| {
                        rules::kind(k)
                            .map(|k| (if *n == 1 { k.one } else { k.many }.to_string(), *n))
                    })
                    .collect(),
                since: m.since,
                history,
                answers_received,
                events_attended: m.counts.get("event_attended").copied().unwrap_or(0),
            })
        }
        None => None,
    };
    let (mut newcomers, mut quiet_core, mut suggestions) = (Vec::new(), Vec::new(), Vec::new());
    if leads_view {
        newcomers = members
            .iter()
            .filter(|m| now - m.joined_at < 90 * DAY && m.level >= Level::Active)
            .cloned()
            .collect();
        let fell: std::collections::BTreeSet<AccountId> = changes
            .iter()
            .filter(|c| c.from == Some(Level::Core) && c.to <= Level::Peripheral)
            .map(|c| c.account)
            .collect();
        quiet_core = members
            .iter()
            .filter(|m| fell.contains(&m.account) && m.level <= Level::Peripheral)
            .cloned()
            .collect();
        suggestions = suggest(state, community, &members, now).await?;
    }
    let weekly = state.store.weeks(community).await?;
    let moves: Vec<MonthMoves> = moves.into_values().collect();
    let health = health(state, actor, &gated, &distribution, &moves).await?;
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
        weekly,
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

/// What an export holds for one reader and period.
pub struct Export {
    pub from: Millis,
    pub to: Millis,
    /// Levels now: every member for coordinators, leaders and site admins; otherwise their own.
    pub levels: Vec<MemberLevel>,
    /// Acts per week in the period (an aggregate, for every member).
    pub weeks: Vec<(Millis, i64, i64)>,
    /// Level changes in the period: (handle, name, from, to, at); their own for members.
    pub changes: Vec<(String, String, Option<Level>, Level, Millis)>,
}

/// Parses an export period: dates `2026-01-01`, default the last year, at most three years.
pub fn period(from: Option<&str>, to: Option<&str>, now: Millis) -> Result<(Millis, Millis)> {
    let day = |field: &str, raw: &str| {
        chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
            .map(|d| {
                d.and_hms_opt(0, 0, 0)
                    .expect("midnight")
                    .and_utc()
                    .timestamp_millis()
            })
            .map_err(|_| Error::invalid(field, "must be a date like 2026-01-31"))
    };
    let to = match to {
        Some(t) => day("to", t)? + DAY,
        None => now + 1,
    };
    let from = match from {
        Some(f) => day("from", f)?,
        None => to - 365 * DAY,
    };
    if from >= to {
        return Err(Error::invalid("to", "must be after from"));
    }
    if to - from > 3 * 366 * DAY {
        return Err(Error::invalid(
            "to",
            "a period may cover at most three years",
        ));
    }
    Ok((from, to))
}

/// The export for a period, through the same rules as the dashboard.
pub async fn export(
    state: &App,
    actor: &Actor,
    slug: &str,
    me: AccountId,
    from: Millis,
    to: Millis,
) -> Result<Export> {
    let o = overview(state, actor, slug).await?;
    let community = o.gated.community.id;
    let levels = if o.leads_view {
        o.members
    } else {
        state
            .store
            .level_of(community, me)
            .await?
            .into_iter()
            .collect()
    };
    let names: std::collections::HashMap<AccountId, (String, String)> = levels
        .iter()
        .map(|m| (m.account, (m.handle.clone(), m.display_name.clone())))
        .collect();
    let changes = state
        .store
        .level_changes(community, from)
        .await?
        .into_iter()
        .filter(|c| c.at < to)
        .filter_map(|c| {
            names
                .get(&c.account)
                .map(|(h, n)| (h.clone(), n.clone(), c.from, c.to, c.at))
        })
        .collect();
    Ok(Export {
        from,
        to,
        weeks: state.store.weekly_activity(community, from, to).await?,
        levels,
        changes,
    })
}

/// One CSV field (RFC 4180), quoted, with a leading `=`, `+`, `-` or `@` defused so that a
/// spreadsheet does not run it as a formula.
pub(crate) fn csv_field(raw: &str) -> String {
    let safe = if raw.starts_with(['=', '+', '-', '@']) {
        format!("'{raw}")
    } else {
        raw.to_string()
    };
    format!("\"{}\"", safe.replace('"', "\"\""))
}

/// One table of an export as CSV (RFC 4180), with no formula injection when opened in a
/// spreadsheet: `levels`, `activity` (per week) or `changes`.
pub fn csv(export: &Export, table: &str) -> Result<String> {
    match table {
        "levels" => Ok(levels_csv(&export.levels)),
        "activity" => {
            let mut out = String::from("week,acts,points\r\n");
            for (w, n, p) in &export.weeks {
                out.push_str(&format!("{},{n},{p}\r\n", copse_core::clock::rfc3339(*w)));
            }
            Ok(out)
        }
        "changes" => {
            let mut out = String::from("handle,name,from,to,at\r\n");
            for (h, n, from, to, at) in &export.changes {
                out.push_str(&format!(
                    "{},{},{},{},{}\r\n",
                    csv_field(h),
                    csv_field(n),
                    from.map_or("", |f| f.as_str()),
                    to.as_str(),
                    copse_core::clock::rfc3339(*at)
                ));
            }
            Ok(out)
        }
        _ => Err(Error::invalid(
            "table",
            "must be levels, activity or changes",
        )),
    }
}

fn levels_csv(rows: &[MemberLevel]) -> String {
    let mut out = String::from("handle,name,level,points,since\r\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{}\r\n",
            csv_field(&r.handle),
            csv_field(&r.display_name),
            r.level.as_str(),
            r.points,
            copse_core::clock::rfc3339(r.since)
        ));
    }
    out
}
