//! The reference distribution from the literature, and a plain reading of a community's
//! distribution against it.

use super::levels::Level;

/// The reference distribution from the literature (Wenger, McDermott & Snyder 2002): a core group
/// of about 10–15 %, an active group of about 15–20 %, the rest peripheral. As (low, high) shares.
pub const REFERENCE: [(Level, f64, f64); 3] = [
    (Level::Core, 0.10, 0.15),
    (Level::Active, 0.15, 0.20),
    (Level::Peripheral, 0.65, 0.75),
];

/// The reference as words: "core 10–15 %, active 15–20 %, the rest peripheral".
pub fn reference_text() -> String {
    format!(
        "core {}, active {}, the rest peripheral",
        usual(range(Level::Core)),
        usual(range(Level::Active))
    )
}

/// The middle of each level's reference range, in per cent (inactive: none expected): the
/// reference bar of the distribution chart.
pub fn reference_midpoints() -> Vec<(Level, f64)> {
    Level::ALL
        .iter()
        .map(|level| {
            let mid = REFERENCE
                .iter()
                .find(|(l, ..)| l == level)
                .map_or(0.0, |(_, lo, hi)| (lo + hi) / 2.0 * 100.0);
            (*level, mid)
        })
        .collect()
}

/// How far the core and active shares lie outside their reference ranges (0 inside both).
pub fn distance_from_reference(core_share: f64, active_share: f64) -> f64 {
    let off = |level: Level, share: f64| {
        let (lo, hi) = range(level);
        (lo - share).max(share - hi).max(0.0)
    };
    off(Level::Core, core_share) + off(Level::Active, active_share)
}

/// A plain reading of a distribution against the reference.
pub fn reading(core: usize, active: usize, peripheral: usize, inactive: usize) -> String {
    let total = core + active + peripheral + inactive;
    if total == 0 {
        return "No members yet.".into();
    }
    let share = |n: usize| n as f64 / total as f64;
    let (c, a) = (share(core), share(active));
    let (c_range, a_range) = (range(Level::Core), range(Level::Active));
    let (c_usual, a_usual) = (usual(c_range), usual(a_range));
    let mut out = vec![match placed(c, c_range) {
        Placed::Below => format!(
            "The core group ({:.0} %) is smaller than the usual {c_usual}: a few people carry the \
             community; inviting active members to host or steward a topic spreads the load.",
            c * 100.0
        ),
        Placed::Above => format!(
            "The core group ({:.0} %) is larger than the usual {c_usual}: healthy energy, or a \
             small community where everyone leads.",
            c * 100.0
        ),
        Placed::Within => format!(
            "The core group ({:.0} %) is within the usual {c_usual}.",
            c * 100.0
        ),
    }];
    out.push(match placed(a, a_range) {
        Placed::Below => format!(
            "The active group ({:.0} %) is below the usual {a_usual}: few people between the core \
             and the periphery — small first steps (answering one question, attending a meeting) \
             help.",
            a * 100.0
        ),
        Placed::Above => format!(
            "The active group ({:.0} %) is above the usual {a_usual}.",
            a * 100.0
        ),
        Placed::Within => format!(
            "The active group ({:.0} %) is within the usual {a_usual}.",
            a * 100.0
        ),
    });
    let i = share(inactive);
    if i > 0.3 {
        out.push(format!(
            "{:.0} % did nothing in the window; a periphery that reads is normal, but a large \
             silent group may need a reason to come back.",
            i * 100.0
        ));
    }
    out.join(" ")
}

/// A level's reference range as shares.
fn range(level: Level) -> (f64, f64) {
    REFERENCE
        .iter()
        .find(|(l, ..)| *l == level)
        .map_or((0.0, 1.0), |(_, lo, hi)| (*lo, *hi))
}

/// "10–15 %".
fn usual((lo, hi): (f64, f64)) -> String {
    format!("{}–{} %", (lo * 100.0).round(), (hi * 100.0).round())
}

enum Placed {
    Below,
    Within,
    Above,
}

fn placed(share: f64, (lo, hi): (f64, f64)) -> Placed {
    if share < lo {
        Placed::Below
    } else if share > hi {
        Placed::Above
    } else {
        Placed::Within
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_is_said_from_one_table() {
        assert_eq!(
            reference_text(),
            "core 10–15 %, active 15–20 %, the rest peripheral"
        );
        let mids = reference_midpoints();
        assert_eq!(mids[0], (Level::Core, 12.5));
        assert_eq!(mids[3], (Level::Inactive, 0.0));
        assert_eq!(distance_from_reference(0.12, 0.17), 0.0);
        assert!((distance_from_reference(0.05, 0.25) - 0.10).abs() < 1e-9);
    }

    #[test]
    fn readings_compare_with_the_reference() {
        assert!(reading(1, 1, 8, 0).contains("within the usual 10–15 %"));
        assert!(reading(0, 0, 10, 0).contains("smaller than the usual"));
    }
}
