//! The audit log of what site admins did to accounts: its page, and its lines as every admin
//! page shows them (an account's page shows its own).

use askama::Template;
use axum::extract::State;

use super::super::{Nav, Notice, PageResult, nav, render};
use crate::auth::PageSignedIn;
use crate::state::WebState;
use copse_app::user_admin;
use copse_core::clock::human_date;

/// One line of the audit log as pages show it.
pub(super) struct AuditLine {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    /// The target's handle when it is still an account's (the label without its `@`).
    pub target_handle: Option<String>,
    pub detail: String,
}

pub(super) fn audit_lines(entries: Vec<user_admin::AuditEntry>) -> Vec<AuditLine> {
    entries
        .into_iter()
        .map(|e| AuditLine {
            when: moment(e.created_at),
            target_handle: e.target_label.strip_prefix('@').map(str::to_string),
            actor: e.actor_label,
            action: e.action,
            target: e.target_label,
            detail: e.detail.unwrap_or_default(),
        })
        .collect()
}

/// A date and time for the admin's pages: "2 Dec 2026, 04:33 UTC".
pub(super) fn moment(at: copse_core::clock::Millis) -> String {
    let time = chrono::DateTime::from_timestamp_millis(at)
        .unwrap_or_default()
        .format("%H:%M UTC");
    format!("{}, {time}", human_date(at))
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    nav: Nav,
    lines: Vec<AuditLine>,
}

pub async fn page(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    notice: Notice,
) -> PageResult {
    let entries = user_admin::audit_log(&state, &viewer.actor()).await?;
    render(&AuditPage {
        nav: nav(&state, &viewer, notice).await?,
        lines: audit_lines(entries),
    })
}
