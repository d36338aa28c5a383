//! A community's health, scored in parts that are shown, not hidden: how close its levels are to
//! the reference, whether people move inwards, whether questions get answers, whether the
//! rhythm is kept, and how far it reaches across organisations.

use super::reference::{distance_from_reference, reference_text};
use crate::words::counted;

/// What the health is scored from.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct HealthFacts {
    /// Members per level now: core, active, peripheral, inactive.
    pub levels: [usize; 4],
    /// Moves inwards less moves outwards over the last three months.
    pub net_inwards: i64,
    /// Questions of the last 180 days, and how many have a reply.
    pub questions: usize,
    pub answered: usize,
    /// Occurrences of the last six months: planned and held.
    pub planned: usize,
    pub held: usize,
    pub organisations: i64,
    pub departments: i64,
    pub countries: i64,
}

/// One part: its name, a score from 0 to 100, and what it is made of.
pub type HealthPart = (String, i64, String);

/// The parts of the score and the overall score (their mean). Parts without facts (no question
/// asked, no occurrence planned) are left out rather than scored zero.
pub fn score(f: &HealthFacts) -> (Vec<HealthPart>, i64) {
    let [core, active, peripheral, inactive] = f.levels;
    let total = (core + active + peripheral + inactive).max(1) as f64;
    let distance = distance_from_reference(core as f64 / total, active as f64 / total);
    let mut parts = vec![
        (
            "Balance of levels".to_string(),
            (100.0 - distance * 400.0).clamp(0.0, 100.0) as i64,
            format!(
                "how close the core and active shares are to the reference ({})",
                reference_text()
            ),
        ),
        (
            "Movement inwards".to_string(),
            (50 + 10 * f.net_inwards).clamp(0, 100),
            format!(
                "{:+} net moves inwards over the last three months",
                f.net_inwards
            ),
        ),
    ];
    if f.questions > 0 {
        parts.push((
            "Questions answered".to_string(),
            (f.answered as f64 / f.questions as f64 * 100.0).round() as i64,
            format!(
                "{} of {} of the last 180 days have a reply",
                f.answered,
                counted(f.questions, "question", "questions")
            ),
        ));
    }
    if f.planned > 0 {
        parts.push((
            "Rhythm kept".to_string(),
            (f.held as f64 / f.planned as f64 * 100.0).round() as i64,
            format!(
                "{} of {} were held (six months)",
                f.held,
                counted(f.planned, "planned occurrence", "planned occurrences")
            ),
        ));
    }
    parts.push((
        "Reach".to_string(),
        (f.organisations * 10).clamp(0, 100),
        format!(
            "{}, {}, {}",
            counted(f.organisations, "organisation", "organisations"),
            counted(f.departments, "department", "departments"),
            counted(f.countries, "country", "countries")
        ),
    ));
    let overall = parts.iter().map(|p| p.1).sum::<i64>() / parts.len() as i64;
    (parts, overall)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_community_like_the_reference_scores_full_balance() {
        let facts = HealthFacts {
            levels: [12, 18, 70, 0],
            organisations: 10,
            ..HealthFacts::default()
        };
        let (parts, overall) = score(&facts);
        assert_eq!(parts[0].1, 100);
        assert_eq!(parts.len(), 3, "no questions or meetings: not scored");
        assert_eq!(overall, (100 + 50 + 100) / 3);
        let lopsided = HealthFacts {
            levels: [1, 1, 98, 0],
            ..facts
        };
        assert!(score(&lopsided).0[0].1 < 100);
    }
}
