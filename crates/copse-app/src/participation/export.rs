//! Participation for a chosen period, as JSON or one CSV table: levels, activity per week and
//! level changes — all of it for those who lead, their own for members.

use copse_core::clock::Millis;
use copse_core::domain::AccountId;
use copse_core::domain::participation::Level;
use copse_core::domain::participation::MemberLevel;
use copse_core::policy::Actor;
use copse_core::{Error, Result};

use super::overview::overview;
use crate::app::App;
use copse_core::clock::DAY;

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
