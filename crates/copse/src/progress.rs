//! The progress of a long command-line job (exporting or importing a large site), drawn on
//! standard error while a person watches a terminal. Scripts and logs see no bar, only the
//! lines the job prints (one per table), which go above the bar when there is one.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar counting `total` rows.
    pub fn rows(total: u64) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "  {msg:<24} [{wide_bar}] {human_pos}/{human_len} rows, {eta} left",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        Progress { bar }
    }

    /// The table being worked on.
    pub fn table(&self, name: &str) {
        self.bar.set_message(name.to_string());
    }

    pub fn add(&self, rows: u64) {
        self.bar.inc(rows);
    }

    /// A line of the job's report, printed whether a bar is drawn or not.
    pub fn line(&self, text: &str) {
        self.bar.suspend(|| eprintln!("{text}"));
    }

    pub fn done(&self) {
        self.bar.finish_and_clear();
    }
}
