//! Keeping the rhythm: editing and deleting events, "this and following" splits, changing one
//! occurrence (moved, cancelled, notes), answering for a whole series, check-ins, recaps, and the
//! rhythm view (planned against kept cadence).

mod edit;
mod occurrences;
mod view;

pub use edit::{EventPatch, delete, manage, update};
pub use occurrences::{
    OccurrenceEdit, SERIES_ANSWER_DAYS, SERIES_ANSWER_MAX, attendance, check_in, edit_occurrence,
    recap, rsvp_series,
};
pub use view::{Kept, MonthKept, RHYTHM_MONTHS, Rhythm, RhythmEntry, rhythm};
