//! A library document's new version, uploaded on its resource thread's page.

use axum::extract::State;

use crate::auth::PageViewer;
use crate::extract::PagePath;
use crate::pages::threads::thread::thread_page;
use crate::pages::{Notice, PageResult, done, form_problem, render_with_status};
use crate::state::WebState;
use crate::uploads::FormWithFiles;

pub async fn add_version(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    sent: FormWithFiles,
) -> PageResult {
    let added = match (sent.problem, sent.files.first()) {
        (Some(problem), _) => Err(problem),
        (None, Some(file)) => copse_app::files::new_version(&state, &viewer.actor(), id, file)
            .await
            .map(|_| ()),
        (None, None) => Err(copse_core::Error::invalid(
            "file",
            "choose a file to upload",
        )),
    };
    match added {
        Ok(()) => done(&format!("/t/{id}#version-form"), "version-added"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let page = thread_page(
                &state,
                &viewer,
                Notice(None),
                id,
                None,
                String::new(),
                Some(message),
            )
            .await?;
            render_with_status(status, &page)
        }
    }
}
