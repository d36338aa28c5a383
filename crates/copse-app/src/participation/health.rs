//! A community's health: response times, the rhythm kept, reach, and the score's parts (the
//! rules are the core's `participation::health`).

use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::participation::{self as rules, HealthFacts};
use copse_core::policy::Actor;

use crate::access::Gated;
use crate::app::App;
use copse_core::clock::DAY;

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

pub(super) async fn health(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    levels: [usize; 4],
    net_inwards: i64,
) -> Result<Health> {
    let community = gated.community.id;
    let now = state.store.now();
    let times = state
        .store
        .question_times(community, now - 180 * DAY)
        .await?;
    let hours = |ms: Millis| ms as f64 / 3_600_000.0;
    let answered = times.iter().filter(|t| t.1.is_some()).count();
    let rhythm = crate::rhythm::rhythm(state, actor, &gated.community.slug).await?;
    let (planned, held, attended) = rhythm.months.iter().fold((0, 0, 0i64), |acc, m| {
        (acc.0 + m.planned, acc.1 + m.held, acc.2 + m.attended)
    });
    let reach = state.store.reach(community).await?;
    let (parts, overall) = rules::health::score(&HealthFacts {
        levels,
        net_inwards,
        questions: times.len(),
        answered,
        planned,
        held,
        organisations: reach.organisations,
        departments: reach.departments,
        countries: reach.countries,
    });
    // (asked, first reply, accepted answer)
    type Times = (Millis, Option<Millis>, Option<Millis>);
    let median_after = |of: fn(&Times) -> Option<Millis>| {
        median(
            times
                .iter()
                .filter_map(|t| of(t).map(|r| hours(r - t.0)))
                .collect(),
        )
    };
    Ok(Health {
        questions: times.len(),
        answered_share: if times.is_empty() {
            0.0
        } else {
            answered as f64 / times.len() as f64
        },
        median_first_reply_hours: median_after(|t| t.1),
        median_accepted_hours: median_after(|t| t.2),
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
        parts,
        overall,
    })
}
