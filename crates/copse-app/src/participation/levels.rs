//! Recording visits and computing every member's level from the ledger (on a schedule and on
//! demand), and the thresholds a community tunes.

use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::participation::{self as rules, Act, Level, Tally, Thresholds};
use copse_core::domain::{AccountId, CommunityId};
use copse_core::policy::{Actor, CommunityAction};
use copse_store::NewActivity;

use crate::access::gate;
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
    let changed = state
        .store
        .save_levels(community, &levels, &day_of(now))
        .await?;
    save_weeks(state, community, now).await?;
    Ok(changed)
}

/// A year of weeks shown on the dashboard.
const WEEKS_SHOWN: i64 = 52;

/// Keeps the last year's activity per week, which the dashboard's weekly chart reads (it would
/// otherwise read the whole ledger on every view).
async fn save_weeks(state: &App, community: CommunityId, now: Millis) -> Result<()> {
    const WEEK: Millis = 7 * 24 * 3600 * 1000;
    let weeks = state
        .store
        // Up to and including this instant: an act recorded now is in this week.
        .weekly_activity(community, now - WEEKS_SHOWN * WEEK, now + 1)
        .await?;
    state.store.save_weeks(community, &weeks).await
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
