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

/// A plain reading of a distribution against the reference.
pub fn reading(core: usize, active: usize, peripheral: usize, inactive: usize) -> String {
    let total = core + active + peripheral + inactive;
    if total == 0 {
        return "No members yet.".into();
    }
    let share = |n: usize| n as f64 / total as f64;
    let mut out = Vec::new();
    let c = share(core);
    if c < 0.10 {
        out.push(format!("The core group ({:.0} %) is smaller than the usual 10–15 %: a few people carry the community; inviting active members to host or steward a topic spreads the load.", c * 100.0));
    } else if c > 0.15 {
        out.push(format!("The core group ({:.0} %) is larger than the usual 10–15 %: healthy energy, or a small community where everyone leads.", c * 100.0));
    } else {
        out.push(format!(
            "The core group ({:.0} %) is within the usual 10–15 %.",
            c * 100.0
        ));
    }
    let a = share(active);
    if a < 0.15 {
        out.push(format!("The active group ({:.0} %) is below the usual 15–20 %: few people between the core and the periphery — small first steps (answering one question, attending a meeting) help.", a * 100.0));
    } else if a > 0.20 {
        out.push(format!(
            "The active group ({:.0} %) is above the usual 15–20 %.",
            a * 100.0
        ));
    } else {
        out.push(format!(
            "The active group ({:.0} %) is within the usual 15–20 %.",
            a * 100.0
        ));
    }
    let i = share(inactive);
    if i > 0.3 {
        out.push(format!("{:.0} % did nothing in the window; a periphery that reads is normal, but a large silent group may need a reason to come back.", i * 100.0));
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_compare_with_the_reference() {
        assert!(reading(1, 1, 8, 0).contains("within the usual 10–15 %"));
        assert!(reading(0, 0, 10, 0).contains("smaller than the usual"));
    }
}
