//! The dashboard's charts, each with the sentence a screen reader reads instead of the bars.

use copse_app::participation::{Health, Overview};
use copse_core::domain::participation::Level;
use copse_core::domain::participation::reference::{reference_midpoints, reference_text};

use crate::charts;

/// A level's share of the members, in per cent.
pub(super) fn share(o: &Overview, level: Level) -> f64 {
    let d = &o.distribution;
    d.of(level) as f64 / d.total().max(1) as f64 * 100.0
}

/// This community's levels beside the literature's reference.
pub(super) fn distribution(o: &Overview) -> String {
    let d = &o.distribution;
    let now = Level::ALL
        .iter()
        .map(|l| format!("{} {:.0} %", l.as_str(), share(o, *l)))
        .collect::<Vec<_>>()
        .join(", ");
    charts::stacked(
        "Levels of participation",
        &format!("Now: {now}. Reference: {}.", reference_text()),
        &[
            (
                "This community".into(),
                Level::ALL
                    .iter()
                    .map(|l| (l.as_str().to_string(), d.of(*l) as f64))
                    .collect(),
            ),
            (
                "Reference".into(),
                reference_midpoints()
                    .into_iter()
                    .map(|(l, mid)| (l.as_str().to_string(), mid))
                    .collect(),
            ),
        ],
    )
}

/// Core and active members, snapshot by snapshot.
pub(super) fn history(o: &Overview) -> String {
    let d = &o.distribution;
    let history: Vec<(String, f64)> = o
        .snapshots
        .iter()
        .map(|s| (s.day.clone(), (s.core + s.active) as f64))
        .collect();
    charts::bars(
        "Core and active members over time",
        &format!(
            "{} daily snapshots; the last shows {} core and active members.",
            history.len(),
            d.core + d.active
        ),
        &history,
        (history.len() / 6).max(1),
    )
}

/// Moves to a more involved level (up) and to a less involved one (down), month by month.
pub(super) fn moves(o: &Overview) -> String {
    charts::up_down(
        "Moves between levels per month",
        &o.moves
            .iter()
            .map(|m| {
                format!(
                    "{}: {} inwards, {} outwards",
                    m.month, m.inwards, m.outwards
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        &o.moves
            .iter()
            .map(|m| (m.month.clone(), m.inwards as f64, m.outwards as f64))
            .collect::<Vec<_>>(),
        ["inwards", "outwards"],
    )
}

/// Recorded acts week by week over a year, and their total.
pub(super) fn weekly(o: &Overview) -> (String, i64) {
    let weekly: Vec<(String, f64)> = o
        .weekly
        .iter()
        .map(|(w, n, _)| {
            (
                chrono::DateTime::from_timestamp_millis(*w)
                    .unwrap_or_default()
                    .format("%d %b")
                    .to_string(),
                *n as f64,
            )
        })
        .collect();
    let total: i64 = o.weekly.iter().map(|w| w.1).sum();
    let svg = charts::bars(
        "Weekly activity over a year",
        &format!(
            "{total} recorded acts over {} weeks with activity.",
            weekly.len()
        ),
        &weekly,
        (weekly.len() / 8).max(1),
    );
    (svg, total)
}

/// The parts of the health score, one row each.
pub(super) fn health(h: &Health) -> String {
    charts::rows(
        &format!("Community health: {} of 100", h.overall),
        &h.parts
            .iter()
            .map(|p| format!("{} {} ({})", p.0, p.1, p.2))
            .collect::<Vec<_>>()
            .join("; "),
        &h.parts
            .iter()
            .map(|p| (p.0.clone(), p.1 as f64))
            .collect::<Vec<_>>(),
    )
}

/// Members per organisation, one row each (names are long and many).
pub(super) fn organisations(h: &Health) -> String {
    charts::rows(
        "Members per organisation",
        &h.by_organisation
            .iter()
            .map(|(o, n)| format!("{o}: {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        &h.by_organisation
            .iter()
            .map(|(o, n)| (o.clone(), *n as f64))
            .collect::<Vec<_>>(),
    )
}
